// The cache servers a spec starts for its own app server (test/services/services.mjs: on
// 127.0.0.1, free ports, stopped by PID), and what a request answers while one is down.
import { connect } from "node:net";
import { expect, test } from "@playwright/test";
// @ts-expect-error: plain JavaScript module shared with scripts/test.mjs
import { startMemcached as startMemcachedServer, startRedis as startRedisServer } from "../../test/services/services.mjs";

export interface CacheServer {
  readonly url: string;
  readonly port: number;
  stop(): void;
}

/** A server a spec can take down and bring back on the same port. */
export interface RestartableServer extends CacheServer {
  readonly pid: number;
  /** Stops it by its PID; the port stays closed until `up()`. */
  down(): void;
  /** Starts it again on the same port: Memcached empty, a persistent Redis with what it kept. */
  up(): Promise<void>;
}

export type MemcachedServer = RestartableServer;

/** Starts the server, or skips the spec where it is not installed (an error under CI=true). */
async function started<T>(name: string, start: () => Promise<T | null>): Promise<T> {
  const server = await start();
  test.skip(server === null && process.env.CI !== "true", `${name} is not installed`);
  if (!server) throw new Error(`CI=true: ${name} must be installed`);
  return server;
}

export const startRedis = (options: { persistent?: boolean } = {}) =>
  started<RestartableServer>("redis-server", () => (startRedisServer as (o: typeof options) => Promise<RestartableServer | null>)(options));
export const startMemcached = () => started<MemcachedServer>("memcached", startMemcachedServer as () => Promise<MemcachedServer | null>);

/** The session cookie an API answer set. */
export function setCookieSession(response: Response): string {
  const match = /sessionid=([^;]+)/.exec(response.headers.get("set-cookie") ?? "");
  if (!match?.[1]) throw new Error(`no session cookie in ${response.status} answer`);
  return match[1];
}

/** Adds a product to the cart through the API as a plain client (no browser): the answer. */
export function addToCart(origin: string, productId: number, sessionKey?: string): Promise<Response> {
  const headers: Record<string, string> = { "Content-Type": "application/json", Origin: origin, ...(sessionKey && { Cookie: `sessionid=${sessionKey}` }) };
  return fetch(`${origin}/api/cart/items`, { method: "POST", headers, body: JSON.stringify({ productId }) });
}

/** The session store's outage answer: 503, Retry-After, no cookie, and it says nothing changed. */
export async function expectUnavailableAnswer(response: Response): Promise<void> {
  expect(response.status).toBe(503);
  expect(response.headers.get("retry-after")).toBe("5");
  expect(response.headers.get("set-cookie")).toBeNull();
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe("service_unavailable");
  expect(body.error.message).toMatch(/Nothing was changed/);
}

/** One command to a memcached, its whole answer (up to END). Only for looking at what the app stored. */
async function memcachedCommand(port: number, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let answer = "";
    socket.setTimeout(2000, () => socket.destroy(new Error(`memcached on ${port}: no answer to ${command}`)));
    socket.on("error", reject);
    socket.on("data", (chunk) => {
      answer += chunk.toString("latin1");
      if (/(^|\r\n)(END|ERROR)\r\n$/.test(answer)) {
        socket.end();
        resolve(answer);
      }
    });
    socket.write(`${command}\r\n`);
  });
}

/** Whether the memcached holds a Django cached_db entry for this session key (default KEY_PREFIX and VERSION). */
export async function memcachedHoldsSession(server: CacheServer, sessionKey: string): Promise<boolean> {
  return (await memcachedCommand(server.port, `get :1:django.contrib.sessions.cached_db${sessionKey}`)).startsWith("VALUE ");
}

/** The process id the memcached on this port reports (a restart is a new process, and memcached keeps nothing across one). */
export async function memcachedPid(server: CacheServer): Promise<number> {
  const match = /STAT pid (\d+)/.exec(await memcachedCommand(server.port, "stats"));
  if (!match?.[1]) throw new Error("memcached stats without pid");
  return Number(match[1]);
}
