import "server-only";
/**
 * The impact preview on each engine: one SQL statement where sessions are
 * rows (db, cached_db); a walk of the engine's own index where it has one
 * (the Redis cache engine); nothing where the server keeps no list (signed
 * cookies, files), and the answer says so plainly.
 */
import type { PolicyImpact, PolicySettings } from "@/lib/admin-api";
import type { ListableStore } from "@/lib/session";
import type { AdminContext } from "./context.ts";
import { heavyQuery } from "./heavy-read.ts";
import { type ImpactTally, type SessionTimes, tallyImpact } from "./policy-impact.ts";
import { impactQuery, readImpactRow, type ImpactRow } from "./policy-impact-sql.ts";
import { expirySource } from "./session-sql.ts";
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

export async function previewImpact(context: AdminContext, current: PolicySettings, candidate: PolicySettings): Promise<PolicyImpact> {
  const index = sessionIndex(context);
  const now = context.now();
  let tally: ImpactTally;
  if (index.kind === "sql") {
    // Every live session: on SQLite off the request thread (heavy-read.ts).
    const [row] = await heavyQuery(context)<ImpactRow>(impactQuery(context.provider, current, candidate, now, expirySource(context)));
    tally = readImpactRow(row ?? {});
  } else if (index.kind === "listing") {
    tally = await tallyListing(index.store, current, candidate, now);
  } else {
    return { available: false, reason: previewUnavailable(index, context.runtime.engine)! };
  }
  return { available: true, at: now.toISOString(), ...tally };
}
