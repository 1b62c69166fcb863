/**
 * Which cached dashboard data an event makes stale, and a throttle so that a
 * burst of events (fifty logins in a second) costs one refetch per resource
 * at most every second, the first at once.
 */
import type { Query } from "@tanstack/react-query";
import type { AdminLiveEventType as AdminEventType } from "@/lib/admin-api";

/** The second element of `queryKeys.admin.*` keys: ["admin", <resource>, ...]. */
export type AdminResource = "sessions" | "users" | "audit" | "stats" | "policy";

export const ALL_RESOURCES: readonly AdminResource[] = ["sessions", "users", "audit", "stats", "policy"];

const STALE_AFTER: Record<AdminEventType, readonly AdminResource[]> = {
  // A login or logout changes the session list, users' session counts and the overview's numbers.
  "session.login": ["sessions", "users", "stats"],
  "session.logout": ["sessions", "users", "stats"],
  // Kills and role changes are audited as well.
  "session.killed": ["sessions", "users", "stats", "audit"],
  "role.changed": ["users", "sessions", "stats", "audit"],
  // A new policy moves expiry dates, and is audited.
  "policy.changed": ["policy", "sessions", "stats", "audit"],
};

export const resourcesFor = (type: AdminEventType): readonly AdminResource[] => STALE_AFTER[type];

/**
 * Whether a cached query belongs to one of `resources`. A revealed session
 * auth hash is never refetched behind the admin's back (each reveal is a
 * deliberate, audited request).
 */
export function isStale(query: Pick<Query, "queryKey">, resources: ReadonlySet<string>): boolean {
  const [scope, resource] = query.queryKey;
  return scope === "admin" && typeof resource === "string" && resources.has(resource) && !query.queryKey.includes("reveal");
}

export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Collects resources and hands them to `flush` at most once per `windowMs`:
 * the first request flushes at once, later ones in the window are merged
 * into one flush at its end.
 */
export function createInvalidationThrottle(flush: (resources: ReadonlySet<AdminResource>) => void, windowMs = 1_000, timers: Timers = realTimers) {
  let pending = new Set<AdminResource>();
  let lastFlush = Number.NEGATIVE_INFINITY;
  let timer: unknown = null;
  const run = () => {
    timer = null;
    lastFlush = timers.now();
    const resources = pending;
    pending = new Set();
    if (resources.size > 0) flush(resources);
  };
  return {
    request(resources: Iterable<AdminResource>): void {
      for (const resource of resources) pending.add(resource);
      if (timer !== null) return;
      const wait = lastFlush + windowMs - timers.now();
      if (wait <= 0) run();
      else timer = timers.setTimeout(run, wait);
    },
    cancel(): void {
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
      pending = new Set();
    },
  };
}

/** Every event type the stream sends (the keys above, so a new type cannot be forgotten here). */
export const EVENT_TYPES = Object.keys(STALE_AFTER) as AdminEventType[];

/** Manual reconnects after the stream was refused (401, 403, 503): 1 s doubling to 30 s. */
export const reconnectDelay = (attempt: number): number => Math.min(1_000 * 2 ** attempt, 30_000);
