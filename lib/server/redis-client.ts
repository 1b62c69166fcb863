import "server-only";
import type { Redis } from "ioredis";
import { getEnv } from "../node/env.ts";
import { createRedisClient } from "../node/redis.ts";

// One Redis client per server process (or none without REDIS_URL), kept on globalThis across dev reloads.
const holder = globalThis as typeof globalThis & { __sessionscopeRedis?: Redis | null };

export function getRedis(): Redis | null {
  if (holder.__sessionscopeRedis === undefined) {
    const url = getEnv().REDIS_URL;
    holder.__sessionscopeRedis = url ? createRedisClient(url) : null;
  }
  return holder.__sessionscopeRedis;
}
