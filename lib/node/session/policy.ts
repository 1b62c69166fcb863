/**
 * The live session policy: the admin-editable row in `sessionscope_policy`
 * over the environment's defaults. Read at most every few seconds per
 * process, so a change made in the dashboard reaches every server quickly
 * without a database read per request.
 */
import { type SessionConfig, type SessionPolicy, toSessionPolicy } from "../../session/index.ts";
import type { AppPrismaClient } from "../db/connection.ts";

// A change made on another instance arrives as a policy.changed event and drops the cache at once;
// this bounds how stale a policy can be without one (SQLite, or the event channel down).
const REFRESH_MS = 2_000;

export interface LivePolicy {
  get(): Promise<SessionPolicy>;
  /** Forgets the cached row: the next `get` reads it again (after a change here or on another instance). */
  invalidate(): void;
}

export function createLivePolicy(prisma: AppPrismaClient, config: SessionConfig, clock: () => number = Date.now): LivePolicy {
  const defaults = toSessionPolicy(config);
  let cached: { value: SessionPolicy; at: number } | null = null;
  let pending: Promise<SessionPolicy> | null = null;

  async function read(): Promise<SessionPolicy> {
    const row = await prisma.sessionPolicy.findUnique({ where: { id: 1 } });
    const value: SessionPolicy = row
      ? Object.freeze({
          ...defaults,
          cookieAge: row.cookieAge,
          expireAtBrowserClose: row.expireAtBrowserClose,
          idleTimeoutSeconds: row.idleTimeoutSeconds,
          absoluteLifetimeSeconds: row.absoluteLifetimeSeconds,
        })
      : defaults;
    cached = { value, at: clock() };
    return value;
  }

  return {
    async get() {
      if (cached && clock() - cached.at < REFRESH_MS) return cached.value;
      pending ??= read()
        .catch((error: unknown) => {
          // A database hiccup must not change the policy under running sessions.
          if (cached) return cached.value;
          throw error;
        })
        .finally(() => (pending = null));
      return pending;
    },
    invalidate() {
      cached = null;
    },
  };
}
