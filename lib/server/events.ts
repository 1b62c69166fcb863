import "server-only";
import type { AdminEventInput, EventBus } from "@/lib/node/events/bus";
import { createEventBus } from "@/lib/node/events/from-setup";
import { getEnv } from "@/lib/node/env";
import { log, rateLimited } from "@/lib/node/log";
import { getDatabase } from "./db/client.ts";
import { getRedis } from "./redis-client.ts";

// One bus per server process, kept across dev reloads.
const holder = globalThis as typeof globalThis & { __sessionscopeEventBus?: EventBus };

// A transport that is down would otherwise log once per event.
const warn = rateLimited(log.warn, { limit: 5, windowMs: 60_000 });

/**
 * This process's bus: Redis pub/sub or PostgreSQL LISTEN/NOTIFY when the
 * set-up has them, so every instance hears every instance. The session
 * runtime subscribes to it (session/instance.ts): a policy change anywhere
 * drops this process's cached policy, and the next request reads the new one.
 */
export function getEventBus(): EventBus {
  if (!holder.__sessionscopeEventBus) {
    holder.__sessionscopeEventBus = createEventBus({ databaseUrl: getEnv().DATABASE_URL, db: getDatabase(), redis: getRedis() }, { warn });
  }
  return holder.__sessionscopeEventBus;
}

/** Tells open dashboards (and, with a shared transport, other instances) what happened. Never throws. */
export function publishAdminEvent(event: AdminEventInput): void {
  try {
    getEventBus().publish(event);
  } catch (error) {
    log.warn(`event ${event.type} not published: ${String(error)}`);
  }
}
