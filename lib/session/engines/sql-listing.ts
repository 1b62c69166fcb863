/**
 * Listing, counting and a user's sessions for the SQLite and PostgreSQL
 * engines, written once against a tiny dialect (placeholders and a few
 * expressions).
 *
 * Listing runs in two index-backed phases so that it never uses OFFSET:
 *   phase 0: sessions with a meta row, by (created_at DESC, session_key ASC),
 *            driven by the meta table's created_at index;
 *   phase 1: sessions without one (written by a Django site sharing the
 *            table), by session_key, driven by the primary key.
 * The cursor (list-cursor.ts) records the phase and the last position.
 * In the SQL, `s` is the django_session row and `m` its meta row.
 */
import type { SessionListFilter, SessionListItem, SessionPage } from "../store.ts";
import { decodeCursor, encodeCursor, type ListCursor } from "./list-cursor.ts";
import { META_TABLE, SESSION_TABLE, fromDbUserId, toDbUserId } from "./sql-schema.ts";

export interface SqlDialect {
  /** Adds a value and returns its placeholder. */
  param(values: unknown[], value: unknown): string;
  /** The SQL value of an instant compared with expire_date. */
  expireValue(date: Date): unknown;
  /** SQL testing that text expression `expr` starts with the placeholder's text. */
  startsWith(expr: string, placeholder: string): string;
  /** `user_id` as text. */
  userIdText(column: string): string;
  /** created_at as the cursor keeps it: exact, so that ties compare equal. */
  cursorColumn(column: string): string;
}

export interface SqlQuery {
  /** Set on statements whose text never changes, so a driver can prepare them once under this name. */
  readonly name?: string;
  readonly text: string;
  readonly values: unknown[];
}

/** A session with its meta row, as the listing statements select it. */
export interface MetaRow {
  readonly session_key: string;
  readonly created_at: unknown;
  /** created_at in the exact form the cursor keeps (listing pages only). */
  readonly created_at_cursor?: unknown;
  readonly user_id: unknown;
  readonly public_id: string;
  readonly expire_date: unknown;
  readonly last_activity: unknown;
  readonly ip: string | null;
  readonly user_agent: string | null;
}

/** A session without a meta row. */
export interface UnindexedRow {
  readonly session_key: string;
  readonly expire_date: unknown;
}

/** How an engine runs the listing statements and reads their dates. */
export interface SqlRowReader {
  meta(query: SqlQuery): Promise<MetaRow[]>;
  unindexed(query: SqlQuery): Promise<UnindexedRow[]>;
  count(query: SqlQuery): Promise<number>;
  toDate(value: unknown): Date;
}

const META_ROW_COLUMNS =
  "m.session_key AS session_key, m.created_at AS created_at, m.user_id AS user_id, m.public_id AS public_id, " +
  "s.expire_date AS expire_date, m.last_activity AS last_activity, m.ip AS ip, m.user_agent AS user_agent";

function conditions(d: SqlDialect, values: unknown[], filter: SessionListFilter, now: Date, withMeta: boolean): string[] {
  const where: string[] = [];
  const status = filter.status ?? "active";
  if (status !== "all") where.push(`s.expire_date ${status === "active" ? ">" : "<="} ${d.param(values, d.expireValue(now))}`);
  if (!withMeta) return where;
  if (filter.userId !== undefined) where.push(`m.user_id = ${d.param(values, toDbUserId(filter.userId))}`);
  if (filter.query) {
    const publicIdParam = d.param(values, filter.query);
    const userIdParam = d.param(values, filter.query);
    where.push(`(${d.startsWith("m.public_id", publicIdParam)} OR ${d.startsWith(d.userIdText("m.user_id"), userIdParam)})`);
  }
  return where;
}

/** Whether sessions without a meta row can match (they have no owner and no public id). */
function includesUnindexed(filter: SessionListFilter): boolean {
  return filter.userId === undefined && !filter.query;
}

function metaPageQuery(d: SqlDialect, filter: SessionListFilter, now: Date, after: ListCursor | null, limit: number): SqlQuery {
  const values: unknown[] = [];
  const where = conditions(d, values, filter, now, true);
  if (after?.phase === 0) {
    // Each use takes its own placeholder: SQLite's `?` are positional.
    const createdBefore = d.param(values, after.created);
    const createdSame = d.param(values, after.created);
    where.push(`(m.created_at < ${createdBefore} OR (m.created_at = ${createdSame} AND m.session_key > ${d.param(values, after.key)}))`);
  }
  const text =
    `SELECT ${META_ROW_COLUMNS}, ${d.cursorColumn("m.created_at")} AS created_at_cursor ` +
    // CROSS JOIN fixes the join order in SQLite (PostgreSQL plans it as the inner join it is): walk the
    // meta index in listing order and stop at the page's end, instead of sorting every live session.
    `FROM ${META_TABLE} m CROSS JOIN ${SESSION_TABLE} s WHERE ${["s.session_key = m.session_key", ...where].join(" AND ")}` +
    ` ORDER BY m.created_at DESC, m.session_key ASC LIMIT ${d.param(values, limit)}`;
  return { text, values };
}

function unindexedPageQuery(d: SqlDialect, filter: SessionListFilter, now: Date, afterKey: string | null, limit: number): SqlQuery {
  const values: unknown[] = [];
  const where = conditions(d, values, filter, now, false);
  where.push(`NOT EXISTS (SELECT 1 FROM ${META_TABLE} m WHERE m.session_key = s.session_key)`);
  if (afterKey !== null) where.push(`s.session_key > ${d.param(values, afterKey)}`);
  const text =
    `SELECT s.session_key AS session_key, s.expire_date AS expire_date FROM ${SESSION_TABLE} s WHERE ${where.join(" AND ")}` +
    ` ORDER BY s.session_key ASC LIMIT ${d.param(values, limit)}`;
  return { text, values };
}

function countQuery(d: SqlDialect, filter: SessionListFilter, now: Date): SqlQuery {
  const values: unknown[] = [];
  if (includesUnindexed(filter)) {
    const where = conditions(d, values, filter, now, false);
    return { text: `SELECT count(*) AS total FROM ${SESSION_TABLE} s${where.length ? ` WHERE ${where.join(" AND ")}` : ""}`, values };
  }
  const where = conditions(d, values, filter, now, true);
  return {
    text: `SELECT count(*) AS total FROM ${META_TABLE} m JOIN ${SESSION_TABLE} s ON s.session_key = m.session_key WHERE ${where.join(" AND ")}`,
    values,
  };
}

/** A listed session from its meta row. */
function metaItem(row: MetaRow, toDate: (value: unknown) => Date): SessionListItem {
  return {
    key: row.session_key,
    publicId: row.public_id,
    expireDate: toDate(row.expire_date),
    createdAt: toDate(row.created_at),
    userId: fromDbUserId(row.user_id),
    lastActivity: row.last_activity == null ? null : toDate(row.last_activity),
    ip: row.ip ?? null,
    userAgent: row.user_agent ?? null,
  };
}

/** One page of the two-phase listing (see the module comment). */
export async function listPage(
  d: SqlDialect,
  rows: SqlRowReader,
  filter: SessionListFilter,
  page: { cursor?: string | null; limit: number },
  now: Date,
): Promise<SessionPage> {
  const limit = Math.max(1, Math.floor(page.limit));
  const after = page.cursor ? decodeCursor(page.cursor) : null;
  const items: SessionListItem[] = [];
  if (after === null || after.phase === 0) {
    const metaRows = await rows.meta(metaPageQuery(d, filter, now, after, limit + 1));
    for (const row of metaRows.slice(0, limit)) items.push(metaItem(row, rows.toDate));
    if (metaRows.length > limit) {
      const last = metaRows[limit - 1]!;
      return { items, nextCursor: encodeCursor({ phase: 0, created: last.created_at_cursor as string | number, key: last.session_key }) };
    }
  }
  if (!includesUnindexed(filter)) return { items, nextCursor: null };
  const remaining = limit - items.length;
  const afterKey = after?.phase === 1 ? after.key : null;
  const unindexedRows = await rows.unindexed(unindexedPageQuery(d, filter, now, afterKey, remaining + 1));
  const taken = unindexedRows.slice(0, remaining);
  for (const row of taken) items.push({ key: row.session_key, publicId: null, expireDate: rows.toDate(row.expire_date), createdAt: null, userId: null });
  if (unindexedRows.length <= remaining) return { items, nextCursor: null };
  return { items, nextCursor: encodeCursor({ phase: 1, key: taken.at(-1)?.session_key ?? afterKey ?? "" }) };
}

export function countSessions(d: SqlDialect, rows: SqlRowReader, filter: SessionListFilter, now: Date): Promise<number> {
  return rows.count(countQuery(d, filter, now));
}

/** A user's live sessions, newest first; a user id the meta table cannot hold has none. */
export async function listUserSessions(d: SqlDialect, rows: SqlRowReader, userId: string, now: Date): Promise<SessionListItem[]> {
  const id = toDbUserId(userId);
  if (id === null) return [];
  const values: unknown[] = [];
  const text =
    `SELECT ${META_ROW_COLUMNS} FROM ${META_TABLE} m JOIN ${SESSION_TABLE} s ON s.session_key = m.session_key ` +
    `WHERE m.user_id = ${d.param(values, id)} AND s.expire_date > ${d.param(values, d.expireValue(now))} ` +
    `ORDER BY m.created_at DESC, m.session_key ASC`;
  return (await rows.meta({ name: "sessionscope_listByUser", text, values })).map((row) => metaItem(row, rows.toDate));
}
