import "server-only";
import type { Redis } from "ioredis";
import { getDatabase } from "../db/client.ts";
import { getEventBus } from "../events.ts";
import { getEnv } from "../../node/env.ts";
import { createRedisClient } from "../../node/redis.ts";
import { createSessionRuntime, type SessionRuntime } from "../../node/session/runtime.ts";

// One runtime per server process, kept on globalThis across dev reloads.
const holder = globalThis as typeof globalThis & { __sessionscopeRuntime?: SessionRuntime; __sessionscopeRedis?: Redis | null };

export function getRedis(): Redis | null {
  if (holder.__sessionscopeRedis === undefined) {
    const url = getEnv().REDIS_URL;
    holder.__sessionscopeRedis = url ? createRedisClient(url) : null;
  }
  return holder.__sessionscopeRedis;
}

export function getSessionRuntime(): SessionRuntime {
  if (!holder.__sessionscopeRuntime) {
    holder.__sessionscopeRuntime = createSessionRuntime(getEnv(), getDatabase(), getRedis());
    // From the first request on, hear the other instances: a policy change there must reach this runtime's cache.
    getEventBus();
  }
  return holder.__sessionscopeRuntime;
}
