/**
 * What the SQLite and PostgreSQL engines share: table names, the opaque
 * listing cursor, public ids, user-id mapping and the listing/count SQL,
 * written once against a tiny dialect (placeholders and two string tests).
 *
 * Listing runs in two index-backed phases so that it never uses OFFSET:
 *   phase 0: sessions with a meta row, by (created_at DESC, session_key ASC),
 *            driven by the meta table's created_at index;
 *   phase 1: sessions without one (written by a Django site sharing the
 *            table), by session_key, driven by the primary key.
 * The cursor records the phase and the last position, base64url-encoded.
 */
import { takeRandomBytes } from "../crypto.ts";
import type { SessionListFilter, SessionListItem } from "../store.ts";

export const SESSION_TABLE = "django_session";
export const META_TABLE = "sessionscope_session_meta";
export const DEFAULT_BATCH_SIZE = 1000;

/**
 * Whether a key can be in `django_session` at all: the column is
 * varchar(40), and PostgreSQL refuses NUL in text. A cookie holding anything
 * else is simply no session, never a database error (a 500).
 */
export function isStorableKey(key: string): boolean {
  return key.length <= 40 && !key.includes("\0");
}

export type ListCursor = { readonly phase: 0; readonly created: string | number; readonly key: string } | { readonly phase: 1; readonly key: string };

export function encodeCursor(cursor: ListCursor): string {
  const raw = cursor.phase === 0 ? [0, cursor.created, cursor.key] : [1, cursor.key];
  return Buffer.from(JSON.stringify(raw)).toString("base64url");
}

export function decodeCursor(text: string): ListCursor {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    raw = null;
  }
  if (Array.isArray(raw) && raw[0] === 0 && (typeof raw[1] === "string" || typeof raw[1] === "number") && typeof raw[2] === "string") {
    return { phase: 0, created: raw[1], key: raw[2] };
  }
  if (Array.isArray(raw) && raw[0] === 1 && typeof raw[1] === "string") return { phase: 1, key: raw[1] };
  throw new TypeError("SessionScope: invalid session list cursor");
}

// Public ids: 6 bytes of milliseconds then 10 random bytes (80 bits, from the
// shared CSPRNG pool) → 22 base64url characters. Ids made close in time
// share their leading characters, so inserts land in one region of the unique
// index instead of dirtying a random page of it (measured: -14 µs per SQLite
// create). They reveal only the creation time, which the dashboard shows anyway.
const id = Buffer.alloc(16);

export function newPublicId(now = Date.now()): string {
  id.writeUIntBE(now, 0, 6);
  takeRandomBytes(id, 6, 10);
  return id.toString("base64url");
}

/**
 * The meta table's user_id is an integer column (Django's default AutoField).
 * A user id that is not a 32-bit integer string (a UUID primary key) is not
 * indexed: the session still works, it just has no owner in the dashboard.
 */
export function toDbUserId(userId: string | null): number | null {
  if (userId === null || !/^-?\d{1,10}$/.test(userId)) return null;
  const n = Number(userId);
  return n >= -2147483648 && n <= 2147483647 ? n : null;
}

export function fromDbUserId(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

export interface SqlDialect {
  /** Adds a value and returns its placeholder. */
  param(values: unknown[], value: unknown): string;
  /** The SQL value of an instant compared with expire_date. */
  expireValue(date: Date): unknown;
  /** The SQL value of a cursor's created_at position. */
  createdValue(raw: string | number): unknown;
  /** SQL testing that text expression `expr` starts with the placeholder's text. */
  startsWith(expr: string, placeholder: string): string;
  /** `user_id` as text. */
  userIdText(column: string): string;
  /** created_at as the cursor keeps it: exact, so that ties compare equal. */
  cursorColumn(column: string): string;
}

export interface SqlQuery {
  readonly text: string;
  readonly values: unknown[];
}

function conditions(d: SqlDialect, values: unknown[], filter: SessionListFilter, now: Date, withMeta: boolean): string[] {
  const where: string[] = [];
  const status = filter.status ?? "active";
  if (status !== "all") where.push(`s.expire_date ${status === "active" ? ">" : "<="} ${d.param(values, d.expireValue(now))}`);
  if (!withMeta) return where;
  if (filter.userId !== undefined) where.push(`m.user_id = ${d.param(values, toDbUserId(filter.userId))}`);
  if (filter.query) {
    const q1 = d.param(values, filter.query);
    const q2 = d.param(values, filter.query);
    where.push(`(${d.startsWith("m.public_id", q1)} OR ${d.startsWith(d.userIdText("m.user_id"), q2)})`);
  }
  return where;
}

/** Whether sessions without a meta row can match (they have no owner and no public id). */
export function includesUnindexed(filter: SessionListFilter): boolean {
  return filter.userId === undefined && !filter.query;
}

export function metaPageQuery(d: SqlDialect, filter: SessionListFilter, now: Date, after: ListCursor | null, limit: number): SqlQuery {
  const values: unknown[] = [];
  const where = conditions(d, values, filter, now, true);
  if (after?.phase === 0) {
    // Each use takes its own placeholder: SQLite's `?` are positional.
    const c1 = d.param(values, d.createdValue(after.created));
    const c2 = d.param(values, d.createdValue(after.created));
    where.push(`(m.created_at < ${c1} OR (m.created_at = ${c2} AND m.session_key > ${d.param(values, after.key)}))`);
  }
  const text =
    `SELECT m.session_key AS k, m.created_at AS c, ${d.cursorColumn("m.created_at")} AS cc, m.user_id AS u, m.public_id AS p, s.expire_date AS e, m.last_activity AS a, m.ip AS ip, m.user_agent AS ua ` +
    // CROSS JOIN fixes the join order in SQLite (PostgreSQL plans it as the inner join it is): walk the
    // meta index in listing order and stop at the page's end, instead of sorting every live session.
    `FROM ${META_TABLE} m CROSS JOIN ${SESSION_TABLE} s WHERE ${["s.session_key = m.session_key", ...where].join(" AND ")}` +
    ` ORDER BY m.created_at DESC, m.session_key ASC LIMIT ${d.param(values, limit)}`;
  return { text, values };
}

export function unindexedPageQuery(d: SqlDialect, filter: SessionListFilter, now: Date, afterKey: string | null, limit: number): SqlQuery {
  const values: unknown[] = [];
  const where = conditions(d, values, filter, now, false);
  where.push(`NOT EXISTS (SELECT 1 FROM ${META_TABLE} m WHERE m.session_key = s.session_key)`);
  if (afterKey !== null) where.push(`s.session_key > ${d.param(values, afterKey)}`);
  const text =
    `SELECT s.session_key AS k, s.expire_date AS e FROM ${SESSION_TABLE} s WHERE ${where.join(" AND ")}` +
    ` ORDER BY s.session_key ASC LIMIT ${d.param(values, limit)}`;
  return { text, values };
}

export function countQuery(d: SqlDialect, filter: SessionListFilter, now: Date): SqlQuery {
  const values: unknown[] = [];
  if (includesUnindexed(filter)) {
    const where = conditions(d, values, filter, now, false);
    return { text: `SELECT count(*) AS n FROM ${SESSION_TABLE} s${where.length ? ` WHERE ${where.join(" AND ")}` : ""}`, values };
  }
  const where = conditions(d, values, filter, now, true);
  return {
    text: `SELECT count(*) AS n FROM ${META_TABLE} m JOIN ${SESSION_TABLE} s ON s.session_key = m.session_key WHERE ${where.join(" AND ")}`,
    values,
  };
}

export interface MetaRow {
  readonly k: string;
  readonly c: unknown;
  readonly cc?: unknown;
  readonly u: unknown;
  readonly p: string;
  readonly e: unknown;
  readonly a?: unknown;
  readonly ip?: string | null;
  readonly ua?: string | null;
}
export interface UnindexedRow {
  readonly k: string;
  readonly e: unknown;
}

export interface PageFetcher {
  meta(q: SqlQuery): Promise<MetaRow[]>;
  unindexed(q: SqlQuery): Promise<UnindexedRow[]>;
  toDate(value: unknown): Date;
}

/** A listed session from its meta row. */
export function metaItem(r: MetaRow, toDate: (value: unknown) => Date): SessionListItem {
  return {
    key: r.k,
    publicId: r.p,
    expireDate: toDate(r.e),
    createdAt: toDate(r.c),
    userId: fromDbUserId(r.u),
    lastActivity: r.a == null ? null : toDate(r.a),
    ip: r.ip ?? null,
    userAgent: r.ua ?? null,
  };
}

/** One page of the two-phase listing (see the module comment). */
export async function listPage(
  d: SqlDialect,
  fetch: PageFetcher,
  filter: SessionListFilter,
  page: { cursor?: string | null; limit: number },
  now: Date,
): Promise<{ items: SessionListItem[]; nextCursor: string | null }> {
  const limit = Math.max(1, Math.floor(page.limit));
  const after = page.cursor ? decodeCursor(page.cursor) : null;
  const items: SessionListItem[] = [];
  if (after === null || after.phase === 0) {
    const rows = await fetch.meta(metaPageQuery(d, filter, now, after, limit + 1));
    for (const r of rows.slice(0, limit)) {
      items.push(metaItem(r, fetch.toDate));
    }
    if (rows.length > limit) {
      const last = rows[limit - 1]!;
      return { items, nextCursor: encodeCursor({ phase: 0, created: last.cc as string | number, key: last.k }) };
    }
  }
  if (!includesUnindexed(filter)) return { items, nextCursor: null };
  const remaining = limit - items.length;
  const afterKey = after?.phase === 1 ? after.key : null;
  const rows = await fetch.unindexed(unindexedPageQuery(d, filter, now, afterKey, remaining + 1));
  const taken = rows.slice(0, remaining);
  for (const r of taken) items.push({ key: r.k, publicId: null, expireDate: fetch.toDate(r.e), createdAt: null, userId: null });
  if (rows.length <= remaining) return { items, nextCursor: null };
  return { items, nextCursor: encodeCursor({ phase: 1, key: taken.at(-1)?.k ?? afterKey ?? "" }) };
}
