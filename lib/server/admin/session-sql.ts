import "server-only";
/**
 * The dashboard's session listing on the SQL engines (db, cached_db):
 * `django_session` joined to its meta row and the owner's `auth_user` row,
 * through Prisma's client on both providers.
 *
 * Raw SQL through Prisma (`$queryRaw` with bound parameters) rather than the
 * model API, for two reasons: there is no foreign key between django_session
 * and the meta table (a Django site sharing the table deletes rows without
 * knowing the meta table), so Prisma has no relation to join on; and on
 * SQLite Django keeps `expire_date` as `YYYY-MM-DD HH:MM:SS` text, which
 * Prisma's DateTime filters compare as its own ISO text (`expireDate: { gt }`
 * matches neither a live nor an expired row). Single rows are still read
 * through the model API (see sessions.ts).
 *
 * Paging is keyset only, never OFFSET: (sort value, public_id), both in the
 * same direction. The default order, newest first, walks the meta table's
 * (created_at DESC, session_key) index; expiry walks django_session's
 * expire_date index; activity its own expression index. The position is the
 * sort value in its exact stored form and the public id: no session key.
 */
import { empty, join, sqltag as sql, type Sql } from "@prisma/client/runtime/client";
import { formatPrismaSqliteDate, formatSqliteDate } from "@/lib/session";
import { deviceFilterWords } from "../../node/device.ts";
import type { SessionQuery, SessionSort } from "./schemas.ts";

/** Where the listing stopped: the last row's sort value (exact stored text) and public id. */
export type SqlPosition = readonly [sortKey: string, publicId: string];

/** The filters with `user` already resolved to an id (or to "nobody"), as the SQL takes them. */
export interface SqlFilter extends Omit<SessionQuery, "user" | "cursor" | "limit" | "sort"> {
  /** A user id, null for anonymous sessions, undefined for anyone. */
  readonly userId?: number | null;
}

export interface ListedRow {
  readonly public_id: string;
  readonly user_id: number | bigint | null;
  readonly username: string | null;
  readonly engine: string;
  readonly created_at: unknown;
  readonly last_activity: unknown;
  readonly ip: string | null;
  readonly user_agent: string | null;
  readonly expire_date: unknown;
  readonly session_data: string;
  readonly flagged_at: unknown;
  readonly sort_key: string;
}

interface Dialect {
  /** expire_date's stored form of an instant: Django's text on SQLite. */
  expireValue(date: Date): Sql;
  /** A meta timestamp's stored form: Prisma's text on SQLite. */
  metaValue(date: Date): Sql;
  /** A sort expression as exact text, and that text back as a value to compare with. */
  exactText(expression: Sql): Sql;
  fromExactText(text: string): Sql;
  /** Case-sensitive prefix test (public ids). */
  startsWith(expression: Sql, prefix: string): Sql;
  /** Drives the join from the table whose index gives the order (SQLite follows FROM order with CROSS JOIN). */
  readonly crossJoin: boolean;
  /**
   * A condition few rows meet, so the planner walks its index rather than the order's: SQLite has no
   * statistics unless ANALYZE ran (PostgreSQL's planner knows the column is mostly NULL).
   */
  rare(condition: Sql): Sql;
}

const SQLITE: Dialect = {
  expireValue: (date) => sql`${formatSqliteDate(date)}`,
  metaValue: (date) => sql`${formatPrismaSqliteDate(date)}`,
  // CAST: a DATETIME column would come back as a Date from Prisma's adapter; the cursor needs the stored text.
  exactText: (expression) => sql`CAST(${expression} AS TEXT)`,
  fromExactText: (text) => sql`${text}`,
  startsWith: (expression, prefix) => sql`substr(${expression}, 1, ${prefix.length}) = ${prefix}`,
  crossJoin: true,
  rare: (condition) => sql`unlikely(${condition})`,
};

const POSTGRES: Dialect = {
  expireValue: (date) => sql`${date}::timestamptz`,
  metaValue: (date) => sql`${date}::timestamptz`,
  // Microseconds kept: a Django-written expire_date has them, and ties must compare equal.
  exactText: (expression) => sql`to_char(${expression} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
  fromExactText: (text) => sql`${text}::timestamptz`,
  startsWith: (expression, prefix) => sql`starts_with(${expression}, ${prefix})`,
  crossJoin: false,
  rare: (condition) => condition,
};

export const dialectFor = (provider: "sqlite" | "postgresql"): Dialect => (provider === "sqlite" ? SQLITE : POSTGRES);

const SORT_EXPRESSIONS: Record<"created" | "activity" | "expiry", Sql> = {
  created: sql`m.created_at`,
  // The expression of the sessionscope_session_meta_activity_idx index, exactly.
  activity: sql`COALESCE(m.last_activity, m.created_at)`,
  expiry: sql`s.expire_date`,
};

function sortOf(sort: SessionSort): { expression: Sql; descending: boolean; byExpiry: boolean } {
  const descending = sort.startsWith("-");
  const field = (descending ? sort.slice(1) : sort) as keyof typeof SORT_EXPRESSIONS;
  return { expression: SORT_EXPRESSIONS[field], descending, byExpiry: field === "expiry" };
}

/** LIKE's wildcards taken literally (with ESCAPE '\'). */
const likeLiteral = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

function conditions(d: Dialect, filter: SqlFilter, now: Date): Sql[] {
  const where: Sql[] = [sql`s.session_key = m.session_key`];
  if (filter.status !== "all") where.push(filter.status === "active" ? sql`s.expire_date > ${d.expireValue(now)}` : sql`s.expire_date <= ${d.expireValue(now)}`);
  if (filter.userId === null) where.push(sql`m.user_id IS NULL`);
  else if (filter.userId !== undefined) where.push(sql`m.user_id = ${filter.userId}`);
  if (filter.ip) {
    const ip = filter.ip.toLowerCase();
    where.push(/[.:]$/.test(ip) ? sql`lower(m.ip) LIKE ${`${likeLiteral(ip)}%`} ESCAPE '\\'` : sql`lower(m.ip) = ${ip}`);
  }
  for (const word of filter.device ? deviceFilterWords(filter.device) : []) where.push(sql`m.device LIKE ${`%${likeLiteral(word)}%`} ESCAPE '\\'`);
  if (filter.engine) where.push(sql`m.engine = ${filter.engine}`);
  // A range of the flagged_at index: only flagged sessions.
  if (filter.flagged) where.push(d.rare(sql`m.flagged_at IS NOT NULL`));
  if (filter.createdFrom) where.push(sql`m.created_at >= ${d.metaValue(filter.createdFrom)}`);
  if (filter.createdTo) where.push(sql`m.created_at < ${d.metaValue(filter.createdTo)}`);
  if (filter.activeFrom) where.push(sql`${SORT_EXPRESSIONS.activity} >= ${d.metaValue(filter.activeFrom)}`);
  if (filter.activeTo) where.push(sql`${SORT_EXPRESSIONS.activity} < ${d.metaValue(filter.activeTo)}`);
  if (filter.q) {
    const usernamePrefix = `${likeLiteral(filter.q.toLowerCase())}%`;
    where.push(sql`(${d.startsWith(sql`m.public_id`, filter.q)} OR lower(u.username) LIKE ${usernamePrefix} ESCAPE '\\')`);
  }
  return where;
}

function from(d: Dialect, byExpiry: boolean): Sql {
  const users = sql`LEFT JOIN auth_user u ON u.id = m.user_id`;
  if (!d.crossJoin) return sql`sessionscope_session_meta m JOIN django_session s ON s.session_key = m.session_key ${users}`;
  // The join condition is in WHERE; CROSS JOIN only fixes which table SQLite walks first.
  return byExpiry
    ? sql`django_session s CROSS JOIN sessionscope_session_meta m ${users}`
    : sql`sessionscope_session_meta m CROSS JOIN django_session s ${users}`;
}

/** One page (plus one row, to know whether another page follows). */
export function pageQuery(provider: "sqlite" | "postgresql", filter: SqlFilter, sort: SessionSort, after: SqlPosition | null, limit: number, now: Date): Sql {
  const d = dialectFor(provider);
  const { expression, descending, byExpiry } = sortOf(sort);
  const where = conditions(d, filter, now);
  if (after) {
    const [key, publicId] = after;
    const value = d.fromExactText(key);
    where.push(
      descending
        ? sql`(${expression} < ${value} OR (${expression} = ${value} AND m.public_id < ${publicId}))`
        : sql`(${expression} > ${value} OR (${expression} = ${value} AND m.public_id > ${publicId}))`,
    );
  }
  const direction = descending ? sql`DESC` : sql`ASC`;
  return sql`SELECT m.public_id AS public_id, m.user_id AS user_id, u.username AS username, m.engine AS engine,
    m.created_at AS created_at, m.last_activity AS last_activity, m.ip AS ip, m.user_agent AS user_agent,
    s.expire_date AS expire_date, s.session_data AS session_data, m.flagged_at AS flagged_at, ${d.exactText(expression)} AS sort_key
    FROM ${from(d, byExpiry)} WHERE ${join(where, " AND ")}
    ORDER BY ${expression} ${direction}, m.public_id ${direction} LIMIT ${limit + 1}`;
}

/** Whether the filter looks at anything but the session row's expiry. */
const filtersMeta = (filter: SqlFilter) =>
  filter.userId !== undefined || [filter.ip, filter.device, filter.engine, filter.flagged, filter.createdFrom, filter.createdTo, filter.activeFrom, filter.activeTo, filter.q].some((v) => v !== undefined);

/**
 * The number of sessions the filter matches. With no filter but the status, the expire_date index
 * alone answers (2 ms for 100,000 sessions on SQLite, against 760 ms for the join, which looks up
 * every meta row); that count includes sessions a Django site wrote into a shared table and
 * SessionScope has not yet saved (they have no meta row, so they are not listed).
 */
export function countQuery(provider: "sqlite" | "postgresql", filter: SqlFilter, now: Date): Sql {
  const d = dialectFor(provider);
  if (!filtersMeta(filter)) {
    const status = filter.status === "all" ? empty : filter.status === "active" ? sql`WHERE s.expire_date > ${d.expireValue(now)}` : sql`WHERE s.expire_date <= ${d.expireValue(now)}`;
    return sql`SELECT count(*) AS total FROM django_session s ${status}`;
  }
  const users = filter.q ? sql`LEFT JOIN auth_user u ON u.id = m.user_id` : empty;
  return sql`SELECT count(*) AS total FROM sessionscope_session_meta m JOIN django_session s ON s.session_key = m.session_key ${users}
    WHERE ${join(conditions(d, filter, now), " AND ")}`;
}

/** Live sessions per user, for the users page. */
export function activeCountsQuery(provider: "sqlite" | "postgresql", userIds: readonly number[], now: Date): Sql {
  const d = dialectFor(provider);
  return sql`SELECT m.user_id AS user_id, count(*) AS active FROM sessionscope_session_meta m JOIN django_session s ON s.session_key = m.session_key
    WHERE m.user_id IN (${join(userIds)}) AND s.expire_date > ${d.expireValue(now)} GROUP BY m.user_id`;
}
