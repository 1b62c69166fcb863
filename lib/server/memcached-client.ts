import "server-only";
import { getEnv } from "../node/env.ts";
import { createMemcachedClient, type NodeMemcachedClient } from "../node/memcached.ts";

// One Memcached client per server process (or none unless the cache engines use Memcached), kept on globalThis across dev reloads.
const holder = globalThis as typeof globalThis & { __sessionscopeMemcached?: NodeMemcachedClient | null };

export function getMemcached(): NodeMemcachedClient | null {
  if (holder.__sessionscopeMemcached === undefined) {
    const env = getEnv();
    holder.__sessionscopeMemcached = env.cacheBackend === "memcached" && env.MEMCACHED_URL ? createMemcachedClient(env.MEMCACHED_URL) : null;
  }
  return holder.__sessionscopeMemcached;
}
