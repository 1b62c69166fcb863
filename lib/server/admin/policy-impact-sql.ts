import "server-only";
/**
 * The impact preview on the SQL engines (db, cached_db): policy-impact.ts's
 * rule as ONE statement that returns one row of counts, on SQLite and
 * PostgreSQL alike (`count(*) FILTER (WHERE …)`, which SQLite has had since 3.30).
 *
 * It reads only indexed columns and never fetches a session. In SessionScope's
 * own database the live sessions are a range of the meta table's expiry index
 * (expire_date, public_id, created_at, last_activity, user_id), which holds
 * every column the rule tests: one pass over the index, no lookup per session.
 * In attach mode (the copy of the expiry is not Django's) they are a range of
 * django_session's expire_date index, each joined to its meta row by primary
 * key, and sessions a Django site wrote (no meta row yet) are counted by their
 * expiry alone.
 *
 * What it costs is what is done per live session (a bare count of them is the
 * floor), so that is kept to the least. An inner pass gives each session, under
 * each policy, how many of the horizons it outlives (0: it ends at once … 4: it
 * outlives the week), found by a binary search over the horizons (two or three
 * tests, each stopping at the first limit that ends the session); the counts
 * then compare those small numbers. Every test compares a column with a
 * constant computed here (created_at > T - lifetime rather than created_at +
 * lifetime > T), so nothing is computed per row but comparisons, and on SQLite
 * no text is parsed. Users are counted distinct only among the sessions that
 * end at once (FILTER before DISTINCT), never a distinct set fed every row.
 * (Grouping by user instead costs more on both: SQLite groups by sorting every
 * live session, and PostgreSQL's hash of users runs every count once a session
 * as well: docs/benchmarks.md, "A million sessions".)
 */
import { join, raw, sqltag as sql, type Sql } from "@prisma/client/runtime/client";
import type { PolicySettings } from "@/lib/admin-api";
import { EDGES } from "./impact-estimate.ts";
import { HORIZON_NAMES, HORIZONS, idleCountsFromActivity, type ImpactTally, type LimitPolicy } from "./policy-impact.ts";
import { dialectFor, expiryColumn, type ExpirySource } from "./session-sql.ts";

type Provider = "sqlite" | "postgresql";

/** The row the statement returns: counts as numbers or bigints (PostgreSQL). */
export type ImpactRow = Record<string, number | bigint | null>;

const at = (now: Date, seconds: number) => new Date(now.getTime() + seconds * 1000);

/**
 * The session outlives the instant `t` under `policy` (a boolean SQL expression):
 * expiry, creation + lifetime and idle base + idle timeout all after `t`.
 * `nullable`: the meta row may be missing (attach mode), and a missing time ends nothing.
 */
function outlives(provider: Provider, policy: LimitPolicy, times: Times, t: Date, nullable: boolean): Sql {
  const d = dialectFor(provider);
  const after = (column: Sql, limit: Date) => (nullable ? sql`(${column} > ${d.metaValue(limit)}) IS NOT FALSE` : sql`${column} > ${d.metaValue(limit)}`);
  const tests: Sql[] = [sql`${times.expiry} > ${d.expireValue(t)}`];
  if (policy.absoluteLifetime !== null) tests.push(after(times.created, at(t, -policy.absoluteLifetime)));
  if (policy.idleTimeout !== null) tests.push(after(times.idleBase, at(t, -policy.idleTimeout)));
  return join(tests, " AND ");
}

/**
 * How many of the horizons the session outlives under `policy`: 0 when it ends at once, 1 within
 * the hour, … HORIZON_NAMES.length when it outlives the week. A binary search over the horizons
 * (outliving one means outliving every earlier one): two or three tests a session, whatever
 * the policy ends soonest or latest.
 */
function bucket(provider: Provider, policy: LimitPolicy, times: Times, now: Date, nullable: boolean): Sql {
  const split = (low: number, high: number): Sql => {
    if (low === high) return raw(String(low));
    const middle = Math.ceil((low + high) / 2);
    const horizon = at(now, HORIZONS[HORIZON_NAMES[middle - 1]!]);
    return sql`CASE WHEN ${outlives(provider, policy, times, horizon, nullable)} THEN ${split(middle, high)} ELSE ${split(low, middle - 1)} END`;
  };
  return split(0, HORIZON_NAMES.length);
}

/** The columns the rule reads, as the per-session tests read them. */
interface Times {
  readonly expiry: Sql;
  readonly created: Sql;
  readonly idleBase: Sql;
}

/** The expression of the meta table's activity index, exactly: the idle timeout's base while the data records activity. */
const ACTIVITY_BASE = sql`COALESCE(m.last_activity, m.created_at)`;

/** Where the live sessions are read from, and their times as the per-session tests read them. */
function sessionsOf(provider: Provider, source: ExpirySource, idleBase: Sql) {
  const d = dialectFor(provider);
  const expiry = expiryColumn(source);
  // Row by row, the columns are tested without their type's affinity (SQLite's unary +): a DATETIME
  // column's NUMERIC affinity would try to read both sides of every comparison as a number first
  // (the stored text and the constant), which costs as much as the comparison. Same answers: both are
  // text either way.
  const times: Times = { expiry: d.unindexed(expiry), created: d.unindexed(sql`m.created_at`), idleBase };
  const tables = source === "meta" ? sql`sessionscope_session_meta m` : sql`django_session s LEFT JOIN sessionscope_session_meta m ON m.session_key = s.session_key`;
  return { d, expiry, times, tables };
}

export function impactQuery(provider: Provider, current: PolicySettings, candidate: PolicySettings, now: Date, source: ExpirySource = "meta"): Sql {
  const nullable = source !== "meta";
  // The idle base: the recorded activity, or creation when the data records no activity.
  const { d, expiry, times, tables } = sessionsOf(provider, source, idleCountsFromActivity(current) ? ACTIVITY_BASE : sql`m.created_at`);
  // A change of cookie age alone ends no session sooner: the candidate's ends are the current's.
  const sameLimits = candidate.idleTimeout === current.idleTimeout && candidate.absoluteLifetime === current.absoluteLifetime;
  const perSession = sql`SELECT m.user_id AS user_id,
    ${bucket(provider, current, times, now, nullable)} AS cur,
    ${sameLimits ? sql`` : sql`${bucket(provider, candidate, times, now, nullable)} AS cand,`}
    CASE WHEN ${times.expiry} > ${d.expireValue(at(now, candidate.cookieAge))} THEN 1 ELSE 0 END AS longer
    FROM ${tables} WHERE ${expiry} > ${d.expireValue(now)}`;
  const cand = sameLimits ? sql`t.cur` : sql`t.cand`;
  // Under a policy with no idle timeout nor lifetime no live session ends at once: then a session the
  // candidate ends at once is one the change ends, and both user counts are one distinct set (the same
  // aggregate, computed once).
  const currentEndsNone = current.idleTimeout === null && current.absoluteLifetime === null;
  const changed = currentEndsNone ? sql`${cand} = 0` : sql`${cand} = 0 AND t.cur > 0`;
  const counted = (condition: Sql) => sql`count(*) FILTER (WHERE ${condition})`;
  // Each count, by the name readImpactRow reads it.
  const sessions: Array<[string, Sql]> = [];
  const users: Array<[string, Sql]> = [];
  for (const [name, column] of [["current", sql`t.cur`], ["candidate", cand]] as const) {
    for (const [i, horizon] of HORIZON_NAMES.entries()) sessions.push([`${name}_${horizon}`, sql`${column} <= ${raw(String(i))}`]);
    users.push([`${name}_users`, sql`${column} = 0`]);
  }
  sessions.push(["ended_by_change", changed], ["shortened_at_next_save", sql`t.longer = 1`]);
  users.push(["users_signed_out", changed]);
  // An OFFSET keeps the per-session row computed once, never inlined into each count that reads it.
  const perSessionRows = sql`(${perSession} ${provider === "sqlite" ? sql`LIMIT -1 OFFSET 0` : sql`OFFSET 0`}) t`;
  const columns = [sql`count(*) AS total`, ...sessions.map(([name, test]) => sql`${counted(test)} AS ${raw(name)}`),
    ...users.map(([name, test]) => sql`count(DISTINCT t.user_id) FILTER (WHERE ${test}) AS ${raw(name)}`)];
  return sql`SELECT ${join(columns, ", ")} FROM ${perSessionRows}`;
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

/**
 * The bucket (impact-estimate.ts's EDGES) a time falls in, by binary search: `reached(edge)` tests
 * whether the time is past `edge` (at least it, or more than it: the bucket's open side). Six tests a time.
 */
function edgeBucket(reached: (edge: number) => Sql): Sql {
  const split = (low: number, high: number): Sql => {
    if (low === high) return raw(String(low));
    const middle = Math.ceil((low + high) / 2);
    return sql`CASE WHEN ${reached(EDGES[middle]!)} THEN ${split(middle, high)} ELSE ${split(low, middle - 1)} END`;
  };
  return split(0, EDGES.length - 1);
}

/**
 * The live sessions at `at` counted by three times (impact-estimate.ts): how long until the stored
 * expiry, since creation and since the recorded activity, each as a bucket of EDGES (-1: unknown,
 * a session without its meta row in attach mode), with how many of each cell are signed in. One
 * pass over the same index as the exact preview, grouped.
 */
export function impactHistogramQuery(provider: Provider, at: Date, source: ExpirySource = "meta"): Sql {
  const { d, expiry, times, tables } = sessionsOf(provider, source, ACTIVITY_BASE);
  const since = (column: Sql) => sql`CASE WHEN ${column} IS NULL THEN -1 ELSE ${edgeBucket((edge) => sql`${column} <= ${d.metaValue(new Date(at.getTime() - edge * 1000))}`)} END`;
  // Until the expiry, buckets are open below (EDGES[i], EDGES[i + 1]]; since creation or activity, open above.
  const until = edgeBucket((edge) => sql`${times.expiry} > ${d.expireValue(new Date(at.getTime() + edge * 1000))}`);
  return sql`SELECT ${until} AS e, ${since(times.created)} AS c, ${since(times.idleBase)} AS a, count(*) AS n, count(m.user_id) AS signed_in
    FROM ${tables} WHERE ${expiry} > ${d.expireValue(at)} GROUP BY 1, 2, 3`;
}

/** The signed-in users among the live sessions at `at` by how many they hold (the histogram's users): rows of (sessions, users). */
export function usersBySessionsQuery(provider: Provider, at: Date, source: ExpirySource = "meta"): Sql {
  const { d, expiry, tables } = sessionsOf(provider, source, ACTIVITY_BASE);
  return sql`SELECT held AS sessions, count(*) AS users FROM (SELECT count(*) AS held FROM ${tables}
    WHERE ${expiry} > ${d.expireValue(at)} AND m.user_id IS NOT NULL GROUP BY m.user_id) per_user GROUP BY held`;
}
