import "server-only";
/**
 * The dashboard's session listing on the SQL engines (db, cached_db):
 * `django_session` joined to its meta row, with the owner's name from
 * `auth_user`, on both providers.
 *
 * Raw SQL built with Prisma's `sql` tag (bound parameters) and run on the
 * driver (raw-query.ts), rather than the model API, for two reasons: there is
 * no foreign key between django_session and the meta table (a Django site
 * sharing the table deletes rows without knowing the meta table), so Prisma
 * has no relation to join on; and on
 * SQLite Django keeps `expire_date` as `YYYY-MM-DD HH:MM:SS` text, which
 * Prisma's DateTime filters compare as its own ISO text (`expireDate: { gt }`
 * matches neither a live nor an expired row). Single rows are still read
 * through the model API (see sessions.ts).
 *
 * Paging is keyset only, never OFFSET: (sort value, public_id), both in the
 * same direction. The default order, newest first, walks the meta table's
 * (created_at, public_id, expire_date) index backwards; expiry its
 * (expire_date, public_id, …) index; activity its own expression index. The
 * position is the sort value in its exact stored form and the public id: no
 * session key.
 *
 * Where the expiry comes from ("live" or "expired"): in SessionScope's own
 * database, the meta row's copy of it (written with the session row by the
 * engines), which every listing index carries, so a list steps over expired
 * entries and a capped count counts inside the index, and django_session is
 * read only for the page's rows (where the status is confirmed too). In attach
 * mode Django changes expire_date without the copy: every test then reads
 * django_session's, through the join (what it costs: docs/scaling.md).
 */
import { empty, join, raw, sqltag as sql, type Sql } from "@prisma/client/runtime/client";
import { formatPrismaSqliteDate, formatSqliteDate } from "@/lib/session";
import type { SessionQuery, SessionSort } from "./schemas.ts";

/** Where the listing stopped: the last row's sort value (exact stored text) and public id. */
export type SqlPosition = readonly [sortKey: string, publicId: string];

/**
 * The filters as the SQL takes them, with what needs a lookup first already
 * resolved: `user` to an id, the device words to whole device families, the
 * free search to a public-id prefix and the ids of users whose names match.
 */
export interface SqlFilter extends Omit<SessionQuery, "user" | "cursor" | "limit" | "sort" | "device" | "q"> {
  /** A user id, null for anonymous sessions, undefined for anyone. */
  readonly userId?: number | null;
  /** Device families (as the meta table keeps them); undefined for any device. */
  readonly devices?: readonly string[];
  /** Public ids starting with `publicIdPrefix` (null: none) or sessions of `userIds`. */
  readonly search?: { readonly publicIdPrefix: string | null; readonly userIds: readonly number[] };
}

/** Where a session's expiry is read: the meta table's copy, or django_session (attach mode). */
export type ExpirySource = "meta" | "session";

/** The meta table's copy, unless the database is a Django site's (attach mode). */
export const expirySource = (context: { readonly attached?: boolean }): ExpirySource => (context.attached ? "session" : "meta");

/** The expiry column a listing tests and sorts on. */
export const expiryColumn = (source: ExpirySource): Sql => (source === "meta" ? sql`m.expire_date` : sql`s.expire_date`);

export interface ListedRow {
  readonly public_id: string;
  readonly user_id: number | bigint | null;
  readonly username: string | null;
  readonly engine: string;
  readonly created_at: unknown;
  /** 1/0 on SQLite, a boolean on PostgreSQL. */
  readonly created_estimated: unknown;
  readonly last_activity: unknown;
  readonly ip: string | null;
  readonly user_agent: string | null;
  readonly expire_date: unknown;
  readonly session_data: string;
  readonly flagged_at: unknown;
  readonly sort_key: string;
  /** With a preselection: how many sessions it sorted (fewer than asked: every expired one). */
  readonly preselected?: number | bigint | string;
  /** Read by family: 1 when the row passes every test of the page, 0 when it drops out. */
  readonly kept?: number | bigint;
}

interface Dialect {
  /** expire_date's stored form of an instant: Django's text on SQLite. */
  expireValue(date: Date): Sql;
  /** A meta timestamp's stored form: Prisma's text on SQLite. */
  metaValue(date: Date): Sql;
  /** A sort expression as exact text, and that text back as a value to compare with. */
  exactText(expression: Sql): Sql;
  fromExactText(text: string): Sql;
  /** An expression in byte order, as its prefix-range index has it. */
  bytewise(expression: Sql): Sql;
  /**
   * The lower-cased address starts with `prefix` (lower-case). SQLite: the ip index's range (its
   * planner cannot tell a busy prefix from a rare one: AddressPlan). PostgreSQL: starts_with, whose
   * planner support derives the same index range and estimates the matches from the prefix itself,
   * where a bare range's estimate was off by a thousandfold either way (6 for a /16 holding 13,000
   * sessions at a million, sorted in 250 ms), so it walks the order's index for a busy prefix and
   * reads the range for a rare one (1-3 ms at a million either way).
   */
  addressPrefix(tested: Sql, prefix: string): Sql;
  /** Drives the join from the table whose index gives the order (SQLite follows FROM order with CROSS JOIN). */
  readonly crossJoin: boolean;
  /**
   * A condition few rows meet, so the planner walks its index rather than the order's: SQLite has no
   * statistics unless ANALYZE ran (PostgreSQL's planner knows the column is mostly NULL).
   */
  rare(condition: Sql): Sql;
  /**
   * A term the planner must test row by row rather than look up in an index (SQLite's unary +):
   * for broad filters, walking the sort order's index and testing each row finds a page sooner
   * than sorting every match. PostgreSQL's statistics make that choice itself.
   */
  unindexed(expression: Sql): Sql;
  /**
   * Whether the planner walks an index's NULL range for `IS NULL` as for an equality (SQLite does;
   * PostgreSQL's does not, so an order by another column walks that column's index instead).
   */
  readonly nullIsEquality: boolean;
}

const SQLITE: Dialect = {
  expireValue: (date) => sql`${formatSqliteDate(date)}`,
  metaValue: (date) => sql`${formatPrismaSqliteDate(date)}`,
  // CAST: a DATETIME column would come back as a Date from Prisma's adapter; the cursor needs the stored text.
  exactText: (expression) => sql`CAST(${expression} AS TEXT)`,
  fromExactText: (text) => sql`${text}`,
  // SQLite compares text byte by byte already (BINARY), so the plain column's index serves.
  bytewise: (expression) => expression,
  addressPrefix: (tested, prefix) => sql`${tested} >= ${prefix} AND ${tested} < ${prefixEnd(prefix)}`,
  crossJoin: true,
  rare: (condition) => sql`unlikely(${condition})`,
  unindexed: (expression) => sql`+${expression}`,
  nullIsEquality: true,
};

const POSTGRES: Dialect = {
  expireValue: (date) => sql`${date}::timestamptz`,
  metaValue: (date) => sql`${date}::timestamptz`,
  // Microseconds kept: a Django-written expire_date has them, and ties must compare equal.
  exactText: (expression) => sql`to_char(${expression} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
  fromExactText: (text) => sql`${text}::timestamptz`,
  // Whatever the database's collation, the prefix-range indexes are in byte order (migration 20261202000300).
  bytewise: (expression) => sql`(${expression} COLLATE "C")`,
  addressPrefix: (tested, prefix) => sql`starts_with((${tested} COLLATE "C"), ${prefix})`,
  crossJoin: false,
  rare: (condition) => condition,
  unindexed: (expression) => expression,
  nullIsEquality: false,
};

export const dialectFor = (provider: "sqlite" | "postgresql"): Dialect => (provider === "sqlite" ? SQLITE : POSTGRES);

const SORT_EXPRESSIONS: Record<"created" | "activity", Sql> = {
  created: sql`m.created_at`,
  // The expression of the sessionscope_session_meta_activity_idx index, exactly.
  activity: sql`COALESCE(m.last_activity, m.created_at)`,
};

function sortOf(sort: SessionSort, source: ExpirySource): { expression: Sql; descending: boolean; byExpiry: boolean } {
  const descending = sort.startsWith("-");
  const field = (descending ? sort.slice(1) : sort) as "created" | "activity" | "expiry";
  return { expression: field === "expiry" ? expiryColumn(source) : SORT_EXPRESSIONS[field], descending, byExpiry: field === "expiry" };
}

/**
 * The first string after every string that starts with `prefix`, in byte
 * order of UTF-8 (the same as UTF-16's for every character outside the
 * surrogate range).
 */
export function prefixEnd(prefix: string): string {
  const last = prefix.charCodeAt(prefix.length - 1);
  return prefix.slice(0, -1) + String.fromCharCode(last + 1);
}

/** `expression` starts with `prefix`: a range its index walks, never LIKE '%…'. */
const startsWith = (d: Dialect, expression: Sql, prefix: string) => {
  const bytes = d.bytewise(expression);
  return sql`${bytes} >= ${prefix} AND ${bytes} < ${prefixEnd(prefix)}`;
};

/** The lower-cased address, as the meta table's ip index keeps it. */
const ipExpression = (d: Dialect) => d.bytewise(sql`lower(m.ip)`);

/** Whether the address filter is a prefix ("10.1.", "2001:db8:"), matched as a range of the ip index. */
export const isAddressPrefix = (ip: string | undefined): ip is string => ip !== undefined && /[.:]$/.test(ip);

/**
 * How a page with an address prefix finds its rows on SQLite, once the capped count has said how
 * many match (sessions.ts): "range", at most the cap: the prefix's range of the ip index, sorted;
 * "walk", more: along the order's index, testing each row, which finds a page's worth after a short
 * walk. SQLite's planner takes the range whatever its size: at a million sessions, a sort of the
 * 25,000 of a busy /24 took 250 ms, where the walk takes 6. (PostgreSQL chooses for itself from
 * starts_with's estimate: Dialect.addressPrefix.)
 */
export type AddressPlan = "range" | "walk";

/** The meta table, read from the ip index's range for the plan "range" (SQLite). */
function metaTable(d: Dialect, filter: SqlFilter, address: AddressPlan | undefined): Sql {
  return address === "range" && d.crossJoin && isAddressPrefix(filter.ip) ? sql`sessionscope_session_meta m INDEXED BY ${raw(IP_INDEX)}` : sql`sessionscope_session_meta m`;
}

/**
 * The WHERE terms. `forPage`: the terms for the page's query, where a broad filter is better
 * tested row by row along the order's index; a count has no order and uses every index it can.
 * With the meta table's copy of the expiry, a count reads the meta table alone, and a page
 * confirms each of its rows' status against django_session's expiry as well (a Django site
 * writing into the same table changes it without the copy: such a row is left out, never shown
 * with the wrong status).
 */
function conditions(d: Dialect, filter: SqlFilter, now: Date, source: ExpirySource, forPage = false, address?: AddressPlan): Sql[] {
  const unindexed = (expression: Sql) => (forPage ? d.unindexed(expression) : expression);
  const joined = source === "session" || forPage;
  const where: Sql[] = joined ? [sql`s.session_key = m.session_key`] : [];
  const live = (column: Sql) => (filter.status === "active" ? sql`${column} > ${d.expireValue(now)}` : sql`${column} <= ${d.expireValue(now)}`);
  if (filter.status !== "all") {
    where.push(live(expiryColumn(source)));
    if (source === "meta" && forPage) where.push(live(d.unindexed(sql`s.expire_date`)));
  }
  if (filter.userId === null) where.push(sql`m.user_id IS NULL`);
  else if (filter.userId !== undefined) where.push(sql`m.user_id = ${filter.userId}`);
  if (filter.ip) {
    const ip = filter.ip.toLowerCase();
    // A walk tests the prefix row by row along the order's index (on SQLite, not a lookup in the ip index).
    const tested = forPage && address === "walk" ? d.unindexed(sql`lower(m.ip)`) : sql`lower(m.ip)`;
    where.push(isAddressPrefix(ip) ? d.addressPrefix(tested, ip) : sql`${ipExpression(d)} = ${ip}`);
  }
  if (filter.devices) {
    // One family: its index lists it in creation order. Several: their union is broad, walk the order's index.
    const [only] = filter.devices;
    where.push(filter.devices.length === 0 ? sql`1 = 0` : filter.devices.length === 1 ? sql`m.device = ${only}` : sql`${unindexed(sql`m.device`)} IN (${join(filter.devices)})`);
  }
  if (filter.engine) where.push(sql`m.engine = ${filter.engine}`);
  // A range of the flagged_at index: only flagged sessions.
  if (filter.flagged) where.push(d.rare(sql`m.flagged_at IS NOT NULL`));
  if (filter.createdFrom) where.push(sql`m.created_at >= ${d.metaValue(filter.createdFrom)}`);
  if (filter.createdTo) where.push(sql`m.created_at < ${d.metaValue(filter.createdTo)}`);
  if (filter.activeFrom) where.push(sql`${SORT_EXPRESSIONS.activity} >= ${d.metaValue(filter.activeFrom)}`);
  if (filter.activeTo) where.push(sql`${SORT_EXPRESSIONS.activity} < ${d.metaValue(filter.activeTo)}`);
  if (filter.search) {
    const { publicIdPrefix, userIds } = filter.search;
    // Users matched: their sessions can be many (the most active users), walk the order's index.
    // A public id prefix alone: a range of the unique index, a handful of rows.
    const publicId = userIds.length ? unindexed(sql`m.public_id`) : sql`m.public_id`;
    const either = [
      ...(publicIdPrefix ? [startsWith(d, publicId, publicIdPrefix)] : []),
      ...(userIds.length ? [sql`${unindexed(sql`m.user_id`)} IN (${join(userIds)})`] : []),
    ];
    where.push(either.length ? sql`(${join(either, " OR ")})` : sql`1 = 0`);
  }
  return where;
}

/** Whether the filter looks at anything but the session row's expiry. */
const filtersMeta = (filter: SqlFilter) =>
  filter.userId !== undefined ||
  [filter.ip, filter.devices, filter.engine, filter.flagged, filter.createdFrom, filter.createdTo, filter.activeFrom, filter.activeTo, filter.search].some((v) => v !== undefined);

/** The meta table's index by lower-cased address (migration 20261202000300_scale_indexes). */
const IP_INDEX = "sessionscope_session_meta_ip_idx";

/** The meta table's index by expiry (migration 20261204000000_meta_expiry). */
const EXPIRY_INDEX = "sessionscope_session_meta_expiry_idx";

/**
 * The first `limit` expired sessions in the page's order, by the meta table's copy of the expiry:
 * read from the expiry index alone (it holds the expiry, the public id, the creation time and the
 * last activity), so that only they are joined to their session rows, not every expired session.
 */
interface Preselect {
  readonly order: Sql;
  readonly keyset: Sql | null;
  readonly limit: number;
}

/**
 * The expired entries of the meta table, for a preselection, from the expiry index's range and
 * never the order's index: PostgreSQL would rather walk the creation index from the newest,
 * stepping over every live session to reach the oldest, expired ones (OFFSET 0 keeps the range a
 * step of its own, as in metaFrom; SQLite is told the index). Ends in a WHERE clause.
 */
function expiredEntries(d: Dialect, expiredBy: Sql, keyset: Sql | null): Sql {
  const entries = d.crossJoin
    ? sql`sessionscope_session_meta m INDEXED BY ${raw(EXPIRY_INDEX)} WHERE m.expire_date <= ${expiredBy}`
    : sql`(SELECT public_id, created_at, last_activity FROM sessionscope_session_meta WHERE expire_date <= ${expiredBy} OFFSET 0) m WHERE 1 = 1`;
  return keyset ? sql`${entries} AND ${keyset}` : entries;
}

/**
 * The tables, with the meta table's copy of the expiry: the meta table drives, django_session is
 * probed for the page's rows (a count reads the meta table alone). `expiredBy` (now): the expired
 * sessions, listed in another order than expiry's with no other filter, are the expiry index's
 * range, sorted; with `preselect`, only its first rows in the page's order are.
 */
function metaFrom(d: Dialect, forPage: boolean, expiredBy: Sql | null = null, preselect: Preselect | null = null, table = sql`sessionscope_session_meta m`): Sql {
  if (!forPage) return table;
  // PostgreSQL's planner cannot know that expired sessions are the oldest, and would walk the creation
  // index from the newest through every live one: the expired range first (OFFSET 0 keeps it a step).
  const meta = preselect && expiredBy
    ? sql`(SELECT mm.*, count(*) OVER () AS preselected FROM (SELECT m.public_id FROM ${expiredEntries(d, expiredBy, preselect.keyset)}
        ORDER BY ${preselect.order} LIMIT ${preselect.limit}) top JOIN sessionscope_session_meta mm ON mm.public_id = top.public_id) m`
    : !expiredBy
      ? table
      : d.crossJoin
        ? sql`sessionscope_session_meta m INDEXED BY ${raw(EXPIRY_INDEX)}`
        : sql`(SELECT * FROM sessionscope_session_meta WHERE expire_date <= ${expiredBy} OFFSET 0) m`;
  return d.crossJoin ? sql`${meta} CROSS JOIN django_session s` : sql`${meta} JOIN django_session s ON s.session_key = m.session_key`;
}

/**
 * The tables, reading django_session's expiry (attach mode). On SQLite the walk starts from
 * django_session's expiry index only without a meta filter, to list by expiry or to list the
 * expired sessions; a meta filter (one user's sessions, say) starts from the meta table's index
 * for it, and sorts the few rows it finds.
 */
function from(d: Dialect, byExpiry: boolean, expiredFirst: Sql | null = null, table = sql`sessionscope_session_meta m`): Sql {
  if (!d.crossJoin) {
    // PostgreSQL's planner cannot know that expired sessions are the oldest, and would walk the creation
    // index from the newest through every live one: find the expired ones first (OFFSET 0 keeps it a step).
    if (expiredFirst) {
      return sql`(SELECT * FROM django_session WHERE expire_date <= ${expiredFirst} OFFSET 0) s JOIN sessionscope_session_meta m ON s.session_key = m.session_key`;
    }
    return sql`${table} JOIN django_session s ON s.session_key = m.session_key`;
  }
  // The join condition is in WHERE; CROSS JOIN only fixes which table SQLite walks first.
  return byExpiry
    ? sql`django_session s CROSS JOIN sessionscope_session_meta m`
    : sql`${table} CROSS JOIN django_session s`;
}

/**
 * Whether a page can be read through a preselection (`pageQuery`'s `preselect`): the expired
 * sessions in another order than expiry's, with no other filter, on SessionScope's own database.
 * A page read so is exact whenever it comes back full (limit + 1 rows); a shorter one is read
 * again without (sessions.ts).
 */
export const canPreselect = (filter: SqlFilter, sort: SessionSort, source: ExpirySource = "meta"): boolean =>
  source === "meta" && filter.status === "expired" && !sortOf(sort, source).byExpiry && !filtersMeta(filter);

/**
 * Most device families a page reads one by one (canReadByFamily); a filter matching more is broad
 * (a large share of all sessions), and the creation index's walk finds its page after a few rows.
 */
const FAMILY_READS_MAX = 8;

/**
 * Whether a page of several device families can be read one family at a time (PageRead.byFamily):
 * in creation order, each family's range of the device index (device, created_at, public_id,
 * expire_date) is in the page's order, so the first `limit + 1` entries of each, merged, hold the
 * page, read from the index alone; only the page's rows are then read. The other way, the creation
 * index's walk testing each row's family, reads every session between two of the page's: for
 * "firefox" (two families, 2.6 % of the seeded sessions) about 2,000 rows for a page of 50, spread
 * over a file a thousand times larger at a million sessions than at a thousand.
 */
export const canReadByFamily = (filter: SqlFilter, sort: SessionSort, source: ExpirySource = "meta"): boolean =>
  source === "meta" && filter.devices !== undefined && filter.devices.length >= 2 && filter.devices.length <= FAMILY_READS_MAX &&
  filter.search === undefined && !filter.ip && (sort === "created" || sort === "-created");

/** How pageQuery reads a page: see its `preselect`, `address` and `byFamily`. */
export interface PageRead {
  readonly preselect?: number;
  readonly address?: AddressPlan;
  readonly byFamily?: boolean;
}

/**
 * One page (plus one row, to know whether another page follows). `preselect` (when canPreselect):
 * sort only the first `preselect` expired sessions by the meta table's copy of the expiry, read from
 * its index, rather than every expired session with its session row. Each is then confirmed against
 * django_session's expiry, as every page's rows are; the copy is never later than it (a save that
 * moves the expiry writes the copy when it trails by more than a minute), so the sessions the page
 * shows are the first ones of the full list whenever the page comes back full, or the preselection
 * (each row's \`preselected\`) held fewer sessions than asked. `address` (SQLite, with an
 * address prefix): the plan the capped count chose (AddressPlan). `byFamily` (when canReadByFamily):
 * the first `limit + 1` sessions by the meta table's index of each device family, merged, each with
 * `kept` (1 when it passes every test of the page, its session row's expiry included; 0 when that
 * row is gone or says otherwise). The kept ones are the page whenever none was dropped or the merge
 * held fewer than `limit + 1` (every match); otherwise the page is read again without.
 */
export function pageQuery(
  provider: "sqlite" | "postgresql",
  filter: SqlFilter,
  sort: SessionSort,
  after: SqlPosition | null,
  limit: number,
  now: Date,
  source: ExpirySource = "meta",
  { preselect = 0, address, byFamily = false }: PageRead = {},
): Sql {
  const d = dialectFor(provider);
  const { expression, descending, byExpiry } = sortOf(sort, source);
  const where = conditions(d, filter, now, source, true, address);
  // Expired sessions are few (clearsessions removes them) and the oldest: find them by expiry, sort them.
  const sessionFirst = (byExpiry || filter.status === "expired") && !filtersMeta(filter);
  let keyset: Sql | null = null;
  if (after) {
    const [key, publicId] = after;
    const value = d.fromExactText(key);
    keyset = descending
      ? sql`(${expression} < ${value} OR (${expression} = ${value} AND m.public_id < ${publicId}))`
      : sql`(${expression} > ${value} OR (${expression} = ${value} AND m.public_id > ${publicId}))`;
    where.push(keyset);
  }
  const direction = descending ? sql`DESC` : sql`ASC`;
  const order = sql`ORDER BY ${expression} ${direction}, m.public_id ${direction}`;
  if (preselect > 0 && !canPreselect(filter, sort, source)) throw new TypeError("pageQuery: this page cannot be preselected (canPreselect)");
  if (byFamily) {
    if (!canReadByFamily(filter, sort, source)) throw new TypeError("pageQuery: this page cannot be read by family (canReadByFamily)");
    // Each family's first entries, from the device index alone, merged: LIMIT keeps the merge a step of its own,
    // so that only its rows are joined to their meta and session rows.
    const firsts = filter.devices!.map((family, i) => {
      const terms = [...conditions(d, { ...filter, devices: [family] }, now, "meta"), ...(keyset ? [keyset] : [])];
      return sql`SELECT * FROM (SELECT m.public_id AS public_id, m.created_at AS created_at FROM sessionscope_session_meta m
        WHERE ${join(terms, " AND ")} ${order} LIMIT ${limit + 1}) ${raw(`f${i}`)}`;
    });
    const merged = sql`(SELECT m.public_id AS public_id FROM (${join(firsts, " UNION ALL ")}) m ${order} LIMIT ${limit + 1}) top`;
    const rows = d.crossJoin
      ? sql`${merged} CROSS JOIN sessionscope_session_meta m LEFT JOIN django_session s ON s.session_key = m.session_key WHERE m.public_id = top.public_id`
      : sql`${merged} JOIN sessionscope_session_meta m ON m.public_id = top.public_id LEFT JOIN django_session s ON s.session_key = m.session_key`;
    return sql`${listedColumns(d, expression, false)}, CASE WHEN ${join(where, " AND ")} THEN 1 ELSE 0 END AS kept FROM ${rows} ${order}`;
  }
  const chosen = preselect > 0 ? { order: sql`${expression} ${direction}, m.public_id ${direction}`, keyset, limit: preselect } : null;
  const table = metaTable(d, filter, address);
  const tables =
    source === "meta"
      ? metaFrom(d, true, canPreselect(filter, sort, source) ? d.expireValue(now) : null, chosen, table)
      : from(d, sessionFirst, sessionFirst && filter.status === "expired" ? d.expireValue(now) : null, table);
  return sql`${listedColumns(d, expression, chosen !== null)} FROM ${tables} WHERE ${join(where, " AND ")} ${order} LIMIT ${limit + 1}`;
}

/**
 * A page's columns. The owner's name as a subquery, not a join: PostgreSQL runs it for the page's rows after
 * the sort and limit, where a join of a filter estimated at a few hundred rows hashed every user (20,000 at a
 * million sessions).
 */
function listedColumns(d: Dialect, expression: Sql, preselected: boolean): Sql {
  return sql`SELECT m.public_id AS public_id, m.user_id AS user_id, (SELECT u.username FROM auth_user u WHERE u.id = m.user_id) AS username, m.engine AS engine,
    m.created_at AS created_at, m.created_estimated AS created_estimated, m.last_activity AS last_activity, m.ip AS ip, m.user_agent AS user_agent,
    s.expire_date AS expire_date, s.session_data AS session_data, m.flagged_at AS flagged_at, ${d.exactText(expression)} AS sort_key${preselected ? sql`, m.preselected AS preselected` : empty}`;
}

/** Whether countQuery stops at its cap for this filter (otherwise its total is exact). */
export const countIsCapped = (filter: SqlFilter): boolean => filtersMeta(filter) || filter.status === "expired";

/**
 * A filtered count stops after this many matches: the page then says "1,000+ sessions". Counting
 * costs one index entry and one session-row probe per match, so the cap bounds it: at 10,000 a
 * broad filter at a million sessions counted ten times what it counts at a thousand (measured in
 * docs/benchmarks.md, "A million sessions").
 */
export const COUNT_CAP = 1_000;

/**
 * The number of sessions the filter matches: at most `cap + 1` (more means
 * "over `cap`"), so that no count reads the whole table.
 *
 * With no filter but the status, all and active are exact: the trigger-kept
 * total of `django_session` rows (sessionscope_session_count), minus the
 * expired ones, an expire_date index range over the sessions that expired
 * since clearsessions last ran. That count includes sessions a Django site
 * wrote into a shared table and SessionScope has not yet saved (they have no
 * meta row, so they are not listed). The expired list's own total walks the
 * same range and stops at `cap + 1`, as a filtered count does: the range grows
 * with the sessions left expired (20,000 at a million seeded sessions), where a
 * page of them costs the same at any size.
 *
 * With other filters, the matches are counted through the filter's index and
 * the join, and the count stops at `cap + 1`.
 */
export function countQuery(provider: "sqlite" | "postgresql", filter: SqlFilter, now: Date, cap = COUNT_CAP, source: ExpirySource = "meta"): Sql {
  const d = dialectFor(provider);
  if (!filtersMeta(filter)) {
    // An attached Django database has no counter (no trigger on Django's table): the slots are empty, and the rows are counted.
    const total = sql`COALESCE((SELECT CAST(sum(c.total) AS BIGINT) FROM sessionscope_session_count c), (SELECT count(*) FROM django_session s))`;
    const expiredRange = sql`django_session s WHERE s.expire_date <= ${d.expireValue(now)}`;
    if (filter.status === "all") return sql`SELECT ${total} AS total`;
    if (filter.status === "active") return sql`SELECT ${total} - (SELECT count(*) FROM ${expiredRange}) AS total`;
    return sql`SELECT (SELECT count(*) FROM (SELECT 1 AS one FROM ${expiredRange} LIMIT ${cap + 1}) capped) AS total`;
  }
  const capped = (where: Sql[]) =>
    sql`(SELECT count(*) FROM (SELECT 1 AS one FROM ${source === "meta" ? metaFrom(d, false) : from(d, false)} WHERE ${join(where, " AND ")} ${countOrder(d, filter)} LIMIT ${cap + 1}) capped)`;
  const search = filter.search;
  if (search?.publicIdPrefix && search.userIds.length) {
    // Public id OR owner: two index ranges, counted apart (a planner given the OR scans the table).
    const byOwner = capped(conditions(d, { ...filter, search: { publicIdPrefix: null, userIds: search.userIds } }, now, source));
    const byId = capped([
      ...conditions(d, { ...filter, search: { publicIdPrefix: search.publicIdPrefix, userIds: [] } }, now, source),
      sql`(m.user_id IS NULL OR m.user_id NOT IN (${join(search.userIds)}))`,
    ]);
    return sql`SELECT ${byOwner} + ${byId} AS total`;
  }
  return sql`SELECT ${capped(conditions(d, filter, now, source))} AS total`;
}

/**
 * The order a capped count walks its index in. An address: the address index's own order, so that the
 * count walks it and stops at the cap (PostgreSQL's bitmap scan would first read the whole range:
 * 25,000 entries for a busy /24 at a million sessions, 15 ms where the walk takes under one).
 * Expired sessions are the oldest: counting live ones
 * from the newest (or expired ones from the oldest) reaches the cap after about `cap` probes instead
 * of first probing every expired session. Only where the filter's index is in creation order after
 * its equality columns (user, one device family, engine, creation range); elsewhere an ORDER BY
 * would sort every match.
 */
function countOrder(d: Dialect, filter: SqlFilter): Sql {
  if (filter.ip !== undefined) return sql`ORDER BY ${ipExpression(d)}`;
  // A last-activity range: its index from the most recent, where a planner expecting thousands of matches
  // scanned the table in its physical order, oldest sessions first (12 ms at a million, under 2 for the walk).
  if (filter.activeFrom !== undefined || filter.activeTo !== undefined) return filter.search === undefined ? sql`ORDER BY ${SORT_EXPRESSIONS.activity} DESC` : empty;
  // Anonymous sessions on PostgreSQL: IS NULL is no equality to its planner, so an order by creation walked the
  // creation index and tested each row's owner in the heap (2,600 rows for 1,001 matches at a million sessions,
  // 1.05 ms); unordered, it counts inside the owner index's NULL range (0.61 ms). SQLite takes IS NULL as one.
  if (filter.userId === null && !d.nullIsEquality) return empty;
  const creationOrdered = filter.search === undefined && (filter.devices?.length ?? 1) <= 1;
  if (!creationOrdered || filter.status === "all") return empty;
  return filter.status === "active" ? sql`ORDER BY m.created_at DESC` : sql`ORDER BY m.created_at ASC`;
}

/**
 * The device families in the meta table: a loose index scan (one index probe
 * per distinct family, a few dozen), so the device filter can match its words
 * against whole families and then use the device index.
 */
export function deviceFamiliesQuery(): Sql {
  return sql`WITH RECURSIVE families(device) AS (
      SELECT min(device) FROM sessionscope_session_meta
      UNION ALL
      SELECT (SELECT min(n.device) FROM sessionscope_session_meta n WHERE n.device > f.device) FROM families f WHERE f.device IS NOT NULL
    ) SELECT device FROM families WHERE device IS NOT NULL LIMIT 1000`;
}

/** Users whose username starts with `prefix` (lower-case ASCII), first `limit` by name: a range over the lower(username) index. */
export function usernamePrefixQuery(provider: "sqlite" | "postgresql", prefix: string, limit: number): Sql {
  const d = dialectFor(provider);
  return sql`SELECT id FROM auth_user WHERE ${startsWith(d, sql`lower(username)`, prefix)} ORDER BY ${d.bytewise(sql`lower(username)`)} LIMIT ${limit}`;
}

/** Live sessions per user, for the users page (with the meta table's copy, from its user index alone). */
export function activeCountsQuery(provider: "sqlite" | "postgresql", userIds: readonly number[], now: Date, source: ExpirySource = "meta"): Sql {
  const d = dialectFor(provider);
  const tables = source === "meta" ? sql`sessionscope_session_meta m` : sql`sessionscope_session_meta m JOIN django_session s ON s.session_key = m.session_key`;
  return sql`SELECT m.user_id AS user_id, count(*) AS active FROM ${tables}
    WHERE m.user_id IN (${join(userIds)}) AND ${expiryColumn(source)} > ${d.expireValue(now)} GROUP BY m.user_id`;
}
