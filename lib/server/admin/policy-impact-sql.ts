import "server-only";
/**
 * The impact preview on the SQL engines (db, cached_db): policy-impact.ts's
 * rule as ONE statement that returns one row of conditional aggregates, on
 * SQLite and PostgreSQL alike (SUM(CASE ...) is both dialects' FILTER).
 *
 * It reads only indexed columns and never fetches a session. In SessionScope's
 * own database the live sessions are a range of the meta table's expiry index
 * (expire_date, public_id, created_at, last_activity, user_id), which holds
 * every column the rule tests: one pass over the index, no lookup per session.
 * In attach mode (the copy of the expiry is not Django's) they are a range of
 * django_session's expire_date index, each joined to its meta row by primary
 * key, and sessions a Django site wrote (no meta row yet) are counted by their
 * expiry alone. Every test compares a column with a constant computed here
 * (created_at <= T - lifetime rather than created_at + lifetime <= T), so
 * nothing is computed per row but the comparisons themselves.
 */
import { join, raw, sqltag as sql, type Sql } from "@prisma/client/runtime/client";
import type { PolicySettings } from "@/lib/admin-api";
import { HORIZON_NAMES, HORIZONS, idleCountsFromActivity, type ImpactTally, type LimitPolicy } from "./policy-impact.ts";
import { dialectFor, expiryColumn, type ExpirySource } from "./session-sql.ts";

type Provider = "sqlite" | "postgresql";

/** The row the statement returns: counts as numbers or bigints (PostgreSQL), or null over no rows (SUM). */
export type ImpactRow = Record<string, number | bigint | null>;

const at = (now: Date, seconds: number) => new Date(now.getTime() + seconds * 1000);

/** Whether the session ends by `t` under `policy` (a boolean SQL expression). */
function endsBy(provider: Provider, policy: LimitPolicy, idleBase: Sql, t: Date, expiry: Sql): Sql {
  const d = dialectFor(provider);
  const tests: Sql[] = [sql`${expiry} <= ${d.expireValue(t)}`];
  if (policy.absoluteLifetime !== null) tests.push(sql`m.created_at <= ${d.metaValue(at(t, -policy.absoluteLifetime))}`);
  if (policy.idleTimeout !== null) tests.push(sql`${idleBase} <= ${d.metaValue(at(t, -policy.idleTimeout))}`);
  return sql`(${join(tests, " OR ")})`;
}

const count = (condition: Sql) => sql`SUM(CASE WHEN ${condition} THEN 1 ELSE 0 END)`;

export function impactQuery(provider: Provider, current: PolicySettings, candidate: PolicySettings, now: Date, source: ExpirySource = "meta"): Sql {
  const d = dialectFor(provider);
  const expiry = expiryColumn(source);
  // The expression of the meta table's activity index, exactly; or creation, when the data records no activity.
  const idleBase = idleCountsFromActivity(current) ? sql`COALESCE(m.last_activity, m.created_at)` : sql`m.created_at`;
  const columns: Sql[] = [sql`count(*) AS total`];
  for (const [name, policy] of [["current", current], ["candidate", candidate]] as const) {
    for (const horizon of HORIZON_NAMES) columns.push(sql`${count(endsBy(provider, policy, idleBase, at(now, HORIZONS[horizon]), expiry))} AS ${raw(`${name}_${horizon}`)}`);
    columns.push(sql`COUNT(DISTINCT CASE WHEN ${endsBy(provider, policy, idleBase, now, expiry)} THEN m.user_id END) AS ${raw(`${name}_users`)}`);
  }
  const currentNow = endsBy(provider, current, idleBase, now, expiry);
  const candidateNow = endsBy(provider, candidate, idleBase, now, expiry);
  // CASE, not AND NOT: a NULL (no meta row) must count as "no", never flip to "yes".
  columns.push(sql`SUM(CASE WHEN ${currentNow} THEN 0 WHEN ${candidateNow} THEN 1 ELSE 0 END) AS ended_by_change`);
  columns.push(sql`COUNT(DISTINCT CASE WHEN ${currentNow} THEN NULL WHEN ${candidateNow} THEN m.user_id END) AS users_signed_out`);
  columns.push(sql`${count(sql`${expiry} > ${d.expireValue(at(now, candidate.cookieAge))}`)} AS shortened_at_next_save`);
  const tables = source === "meta" ? sql`sessionscope_session_meta m` : sql`django_session s LEFT JOIN sessionscope_session_meta m ON m.session_key = s.session_key`;
  return sql`SELECT ${join(columns, ", ")} FROM ${tables} WHERE ${expiry} > ${d.expireValue(now)}`;
}

export function readImpactRow(row: ImpactRow): ImpactTally {
  const n = (name: string) => Number(row[name] ?? 0);
  const buckets = (name: string) => ({ now: n(`${name}_now`), hour: n(`${name}_hour`), day: n(`${name}_day`), week: n(`${name}_week`), usersNow: n(`${name}_users`) });
  return {
    total: n("total"),
    current: buckets("current"),
    candidate: buckets("candidate"),
    endedByChange: n("ended_by_change"),
    usersSignedOut: n("users_signed_out"),
    shortenedAtNextSave: n("shortened_at_next_save"),
  };
}
