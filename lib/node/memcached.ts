/**
 * The Memcached client for the cache and cached_db engines, over memcache-client
 * (text protocol, gets/cas). Two things its stock API does not do, done through its own
 * extension points: values are raw bytes with exact flags (its value packer writes its
 * own flags, where Django's pymemcache reads flag 1 as a pickle), so reads keep the bytes
 * (`_unpackValue`) and writes go through `send`, which writes the storage command line
 * memcache-client's own `store` would, with our flags; and several servers share keys the
 * way pymemcache's HashClient does (memcached-rendezvous.ts), one client per server.
 * Commands time out fast, so an outage costs a request milliseconds, not seconds.
 */
import { MemcacheClient } from "memcache-client";
import type { MemcachedClient, MemcachedItem, StoreOutcome } from "../session/index.ts";
import { parseMemcachedUrl, rendezvousNode } from "./memcached-servers.ts";

/** memcache-client keeping values as the bytes Memcached sent. */
class RawMemcacheClient extends MemcacheClient {
  override _unpackValue(result: { data: string | Buffer }): Buffer {
    return Buffer.isBuffer(result.data) ? result.data : Buffer.from(result.data, "latin1");
  }
}

const OUTCOMES: Record<string, StoreOutcome> = { STORED: "stored", NOT_STORED: "not_stored", EXISTS: "exists", NOT_FOUND: "not_found" };

export interface NodeMemcachedClient extends MemcachedClient {
  readonly servers: readonly string[];
  /** The server that holds `key` (rendezvous hashing over `servers`). */
  serverFor(key: string): string;
  close(): void;
}

export function createMemcachedClient(url: string, options: { readonly cmdTimeoutMs?: number; readonly connectTimeoutMs?: number } = {}): NodeMemcachedClient {
  const servers = parseMemcachedUrl(url);
  const clients = new Map(
    servers.map((server) => [
      server,
      new RawMemcacheClient({ server: { server, maxConnections: 4 }, cmdTimeout: options.cmdTimeoutMs ?? 1_000, connectTimeout: options.connectTimeoutMs ?? 2_000, noDelay: true }),
    ]),
  );
  const serverFor = (key: string) => (servers.length === 1 ? servers[0]! : rendezvousNode(servers, key));
  /** Runs a command on the key's server; a refused, timed-out or dropped connection becomes one recognisable error. */
  async function on<T>(key: string, command: (client: MemcacheClient) => Promise<T>): Promise<T> {
    const server = serverFor(key);
    try {
      return await command(clients.get(server)!);
    } catch (error) {
      const message = (error as Error)?.message ?? String(error);
      // Replies (NOT_FOUND, ERROR, CLIENT_ERROR...) are the server speaking; anything else is the connection failing.
      if (/^[A-Z_]+( |$)/.test(message)) throw error;
      throw new MemcachedUnavailableError(`Memcached at ${server} is unavailable (${message})`, { cause: error });
    }
  }

  return {
    servers,
    serverFor,
    async gets(key) {
      const found = (await on(key, (c) => c.gets<Buffer>(key))) as { value: Buffer; tokens: string[]; casUniq: string | number } | undefined;
      return found ? ({ value: found.value, flags: Number(found.tokens[2]), cas: String(found.casUniq) } satisfies MemcachedItem) : null;
    },
    async store(command, key, value, flags, exptime, cas) {
      if (command === "cas" && !cas) throw new TypeError("memcached: cas needs a cas unique");
      // <command> <key> <flags> <exptime> <bytes> [<cas unique>]\r\n<data>\r\n, as memcache-client's store() writes it.
      const line = `${command} ${key} ${flags} ${exptime} ${value.length}${command === "cas" ? ` ${cas}` : ""}\r\n`;
      try {
        const reply = (await on(key, (c) => c.send<string[]>((socket) => socket?.write(Buffer.concat([Buffer.from(line, "latin1"), value, Buffer.from("\r\n")]))))) as string[];
        return OUTCOMES[reply[0] ?? ""] ?? unexpected(reply.join(" "));
      } catch (error) {
        const outcome = OUTCOMES[(error as Error).message];
        if (outcome) return outcome;
        throw error;
      }
    },
    async delete(key) {
      try {
        await on(key, (c) => c.delete(key));
        return true;
      } catch (error) {
        if ((error as Error).message === "NOT_FOUND") return false;
        throw error;
      }
    },
    close() {
      for (const client of clients.values()) client.shutdown();
    },
  };
}

/** Memcached is down or unreachable: requests answer 503 (lib/node/unavailable.ts), cached_db falls back to the database. */
export class MemcachedUnavailableError extends Error {
  override readonly name = "MemcachedUnavailableError";
  readonly code = "EMEMCACHED_UNAVAILABLE";
}

function unexpected(reply: string): never {
  throw new Error(`memcached: unexpected reply ${JSON.stringify(reply)}`);
}
