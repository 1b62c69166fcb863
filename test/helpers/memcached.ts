// What the tests ask a test run's memcached directly, beside the engines' client.
import { createConnection } from "node:net";
import { createMemcachedClient, type NodeMemcachedClient } from "../../lib/node/memcached.ts";
import { dumpsPickle, FLAG_PICKLE, memcachedExptime } from "../../lib/session/index.ts";
import { requireServiceUrl } from "./services.ts";

/** A client on the run's memcached (keys are random per test, so nothing needs flushing). */
export function openMemcached(): NodeMemcachedClient {
  return createMemcachedClient(requireServiceUrl("memcached"));
}

/**
 * The TTL memcached holds for `key`, in milliseconds (-2: no such entry, -1: none), through
 * the meta protocol's `mg <key> t`: the classic protocol, all the engines speak, cannot tell it.
 */
export async function memcachedTtlMs(url: string, key: string): Promise<number> {
  const [host, port] = url.replace(/^memcached:\/\//, "").split(":");
  const line = await new Promise<string>((resolve, reject) => {
    const socket = createConnection({ host: host!, port: Number(port) });
    let buffer = "";
    socket.setEncoding("latin1");
    socket.on("error", reject);
    socket.on("data", (chunk: string) => {
      buffer += chunk;
      const end = buffer.indexOf("\r\n");
      if (end < 0) return;
      socket.end();
      resolve(buffer.slice(0, end));
    });
    socket.write(`mg ${key} t\r\n`);
  });
  if (line === "EN") return -2;
  const ttl = /^HD t(-?\d+)$/.exec(line);
  if (!ttl) throw new Error(`memcached answered ${JSON.stringify(line)} to mg`);
  return Number(ttl[1]) < 0 ? -1 : Number(ttl[1]) * 1000;
}

/** A session entry exactly as Django's PyMemcacheCache writes it: the pickled dict, flag 1, the session's age as timeout. */
export async function writeDjangoMemcachedEntry(client: NodeMemcachedClient, cacheKey: string, data: Record<string, unknown>, ttlMs: number): Promise<void> {
  const outcome = await client.store("set", cacheKey, dumpsPickle(new Map(Object.entries(data))), FLAG_PICKLE, memcachedExptime(ttlMs / 1000));
  if (outcome !== "stored") throw new Error(`memcached did not store ${cacheKey}: ${outcome}`);
}
