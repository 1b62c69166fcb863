import "server-only";
/**
 * The overview's breakdowns of the live sessions (signed in or not, per
 * engine, per device family, per user, distinct users now and a day ago, the
 * expirations timeline) at any size.
 *
 * Each breakdown has to look at every live session: GROUP BY over the live
 * range of django_session joined to the meta table. That costs in proportion
 * to the live set (about 60 ms at a thousand sessions, seconds at a million;
 * docs/benchmarks.md). Trigger-kept rollups could answer in constant time,
 * but every session write would pay for them (the hot rows of a few engines
 * and device families take every login's update), a Django site deleting
 * rows of the shared table leaves meta rows the rollups would still count,
 * and the timeline moves with every save that extends an expiry. So:
 *
 * - up to SNAPSHOT_ABOVE live sessions (the trigger-kept total minus the
 *   expired range, no walk), the breakdowns are read live with the rest of
 *   the overview, exact to the request;
 * - above it, they come from one stored snapshot (sessionscope_stats_snapshot),
 *   recomputed at most once a minute, by one instance at a time (a claim
 *   in the row), in the background while the old one is served; the page
 *   shows its age. Nothing is added to a session write.
 *
 * The headline numbers (active now, logins, logouts, kills, expiries,
 * flagged) are read live at every size: they are index ranges bounded by the
 * day's activity, not by the live set. The estimate of the sessions live a
 * day ago needs the sessions created since, which grows with the day's
 * traffic (seventy thousand a day at a million sessions took 120 ms to
 * count): it goes with the breakdowns.
 */
import type { AdminContext } from "./context.ts";

/** Live sessions above which the breakdowns come from the snapshot. */
export const SNAPSHOT_ABOVE = 20_000;
/** How old a snapshot may be before a request starts its refresh. */
export const SNAPSHOT_MAX_AGE_MS = 60_000;
/** Older than this (nobody looked for a while), a snapshot is recomputed before it is shown. */
export const SNAPSHOT_STALE_MS = 10 * 60_000;
/** A refresh claimed longer ago than this is taken to have died with its instance. */
export const REFRESH_CLAIM_MS = 10 * 60_000;

/** What the breakdown queries return, as plain numbers (JSON in the snapshot). */
export interface StatsBreakdowns {
  /** Live sessions when computed (the anonymous count is this less the signed-in ones, from the same moment). */
  readonly total: number;
  readonly perEngine: ReadonlyArray<{ readonly engine: string; readonly total: number; readonly signedIn: number }>;
  readonly users: number;
  readonly usersDayAgo: number;
  readonly perDevice: ReadonlyArray<{ readonly device: string | null; readonly total: number }>;
  readonly top: ReadonlyArray<{ readonly userId: number; readonly total: number }>;
  readonly perDay: ReadonlyArray<{ readonly day: string; readonly total: number }>;
  /**
   * Sessions created in the 24 hours before it was computed: the estimate of those live a day ago
   * needs it, and it grows with the site's daily traffic, so above the size it comes from here too.
   */
  readonly createdDay: number;
}

/** A stored payload written before a field was added is recomputed rather than shown with a gap. */
const complete = (breakdowns: Partial<StatsBreakdowns>): breakdowns is StatsBreakdowns => typeof breakdowns.createdDay === "number";

export interface TimedBreakdowns {
  readonly breakdowns: StatsBreakdowns;
  /** When the snapshot was computed; null when read live for this request. */
  readonly asOf: Date | null;
}

export type ReadBreakdowns = (context: AdminContext, now: Date) => Promise<StatsBreakdowns>;

/** Refreshes this process started and has not finished (awaited by tests and at shutdown). */
const running = new Set<Promise<void>>();

/** Resolves when every refresh this process started has finished. */
export async function snapshotRefreshes(): Promise<void> {
  while (running.size) await Promise.all(running);
}

/**
 * A stored snapshot: one row of sessionscope_stats_snapshot, by id. The overview's breakdowns are
 * row 1; the impact preview's histogram (impact-estimate.ts) is row 2, refreshed only when a preview
 * needs it.
 */
export interface SnapshotKind<T> {
  readonly id: number;
  /** What it is, for the log when a refresh fails. */
  readonly name: string;
  /** Whether a stored payload can be served (one written before a field was added is recomputed instead). */
  readonly usable: (payload: Partial<T>) => payload is T;
  readonly read: (context: AdminContext, now: Date) => Promise<T>;
}

async function store<T>(context: AdminContext, id: number, takenAt: Date, value: T): Promise<void> {
  const payload = JSON.stringify(value);
  await context.prisma.statsSnapshot.upsert({
    where: { id },
    create: { id, takenAt, payload, refreshStartedAt: null },
    update: { takenAt, payload, refreshStartedAt: null },
  });
}

/** Takes the refresh for this instance if no other holds a live claim: one UPDATE, so two instances cannot both win. */
async function claim(context: AdminContext, id: number, now: Date): Promise<boolean> {
  const { count } = await context.prisma.statsSnapshot.updateMany({
    where: { id, OR: [{ refreshStartedAt: null }, { refreshStartedAt: { lt: new Date(now.getTime() - REFRESH_CLAIM_MS) } }] },
    data: { refreshStartedAt: now },
  });
  return count === 1;
}

function refreshInBackground<T>(context: AdminContext, now: Date, kind: SnapshotKind<T>): void {
  const job = (async () => {
    try {
      await store(context, kind.id, now, await kind.read(context, now));
    } catch (error) {
      // The old snapshot stays; the claim is released so that the next request tries again.
      console.error(`sessionscope: the ${kind.name} snapshot could not be refreshed`, error);
      await context.prisma.statsSnapshot.updateMany({ where: { id: kind.id }, data: { refreshStartedAt: null } }).catch(() => undefined);
    }
  })();
  running.add(job);
  void job.finally(() => running.delete(job));
}

/** The payload this process last read of each snapshot, parsed, per database (its Prisma client), with the time it was taken. */
const lastRead = new WeakMap<object, Map<number, { readonly takenAt: number; readonly payload: unknown }>>();

/**
 * A stored snapshot's time and parsed payload. The payload (the preview's histogram: tens of
 * kilobytes at a million sessions) is read and parsed again only when the row's time has changed
 * since this process last read it, at most once a minute: otherwise one read of its time.
 */
async function readStored<T>(context: AdminContext, id: number): Promise<{ takenAt: Date | null; payload: Partial<T> | null } | null> {
  let seen = lastRead.get(context.prisma);
  if (!seen) lastRead.set(context.prisma, (seen = new Map()));
  const head = await context.prisma.statsSnapshot.findUnique({ where: { id }, select: { takenAt: true } });
  if (!head) return null;
  const known = seen.get(id);
  if (head.takenAt && known?.takenAt === head.takenAt.getTime()) return { takenAt: head.takenAt, payload: known.payload as Partial<T> };
  const row = await context.prisma.statsSnapshot.findUnique({ where: { id }, select: { takenAt: true, payload: true } });
  if (!row) return null;
  const payload = row.payload ? (JSON.parse(row.payload) as Partial<T>) : null;
  if (row.takenAt && payload) seen.set(id, { takenAt: row.takenAt.getTime(), payload });
  return { takenAt: row.takenAt, payload };
}

/**
 * A snapshot for a request at `now`: computed here the first time and when older than
 * SNAPSHOT_STALE_MS; refreshed in the background once older than SNAPSHOT_MAX_AGE_MS.
 */
export async function snapshotFor<T>(context: AdminContext, now: Date, kind: SnapshotKind<T>): Promise<{ readonly value: T; readonly asOf: Date }> {
  const row = await readStored<T>(context, kind.id);
  const stored = row?.payload ?? null;
  if (!row?.takenAt || !stored || !kind.usable(stored) || now.getTime() - row.takenAt.getTime() > SNAPSHOT_STALE_MS) {
    const value = await kind.read(context, now);
    await store(context, kind.id, now, value);
    return { value, asOf: now };
  }
  if (now.getTime() - row.takenAt.getTime() > SNAPSHOT_MAX_AGE_MS && (await claim(context, kind.id, now))) refreshInBackground(context, now, kind);
  return { value: stored, asOf: row.takenAt };
}

/**
 * The breakdowns for a request at `now` with `live` sessions: read live up to `above`, else
 * the snapshot (row 1).
 */
export async function breakdownsFor(context: AdminContext, now: Date, live: number, read: ReadBreakdowns, above = SNAPSHOT_ABOVE): Promise<TimedBreakdowns> {
  if (live <= above) return { breakdowns: await read(context, now), asOf: null };
  const { value, asOf } = await snapshotFor(context, now, { id: 1, name: "overview's", usable: complete, read });
  return { breakdowns: value, asOf };
}
