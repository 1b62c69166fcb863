/**
 * Which transport carries events between instances, from the set-up the app
 * and the CLI share: Redis when it is configured (pub/sub), else PostgreSQL
 * (LISTEN/NOTIFY), else none. Without one (SQLite), events stay inside one
 * process; see docs/scaling.md.
 */
import type { Redis } from "ioredis";
import type { Database } from "../db/connection.ts";
import { createLocalBus, stampEvent, type AdminEventInput, type EventBus } from "./bus.ts";
import { encodeEvent } from "./codec.ts";
import { createPostgresTransport } from "./postgres-transport.ts";
import { createRedisTransport } from "./redis-transport.ts";
import { createSharedBus, type EventTransport } from "./shared-bus.ts";

export interface EventSetup {
  readonly databaseUrl: string;
  readonly db: Database;
  readonly redis: Redis | null;
}

export interface EventBusOptions {
  /** Warnings: a lost transport connection, an event that could not be sent, a listener that threw. */
  readonly warn?: (message: string) => void;
}

export function createEventTransport(setup: EventSetup, options: EventBusOptions = {}): EventTransport | null {
  const onStatus = (name: string) => (status: "listening" | "lost", detail?: string) => {
    if (status === "lost") options.warn?.(`${name} event channel lost (${detail ?? "unknown"}); reconnecting`);
  };
  if (setup.redis) return createRedisTransport(setup.redis, { onStatus: onStatus("Redis") });
  if (setup.db.provider === "postgresql") return createPostgresTransport({ url: setup.databaseUrl, pool: setup.db.pool, onStatus: onStatus("PostgreSQL") });
  return null;
}

/** This process's bus: shared through the set-up's transport, or in-process when there is none. */
export function createEventBus(setup: EventSetup, options: EventBusOptions = {}): EventBus {
  const onListenerError = (error: unknown) => options.warn?.(`event listener failed: ${String(error)}`);
  const transport = createEventTransport(setup, options);
  if (!transport) return createLocalBus({ onListenerError });
  return createSharedBus(transport, { onListenerError, onSendError: (error) => options.warn?.(`event not sent over ${transport.name}: ${String(error)}`) });
}

/**
 * Sends one event to the running instances and waits until it is sent (for
 * one-shot processes such as the CLI, which has no listeners of its own).
 * Without a shared transport there is nobody to tell: returns false.
 */
export async function announceEvent(setup: EventSetup, input: AdminEventInput, origin = "cli"): Promise<boolean> {
  if (!setup.redis && setup.db.provider !== "postgresql") return false;
  const transport = createEventTransport(setup)!;
  try {
    await transport.send(encodeEvent(stampEvent(input, origin)));
    return true;
  } finally {
    await transport.close();
  }
}
