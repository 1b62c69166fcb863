import "server-only";
/**
 * When a live session ends under a policy, if it is not used again: the
 * rule the impact preview counts by, here for one session (the cache engine's
 * listing) and in policy-impact-sql.ts as one SQL statement (db, cached_db).
 *
 * From lib/session/expiry.ts:
 * - The stored expiry (`expire_date`) is fixed at each save: last save +
 *   SESSION_COOKIE_AGE, capped by the idle and absolute limits in force
 *   then. Every load refuses a session past it, so a change of cookie age
 *   reaches a session only at its next save (the preview reports how many
 *   would then get a shorter expiry, never that they end).
 * - The idle timeout and the absolute lifetime are checked at every load,
 *   from the session's data: a new limit applies at the next request. The
 *   absolute lifetime counts from creation. The idle timeout counts from the
 *   last activity recorded in the data, which is written only while an idle
 *   timeout is on; a session saved while it was off counts from its creation.
 *   So: when the current policy has an idle timeout, idleness counts from the
 *   last activity the dashboard recorded (within a minute of the data's);
 *   otherwise, from creation, as the session's next load will.
 * - Browser close, save every request, Secure, SameSite and the per-user
 *   limit end no session by themselves (the last applies at the next login).
 *
 * A session ends by the instant T under policy P when
 *   expire_date <= T, or created + P.absolute <= T, or idleBase + P.idle <= T.
 * "At once" is T = now: the session is refused at its next request.
 */
import type { ImpactBuckets, PolicySettings } from "@/lib/admin-api";

/** The preview's horizons, in seconds from now (cumulative buckets). */
export const HORIZONS = { now: 0, hour: 3_600, day: 86_400, week: 604_800 } as const;
export type Horizon = keyof typeof HORIZONS;
export const HORIZON_NAMES = Object.keys(HORIZONS) as Horizon[];

/** What the rule reads of a session: all indexed columns on the SQL engines. */
export interface SessionTimes {
  readonly expireDate: Date;
  readonly createdAt: Date | null;
  readonly lastActivity: Date | null;
  readonly userId: string | null;
}

export type LimitPolicy = Pick<PolicySettings, "idleTimeout" | "absoluteLifetime">;

/** Whether idleness counts from the recorded activity (the current policy writes it into the data) or from creation. */
export const idleCountsFromActivity = (current: LimitPolicy): boolean => current.idleTimeout !== null;

/** The instant the session ends under `policy` if it is not used again. */
export function sessionEndsAt(session: SessionTimes, policy: LimitPolicy, fromActivity: boolean): number {
  let end = session.expireDate.getTime();
  const created = session.createdAt?.getTime();
  if (created === undefined) return end;
  if (policy.absoluteLifetime !== null) end = Math.min(end, created + policy.absoluteLifetime * 1000);
  if (policy.idleTimeout !== null) {
    const base = fromActivity ? (session.lastActivity?.getTime() ?? created) : created;
    end = Math.min(end, base + policy.idleTimeout * 1000);
  }
  return end;
}

type Counts = { -readonly [K in keyof ImpactBuckets]: number };

export interface ImpactTally {
  total: number;
  current: Counts;
  candidate: Counts;
  endedByChange: number;
  usersSignedOut: number;
  shortenedAtNextSave: number;
}

const emptyBuckets = (): Counts => ({ now: 0, hour: 0, day: 0, week: 0, usersNow: 0 });

/** The preview counted session by session (engines listed through their own index), by the same rule as the SQL. */
export function tallyImpact(sessions: Iterable<SessionTimes>, current: PolicySettings, candidate: PolicySettings, now: Date): ImpactTally {
  const fromActivity = idleCountsFromActivity(current);
  const at = now.getTime();
  const tally: ImpactTally = { total: 0, current: emptyBuckets(), candidate: emptyBuckets(), endedByChange: 0, usersSignedOut: 0, shortenedAtNextSave: 0 };
  const users = { current: new Set<string>(), candidate: new Set<string>(), change: new Set<string>() };
  for (const session of sessions) {
    if (session.expireDate.getTime() <= at) continue;
    tally.total++;
    const ends = { current: sessionEndsAt(session, current, fromActivity), candidate: sessionEndsAt(session, candidate, fromActivity) };
    for (const which of ["current", "candidate"] as const) {
      for (const horizon of HORIZON_NAMES) if (ends[which] <= at + HORIZONS[horizon] * 1000) tally[which][horizon]++;
      if (ends[which] <= at && session.userId !== null) users[which].add(session.userId);
    }
    if (ends.candidate <= at && ends.current > at) {
      tally.endedByChange++;
      if (session.userId !== null) users.change.add(session.userId);
    }
    if (session.expireDate.getTime() > at + candidate.cookieAge * 1000) tally.shortenedAtNextSave++;
  }
  tally.current.usersNow = users.current.size;
  tally.candidate.usersNow = users.candidate.size;
  tally.usersSignedOut = users.change.size;
  return tally;
}
