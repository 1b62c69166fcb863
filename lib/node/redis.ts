/**
 * The Redis client for the cache and cached_db engines. Commands time out
 * fast, so a Redis outage costs a request milliseconds, not seconds: the
 * cached_db engine then falls back to the database.
 */
import { Redis } from "ioredis";

export function createRedisClient(url: string): Redis {
  const client = new Redis(url, {
    connectTimeout: 2_000,
    commandTimeout: 1_000,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  let warned = false;
  client.on("error", (error: Error) => {
    if (!warned) console.warn(`SessionScope: Redis at ${redactUrl(url)} is unavailable (${error.message}); retrying in the background`);
    warned = true;
  });
  client.on("ready", () => {
    if (warned) console.warn(`SessionScope: Redis at ${redactUrl(url)} is back`);
    warned = false;
  });
  return client;
}

/** The URL without its password, for logs. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, "//$1:***@");
}
