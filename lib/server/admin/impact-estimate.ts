import "server-only";
/**
 * The impact preview above the snapshot size, from a histogram of the live
 * sessions instead of a pass over them.
 *
 * An exact preview looks at every live session (policy-impact-sql.ts): a
 * second at a million. Above SNAPSHOT_ABOVE live sessions the preview is
 * estimated from a histogram kept as the overview's breakdowns are (a stored
 * snapshot, recomputed in the background at most once a minute by one
 * instance: stats-snapshot.ts), and the editor offers the exact count on
 * request. The histogram counts the live sessions by three times, each in
 * one of the buckets between EDGES:
 *   e  how long until the stored expiry,
 *   c  how long since creation (the absolute lifetime counts from it; so does
 *      the idle timeout while the policy records no activity),
 *   a  how long since the last activity the dashboard recorded, or creation
 *      (the idle timeout counts from it while the policy records activity);
 * and how many of each cell's sessions are signed in.
 *
 * A session ends by the instant T under a policy when its expiry, its
 * creation + lifetime or its idle base + idle timeout is at or before T
 * (policy-impact.ts): one threshold per time, so a cell whose buckets lie
 * wholly on one side of each threshold is counted exactly; in a cell a
 * threshold cuts, its sessions are taken as spread evenly across the
 * bucket, each time independently of the others. The edges fall on the
 * usual policy values (minutes, hours, days, weeks), which are then exact
 * for a fresh snapshot. The snapshot's age is added to every time since it
 * was taken; sessions created since it are not in it.
 *
 * Users signed out cannot be read from counts of sessions: they are
 * estimated from the share of signed-in sessions that end, as if those were
 * drawn at random among the users' sessions. The histogram keeps how many
 * users hold 1, 2, 3… live sessions (a few users hold most sessions on a
 * real site): a user with k sessions keeps them all with the chance
 * (1 - share)^k.
 */
import type { PolicySettings } from "@/lib/admin-api";
import { HORIZON_NAMES, HORIZONS, idleCountsFromActivity, type ImpactTally, type LimitPolicy } from "./policy-impact.ts";

const M = 60;
const H = 3_600;
const D = 86_400;
/**
 * Bucket edges in seconds: 0; 1, 2, 5, 10, 15, 20, 30 and 45 minutes; 1, 1.5, 2, 3, 4, 5, 6, 8, 10,
 * 12, 15, 18 and 21 hours; every day up to 31; then 35 to 730 days. The last bucket is open.
 * A day's resolution where sessions crowd (their cookie ages, two weeks by default, and ages up to
 * a month): the estimate's error is what the buckets a threshold cuts hold.
 */
export const EDGES: readonly number[] = [
  0,
  ...[1, 2, 5, 10, 15, 20, 30, 45].map((m) => m * M),
  ...[1, 1.5, 2, 3, 4, 5, 6, 8, 10, 12, 15, 18, 21].map((h) => h * H),
  ...Array.from({ length: 31 }, (_, i) => (i + 1) * D),
  ...[35, 40, 45, 50, 60, 75, 90, 120, 150, 180, 270, 365, 730].map((d) => d * D),
];

/** One cell: bucket indexes of the three times (-1: the time is unknown: no meta row), sessions, signed-in sessions. */
export type HistogramCell = readonly [e: number, c: number, a: number, sessions: number, signedIn: number];

export interface ImpactHistogram {
  /** When it was computed: every time in it is measured from this instant. */
  readonly at: string;
  /** The edges it was bucketed by (a snapshot bucketed otherwise is recomputed). */
  readonly edges: readonly number[];
  readonly cells: readonly HistogramCell[];
  /** The signed-in users among the live sessions by how many they hold: [sessions, users], one row per count. */
  readonly usersBySessions: ReadonlyArray<readonly [sessions: number, users: number]>;
}

/** Whether a stored histogram can be read by this code. */
export function usableHistogram(value: Partial<ImpactHistogram>): value is ImpactHistogram {
  return typeof value.at === "string" && Array.isArray(value.cells) && Array.isArray(value.usersBySessions)
    && Array.isArray(value.edges) && value.edges.length === EDGES.length && value.edges.every((edge, i) => edge === EDGES[i]);
}

/**
 * The bucket a time since (creation, activity) of `seconds` falls in: [EDGES[i], EDGES[i + 1]), so
 * that "at least an edge" takes whole buckets. Below the first edge: the first bucket.
 */
export function sinceBucketOf(seconds: number): number {
  let i = 0;
  while (i + 1 < EDGES.length && seconds >= EDGES[i + 1]!) i++;
  return i;
}

/** The bucket a time until the expiry of `seconds` falls in: (EDGES[i], EDGES[i + 1]], so that "at most an edge" takes whole buckets. */
export function untilBucketOf(seconds: number): number {
  let i = 0;
  while (i + 1 < EDGES.length && seconds > EDGES[i + 1]!) i++;
  return i;
}

const lower = (i: number) => EDGES[i]!;
/** The open last bucket is read as reaching twice its edge. */
const upper = (i: number) => (i + 1 < EDGES.length ? EDGES[i + 1]! : 2 * EDGES[i]!);

/** The share of bucket `i` (spread evenly; a time-since bucket, open above) at or above `t` seconds. Unknown times (-1) reach no threshold. */
function shareAtLeast(i: number, t: number): number {
  if (i < 0 || t === Infinity) return 0;
  const lo = lower(i), hi = upper(i);
  if (t <= lo) return 1;
  if (t >= hi) return 0;
  return (hi - t) / (hi - lo);
}

/** The share of bucket `i` (spread evenly; a time-until bucket, open below) at or below `t` seconds. */
function shareAtMost(i: number, t: number): number {
  const lo = lower(i), hi = upper(i);
  if (t < lo) return 0;
  if (t >= hi) return 1;
  return (t - lo) / (hi - lo);
}

/** The thresholds a policy sets at `h` seconds from now, on the times since the snapshot `d` seconds ago. */
interface Thresholds {
  /** Ends when the time to expiry (at the snapshot) is at most this. */
  readonly e: number;
  /** Ends when the time since creation (at the snapshot) is at least this. */
  readonly c: number;
  /** Ends when the time since the last activity (at the snapshot) is at least this. */
  readonly a: number;
}

function thresholds(policy: LimitPolicy, fromActivity: boolean, h: number, d: number): Thresholds {
  const lifetime = policy.absoluteLifetime === null ? Infinity : policy.absoluteLifetime - h - d;
  const idle = policy.idleTimeout === null ? Infinity : policy.idleTimeout - h - d;
  return { e: h + d, c: Math.min(lifetime, fromActivity ? Infinity : idle), a: fromActivity ? idle : Infinity };
}

/** The stricter of two policies' thresholds, time by time: a session that outlives it outlives both. */
const stricter = (x: Thresholds, y: Thresholds): Thresholds => ({ e: Math.max(x.e, y.e), c: Math.min(x.c, y.c), a: Math.min(x.a, y.a) });

/** The share of a cell's sessions that outlive the thresholds. */
function outliving([e, c, a]: HistogramCell, t: Thresholds): number {
  return (1 - shareAtMost(e, t.e)) * (1 - shareAtLeast(c, t.c)) * (1 - shareAtLeast(a, t.a));
}

/**
 * Distinct users with at least one of `ended` of the `sessions` signed-in sessions, the users counted
 * by how many sessions they hold: never more than the sessions that end, nor than the users.
 */
export function usersReached(ended: number, sessions: number, usersBySessions: ImpactHistogram["usersBySessions"]): number {
  if (sessions <= 0 || ended <= 0) return 0;
  const keeps = 1 - Math.min(1, ended / sessions);
  const reached = usersBySessions.reduce((sum, [held, users]) => sum + users * (1 - keeps ** held), 0);
  return Math.round(Math.min(reached, ended));
}

const POLICIES = ["current", "candidate"] as const;

/** The preview's counts, estimated from the histogram for the instant `now`. */
export function estimateImpact(histogram: ImpactHistogram, current: PolicySettings, candidate: PolicySettings, now: Date): ImpactTally {
  const fromActivity = idleCountsFromActivity(current);
  const d = Math.max(0, (now.getTime() - Date.parse(histogram.at)) / 1000);
  // Every threshold is the same for every cell: computed once (the loop below allocates nothing).
  const horizons = HORIZON_NAMES.map((name) => HORIZONS[name]);
  const limits = {
    current: horizons.map((h) => thresholds(current, fromActivity, h, d)),
    candidate: horizons.map((h) => thresholds(candidate, fromActivity, h, d)),
  };
  const change = stricter(limits.current[0]!, limits.candidate[0]!);
  const longer = candidate.cookieAge + d;
  const sums = { total: 0, signedIn: 0, endedByChange: 0, signedInByChange: 0, shortened: 0 };
  const ended = { current: horizons.map(() => 0), candidate: horizons.map(() => 0) };
  const signedInNow = { current: 0, candidate: 0 };
  for (const cell of histogram.cells) {
    const e = cell[0], sessions = cell[3], signedIn = cell[4];
    // Expired since the snapshot: no longer live.
    const live = 1 - shareAtMost(e, d);
    if (live <= 0) continue;
    sums.total += sessions * live;
    sums.signedIn += signedIn * live;
    for (const which of POLICIES) {
      const at = limits[which];
      const counts = ended[which];
      for (let i = 0; i < at.length; i++) {
        const share = live - outliving(cell, at[i]!);
        counts[i]! += sessions * share;
        if (i === 0) signedInNow[which] += signedIn * share;
      }
    }
    // Ended at once by the candidate, kept by the current policy.
    const byChange = outliving(cell, limits.current[0]!) - outliving(cell, change);
    sums.endedByChange += sessions * byChange;
    sums.signedInByChange += signedIn * byChange;
    sums.shortened += sessions * (1 - shareAtMost(e, longer));
  }
  const users = (signedInEnded: number) => usersReached(signedInEnded, sums.signedIn, histogram.usersBySessions);
  const buckets = (which: "current" | "candidate") => ({
    now: Math.round(ended[which][0]!),
    hour: Math.round(ended[which][1]!),
    day: Math.round(ended[which][2]!),
    week: Math.round(ended[which][3]!),
    usersNow: users(signedInNow[which]),
  });
  return {
    total: Math.round(sums.total),
    current: buckets("current"),
    candidate: buckets("candidate"),
    endedByChange: Math.round(sums.endedByChange),
    usersSignedOut: users(sums.signedInByChange),
    shortenedAtNextSave: Math.round(sums.shortened),
  };
}
