import "server-only";
import type { Redis } from "ioredis";
import { getDatabase } from "../db/client.ts";
import { getEnv } from "../env.ts";
import { createRedisClient } from "../redis.ts";
import { createSessionRuntime, type SessionRuntime } from "./runtime.ts";

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
  holder.__sessionscopeRuntime ??= createSessionRuntime(getEnv(), getDatabase(), getRedis());
  return holder.__sessionscopeRuntime;
}
