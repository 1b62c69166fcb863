/**
 * The dashboard's event bus: what happened to sessions and policy, for open
 * dashboards (server-sent events) and for other app instances (policy caches).
 *
 * This module holds the event shape and the in-process bus that serves one
 * instance. Transports that cross instances (PostgreSQL LISTEN/NOTIFY, Redis
 * pub/sub) wrap the same interface. Publishing never throws and never waits
 * on a listener: an event is a hint to refresh, never the record of an
 * action (the audit log and the tables are).
 */
import { randomUUID } from "node:crypto";
import type { AdminLiveEventType } from "../../admin-api.ts";

export const ADMIN_EVENT_TYPES = ["session.login", "session.logout", "session.killed", "policy.changed", "role.changed"] as const satisfies readonly AdminLiveEventType[];
export type AdminEventType = (typeof ADMIN_EVENT_TYPES)[number];

export interface AdminEvent {
  readonly type: AdminEventType;
  /** ISO time the event happened. */
  readonly at: string;
  /** The user concerned (the one who logged in or out, whose sessions were killed, whose role changed), if any. */
  readonly userId?: number | null;
  /** Sessions concerned (kills). */
  readonly count?: number;
  /** The instance that published it, so an instance can tell its own events from others'. */
  readonly origin: string;
}

export type AdminEventInput = Omit<AdminEvent, "at" | "origin"> & { readonly at?: string };
export type AdminEventListener = (event: AdminEvent) => void;

export interface EventBus {
  /** This instance's id (the `origin` of what it publishes). */
  readonly instanceId: string;
  publish(event: AdminEventInput): void;
  /** Returns the function that unsubscribes. */
  subscribe(listener: AdminEventListener): () => void;
  close(): Promise<void>;
}

/** Delivers to every listener; one that throws is reported and does not stop the others. */
export function createListenerSet(onListenerError: (error: unknown) => void = () => {}) {
  const listeners = new Set<AdminEventListener>();
  return {
    add(listener: AdminEventListener): () => void {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    deliver(event: AdminEvent): void {
      for (const listener of [...listeners]) {
        try {
          listener(event);
        } catch (error) {
          onListenerError(error);
        }
      }
    },
    get size() {
      return listeners.size;
    },
  };
}

export function stampEvent(input: AdminEventInput, origin: string, now: () => number = Date.now): AdminEvent {
  return { ...input, at: input.at ?? new Date(now()).toISOString(), origin };
}

/** One process: listeners are called on the next tick, so a publisher never waits on them. */
export function createLocalBus(options: { instanceId?: string; now?: () => number; onListenerError?: (error: unknown) => void } = {}): EventBus {
  const instanceId = options.instanceId ?? randomUUID();
  const listeners = createListenerSet(options.onListenerError);
  return {
    instanceId,
    publish(input) {
      const event = stampEvent(input, instanceId, options.now);
      queueMicrotask(() => listeners.deliver(event));
    },
    subscribe: (listener) => listeners.add(listener),
    async close() {},
  };
}
