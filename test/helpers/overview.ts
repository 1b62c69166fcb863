// Shared by the overview's integration tests: a seed plan for a fixed clock, and what the
// overview's snapshot holds as the answer shows it.
import type { SeedPlan } from "../../cli/seed-rows.ts";
import type { AdminStats } from "../../lib/admin-api.ts";
import { DEFAULT_SESSION_POLICY } from "../../lib/session/index.ts";

/** `sessionscope seed`'s plan at `now`: 10% of the sessions expired, spread over `users` users. */
export const seedPlanAt = (secretKey: string, now: Date, users: number): SeedPlan => ({
  secretKey,
  fallbackKeys: [],
  policy: DEFAULT_SESSION_POLICY,
  nowMs: now.getTime(),
  expiredPercent: 10,
  users: Array.from({ length: users }, (_, i) => ({ id: i + 1, authHash: "f".repeat(64) })),
});

/** The breakdowns an answer gives (what the snapshot holds). */
export const breakdownsOf = (stats: AdminStats) => ({
  activeSignedIn: stats.activeSignedIn,
  activeAnonymous: stats.activeAnonymous,
  signedInUsers: stats.signedInUsers?.now,
  byEngine: stats.byEngine,
  byDevice: stats.byDevice,
  topUsers: stats.topUsers.map((row) => row.sessions),
  expirations: stats.expirations,
});
