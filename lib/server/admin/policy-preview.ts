import "server-only";
/**
 * The impact preview on each engine: one SQL statement where sessions are
 * rows (db, cached_db), or above the overview's snapshot size an estimate
 * from a histogram of them kept the same way (impact-estimate.ts); a walk
 * of the engine's own index where it has one (the Redis cache engine);
 * nothing where the server keeps no list (signed cookies, files), and the
 * answer says so plainly.
 */
import type { PolicyImpact, PolicySettings } from "@/lib/admin-api";
import type { ListableStore } from "@/lib/session";
import type { AdminContext } from "./context.ts";
import { heavyQuery } from "./heavy-read.ts";
import { EDGES, estimateImpact, type ImpactHistogram, usableHistogram } from "./impact-estimate.ts";
import { type ImpactTally, type SessionTimes, tallyImpact } from "./policy-impact.ts";
import { impactHistogramQuery, impactQuery, readImpactRow, type ImpactRow, usersBySessionsQuery } from "./policy-impact-sql.ts";
import { countQuery, expirySource } from "./session-sql.ts";
import { SNAPSHOT_ABOVE, snapshotFor, type SnapshotKind } from "./stats-snapshot.ts";
import { sessionIndex, type SessionIndex } from "./session-keys.ts";

const LISTING_PAGE = 1000;

/** Why the engine cannot be previewed, or null when it can. */
export function previewUnavailable(index: SessionIndex, engine: string): string | null {
  if (index.kind !== "none") return null;
  if (engine === "signed_cookies") {
    return "Sessions live in the browsers' signed cookies: the server keeps no list of them, so no preview is possible. A new policy reaches each cookie at its next request.";
  }
  return `The ${engine} engine keeps no index of its sessions, so no preview is possible. A new policy reaches each session at its next request.`;
}

async function* listed(store: ListableStore, now: Date): AsyncGenerator<SessionTimes> {
  let cursor: string | null = null;
  do {
    const page = await store.list({ status: "active" }, { cursor, limit: LISTING_PAGE }, now);
    for (const item of page.items) yield { expireDate: item.expireDate, createdAt: item.createdAt, lastActivity: item.lastActivity ?? null, userId: item.userId };
    cursor = page.nextCursor;
  } while (cursor !== null);
}

async function tallyListing(store: ListableStore, current: PolicySettings, candidate: PolicySettings, now: Date): Promise<ImpactTally> {
  const sessions: SessionTimes[] = [];
  for await (const session of listed(store, now)) sessions.push(session);
  return tallyImpact(sessions, current, candidate, now);
}

/** The live sessions counted by their times, kept as the second stored snapshot (impact-estimate.ts). */
const HISTOGRAM: SnapshotKind<ImpactHistogram> = {
  id: 2,
  name: "impact preview's",
  usable: usableHistogram,
  async read(context, now) {
    // One pass over the live sessions, on SQLite off the request thread (heavy-read.ts).
    const q = heavyQuery(context);
    const source = expirySource(context);
    const [cells, users] = await Promise.all([
      q<Record<"e" | "c" | "a" | "n" | "signed_in", number | bigint>>(impactHistogramQuery(context.provider, now, source)),
      q<Record<"sessions" | "users", number | bigint>>(usersBySessionsQuery(context.provider, now, source)),
    ]);
    return {
      at: now.toISOString(),
      edges: EDGES,
      cells: cells.map((row) => [Number(row.e), Number(row.c), Number(row.a), Number(row.n), Number(row.signed_in)] as const),
      usersBySessions: users.map((row) => [Number(row.sessions), Number(row.users)] as const),
    };
  },
};

export interface PreviewOptions {
  /** Count every live session even above `estimateAbove` (the editor's "Count exactly"). */
  readonly exact?: boolean;
  /** Stored sessions above which the preview is estimated from the histogram (default: the overview's snapshot size). */
  readonly estimateAbove?: number;
}

export async function previewImpact(context: AdminContext, current: PolicySettings, candidate: PolicySettings, options: PreviewOptions = {}): Promise<PolicyImpact> {
  const index = sessionIndex(context);
  const now = context.now();
  let tally: ImpactTally;
  if (index.kind === "sql") {
    if (!options.exact) {
      // The sessions stored, live or not yet cleared: the trigger-kept total, one read (the live count
      // would walk the expired range, which at a million costs more than the estimate).
      const [stored] = await context.prisma.$queryRaw<Array<{ total: number | bigint }>>(countQuery(context.provider, { status: "all" }, now));
      if (Number(stored?.total ?? 0) > (options.estimateAbove ?? SNAPSHOT_ABOVE)) {
        const { value, asOf } = await snapshotFor(context, now, HISTOGRAM);
        return { available: true, at: now.toISOString(), estimatedFrom: asOf.toISOString(), ...estimateImpact(value, current, candidate, now) };
      }
    }
    // Every live session: on SQLite off the request thread (heavy-read.ts).
    const [row] = await heavyQuery(context)<ImpactRow>(impactQuery(context.provider, current, candidate, now, expirySource(context)));
    tally = readImpactRow(row ?? {});
  } else if (index.kind === "listing") {
    tally = await tallyListing(index.store, current, candidate, now);
  } else {
    return { available: false, reason: previewUnavailable(index, context.runtime.engine)! };
  }
  return { available: true, at: now.toISOString(), estimatedFrom: null, ...tally };
}
