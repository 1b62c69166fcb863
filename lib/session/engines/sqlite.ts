/**
 * The database engine (Django's `backends.db`) on SQLite, through an injected
 * better-sqlite3-like driver. Every hot-path statement is prepared once here.
 *
 * Rows are Django's own (`django_session`, expire_date as naive UTC text), so
 * a Django site can share the file. SessionScope adds a meta row per session
 * (owner, creation time, public id, a copy of the expiry) in the same transaction.
 *
 * Compare-and-swap: the version is the stored session_data string; an update
 * only lands `WHERE session_data = <version>`. SQLite serialises writers, so
 * the check and the write are one atomic step across connections and processes.
 */
import { systemClock, type Clock } from "../expiry.ts";
import type {
  CacheInvalidationKind, CacheOutboxStore,
  ActivityStore, IssuedBeforeStore, KillRecord, KillResult, KillStore, KillTarget, ListableStore, SaveRecord, SaveResult, DatedLoadStore, DatedStoredSession,
  UserIndexedStore,
} from "../store.ts";
import { removeInBatches } from "./batches.ts";
import { recordInsert } from "./sql-kill.ts";
import { newPublicId } from "./public-id.ts";
import { countSessions, listPage, listUserSessions, type MetaRow, type SqlDialect, type SqlRowReader, type UnindexedRow } from "./sql-listing.ts";
import { META_TABLE, OUTBOX_TABLE, SESSION_TABLE, SIGHTING_TABLE, activityColumns, expiryCopySlackMs, isStorableKey, toDbUserId } from "./sql-schema.ts";
import { formatPrismaSqliteDate, formatSqliteDate, parseSqliteDate } from "./sqlite-dates.ts";

/** The part of a better-sqlite3 statement the engine uses. */
export interface SqliteStatement {
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): { changes: number };
}

/** The part of a better-sqlite3 `Database` the engine uses. */
export interface SqliteDriver {
  prepare(sql: string): SqliteStatement;
  /** `immediate` begins with the write lock (BEGIN IMMEDIATE): for a transaction that reads before it writes. */
  transaction<A extends unknown[], R>(fn: (...args: A) => R): ((...args: A) => R) & { immediate(...args: A): R };
}

export type SqlStore = DatedLoadStore & ListableStore & UserIndexedStore & IssuedBeforeStore & ActivityStore & KillStore & CacheOutboxStore;

export interface SqliteStoreOptions {
  /** The engine name written to the meta table (cached_db passes "cached_db"). */
  readonly metaEngine?: string;
  /** Where the engine takes the time it records itself (public ids); default the system clock. */
  readonly clock?: Clock;
}

const dialect: SqlDialect = {
  param: (values, value) => (values.push(value), "?"),
  expireValue: formatSqliteDate,
  startsWith: (expr, p) => `instr(${expr}, ${p}) = 1`,
  userIdText: (column) => `CAST(${column} AS TEXT)`,
  cursorColumn: (column) => column,
};

/** Two known values that differ (an unknown address or device is no evidence of a change). */
const differs = (before: string | null, now: string | null) => before !== null && now !== null && before !== now;

// Between batches: lets other requests of this process take the write lock.
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export function createSqliteStore(db: SqliteDriver, options: SqliteStoreOptions = {}): SqlStore {
  const metaEngine = options.metaEngine ?? "db";
  const clock = options.clock ?? systemClock;
  const statements = {
    load: db.prepare(`SELECT session_data, expire_date FROM ${SESSION_TABLE} WHERE session_key = ? AND expire_date > ?`),
    exists: db.prepare(`SELECT 1 AS found FROM ${SESSION_TABLE} WHERE session_key = ?`),
    insert: db.prepare(`INSERT INTO ${SESSION_TABLE} (session_key, session_data, expire_date) VALUES (?, ?, ?) ON CONFLICT (session_key) DO NOTHING`),
    update: db.prepare(`UPDATE ${SESSION_TABLE} SET session_data = ?, expire_date = ? WHERE session_key = ? AND session_data = ?`),
    // The common save: the meta row already names the same owner, so only the session row changes.
    updateSameOwner: db.prepare(
      `UPDATE ${SESSION_TABLE} SET session_data = ?, expire_date = ? WHERE session_key = ? AND session_data = ? ` +
        `AND EXISTS (SELECT 1 FROM ${META_TABLE} WHERE session_key = ? AND user_id IS ?)`,
    ),
    // A leftover meta row (its session deleted by Django) is reset on insert.
    insertMeta: db.prepare(
      `INSERT INTO ${META_TABLE} (session_key, public_id, user_id, created_at, engine, expire_date) VALUES (?, ?, ?, ?, ?, ?) ` +
        `ON CONFLICT (session_key) DO UPDATE SET public_id = excluded.public_id, user_id = excluded.user_id, ` +
        `created_at = excluded.created_at, engine = excluded.engine, expire_date = excluded.expire_date, ` +
        `last_activity = NULL, ip = NULL, user_agent = NULL, device = NULL, flagged_at = NULL`,
    ),
    // On update the owner may change (login without a key change) and the expiry's copy follows the
    // session row's; a session a Django site created gets its meta row here, the first time SessionScope saves it.
    upsertMeta: db.prepare(
      `INSERT INTO ${META_TABLE} (session_key, public_id, user_id, created_at, engine, expire_date) VALUES (?, ?, ?, ?, ?, ?) ` +
        `ON CONFLICT (session_key) DO UPDATE SET user_id = excluded.user_id, expire_date = excluded.expire_date`,
    ),
    // The common save's second half: the meta row's copy of the expiry (the dashboard lists from it),
    // rewritten only when it is later than the new expiry or trails it by more than the slack.
    metaExpiry: db.prepare(`UPDATE ${META_TABLE} SET expire_date = ? WHERE session_key = ? AND (expire_date IS NULL OR expire_date > ? OR expire_date < ?)`),
    delete: db.prepare(`DELETE FROM ${SESSION_TABLE} WHERE session_key = ?`),
    deleteMeta: db.prepare(`DELETE FROM ${META_TABLE} WHERE session_key = ?`),
    deleteMetaMany: db.prepare(`DELETE FROM ${META_TABLE} WHERE session_key IN (SELECT value FROM json_each(?))`),
    deleteSessionsMany: db.prepare(`DELETE FROM ${SESSION_TABLE} WHERE session_key IN (SELECT value FROM json_each(?))`),
    clearBatch: db.prepare(
      `DELETE FROM ${SESSION_TABLE} WHERE rowid IN (SELECT rowid FROM ${SESSION_TABLE} WHERE expire_date < ? LIMIT ?) RETURNING session_key`,
    ),
    deleteUserMeta: db.prepare(
      `DELETE FROM ${META_TABLE} WHERE user_id = ? AND session_key IS NOT ? RETURNING session_key`,
    ),
    issuedBeforeBatch: db.prepare(
      `DELETE FROM ${META_TABLE} WHERE rowid IN (SELECT rowid FROM ${META_TABLE} WHERE created_at < ? LIMIT ?) RETURNING session_key`,
    ),
    activityBefore: db.prepare(`SELECT ip, device, created_at, last_activity, flagged_at FROM ${META_TABLE} WHERE session_key = ?`),
    activity: db.prepare(`UPDATE ${META_TABLE} SET last_activity = ?, ip = ?, user_agent = ?, device = ?, flagged_at = COALESCE(flagged_at, ?) WHERE session_key = ?`),
    sighting: db.prepare(`INSERT INTO ${SIGHTING_TABLE} (session_key, at, ip, device) VALUES (?, ?, ?, ?)`),
    killSessions: db.prepare(`DELETE FROM ${SESSION_TABLE} WHERE session_key IN (SELECT value FROM json_each(?)) RETURNING session_key`),
    killIssuedBeforeMeta: db.prepare(`DELETE FROM ${META_TABLE} WHERE created_at < ? RETURNING session_key`),
  };
  // Listing statements depend on the filter's shape; each shape is prepared once.
  const dynamic = new Map<string, SqliteStatement>();
  const prepared = (sql: string) => {
    let statement = dynamic.get(sql);
    if (!statement) dynamic.set(sql, (statement = db.prepare(sql)));
    return statement;
  };
  const rows: SqlRowReader = {
    meta: async (query) => prepared(query.text).all(...query.values) as MetaRow[],
    unindexed: async (query) => prepared(query.text).all(...query.values) as UnindexedRow[],
    count: async (query) => Number((prepared(query.text).get(...query.values) as { total: number }).total),
    toDate: parseSqliteDate,
  };

  // The meta row's expire_date is the session row's, in the same text, written in the same transaction.
  const insertTx = db.transaction((key: string, record: SaveRecord): boolean => {
    const expire = formatSqliteDate(record.expireDate);
    if (statements.insert.run(key, record.encoded, expire).changes === 0) return false;
    statements.insertMeta.run(key, newPublicId(clock().getTime()), toDbUserId(record.userId), formatPrismaSqliteDate(record.createdAt), metaEngine, expire);
    return true;
  });
  const updateTx = db.transaction((key: string, record: SaveRecord, expected: string): SaveResult => {
    const expire = formatSqliteDate(record.expireDate);
    const userId = toDbUserId(record.userId);
    if (statements.updateSameOwner.run(record.encoded, expire, key, expected, key, userId).changes === 1) {
      statements.metaExpiry.run(expire, key, expire, formatSqliteDate(new Date(record.expireDate.getTime() - expiryCopySlackMs(record.ttlSeconds))));
      return { ok: true, version: record.encoded };
    }
    if (statements.update.run(record.encoded, expire, key, expected).changes === 0) {
      return { ok: false, reason: statements.exists.get(key) ? "conflict" : "missing" };
    }
    statements.upsertMeta.run(key, newPublicId(clock().getTime()), userId, formatPrismaSqliteDate(record.createdAt), metaEngine, expire);
    return { ok: true, version: record.encoded };
  });
  const deleteTx = db.transaction((key: string) => {
    statements.delete.run(key);
    statements.deleteMeta.run(key);
  });
  const clearBatchTx = db.transaction((cutoff: string, limit: number): [number, number] => {
    const keys = (statements.clearBatch.all(cutoff, limit) as Array<{ session_key: string }>).map((r) => r.session_key);
    if (keys.length) statements.deleteMetaMany.run(JSON.stringify(keys));
    return [keys.length, keys.length];
  });
  // Deletes the sessions whose meta rows a RETURNING statement just removed.
  // Returns [meta rows removed, sessions removed].
  const deleteByMetaTx = db.transaction((statement: SqliteStatement, ...params: unknown[]): [number, number] => {
    const keys = (statement.all(...params) as Array<{ session_key: string }>).map((r) => r.session_key);
    return [keys.length, keys.length ? statements.deleteSessionsMany.run(JSON.stringify(keys)).changes : 0];
  });

  // A session seen before from another address or device family is flagged (a replayed cookie looks like
  // this), and the change recorded as a sighting (with where it was before, the first time).
  // It reads before it writes, so it runs as BEGIN IMMEDIATE (activityTx.immediate below): a deferred one
  // would fail with SQLITE_BUSY at once, past busy_timeout, when another connection wrote in between.
  const activityTx = db.transaction((key: string, at: string, ip: string | null, userAgent: string | null, device: string | null) => {
    const before = statements.activityBefore.get(key) as
      | { ip: string | null; device: string | null; created_at: string; last_activity: string | null; flagged_at: string | null }
      | undefined;
    if (!before) return;
    const changed = before.last_activity !== null && (differs(before.ip, ip) || differs(before.device, device));
    statements.activity.run(at, ip, userAgent, device, changed ? at : null, key);
    if (!changed) return;
    if (before.flagged_at === null) statements.sighting.run(key, before.created_at, before.ip, before.device);
    statements.sighting.run(key, at, ip, device);
  });

  const keysOf = (rows: unknown[]) => (rows as Array<{ session_key: string }>).map((r) => r.session_key);
  // One transaction: the sessions, their meta rows and the record go together or not at all.
  const killTx = db.transaction((target: KillTarget, record: KillRecord | undefined): KillResult => {
    let candidates: string[];
    if ("keys" in target) candidates = target.keys.filter(isStorableKey);
    else if ("userId" in target) {
      const id = toDbUserId(target.userId);
      candidates = id === null ? [] : keysOf(statements.deleteUserMeta.all(id, null));
    } else candidates = keysOf(statements.killIssuedBeforeMeta.all(formatPrismaSqliteDate(target.issuedBefore)));
    const list = JSON.stringify(candidates);
    const keys = keysOf(statements.killSessions.all(list));
    if ("keys" in target) statements.deleteMetaMany.run(list);
    if (!record) return { deleted: keys.length, keys, recordId: null };
    const values: unknown[] = [];
    const text = recordInsert(record, (value) => (values.push(value instanceof Date ? formatPrismaSqliteDate(value) : value), "?"), "?");
    const row = prepared(text).get(...values, keys.length) as { id: number | bigint };
    return { deleted: keys.length, keys, recordId: Number(row.id) };
  });

  return {
    engine: "db",
    atomicSave: true,
    recordsKills: true,
    async load(key, now): Promise<DatedStoredSession | null> {
      if (!isStorableKey(key)) return null;
      const row = statements.load.get(key, formatSqliteDate(now)) as { session_data: string; expire_date: string } | undefined;
      return row ? { encoded: row.session_data, version: row.session_data, expireDate: parseSqliteDate(row.expire_date) } : null;
    },
    async exists(key) {
      if (!isStorableKey(key)) return false;
      return statements.exists.get(key) !== undefined;
    },
    async save(key, record, expectedVersion): Promise<SaveResult> {
      if (expectedVersion === null) return insertTx(key, record) ? { ok: true, version: record.encoded } : { ok: false, reason: "exists" };
      return updateTx(key, record, expectedVersion);
    },
    async delete(key) {
      if (!isStorableKey(key)) return;
      deleteTx(key);
    },
    clearExpired(now, options) {
      const cutoff = formatSqliteDate(now);
      return removeInBatches((limit) => clearBatchTx(cutoff, limit), options, yieldToEventLoop);
    },
    list(filter, page, now) {
      return listPage(dialect, rows, filter, page, now);
    },
    count(filter, now) {
      return countSessions(dialect, rows, filter, now);
    },
    async deleteByUser(userId, exceptKey) {
      const id = toDbUserId(userId);
      return id === null ? 0 : deleteByMetaTx(statements.deleteUserMeta, id, exceptKey ?? null)[1];
    },
    listByUser(userId, now) {
      return listUserSessions(dialect, rows, userId, now);
    },
    async recordActivity(key, activity) {
      activityTx.immediate(key, formatPrismaSqliteDate(activity.at), ...activityColumns(activity));
    },
    async kill(target, record) {
      return killTx(target, record);
    },
    async recordCacheInvalidations(keys, kind, at) {
      const insert = prepared(`INSERT INTO ${OUTBOX_TABLE} (session_key, kind, created_at) SELECT value, ?, ? FROM json_each(?)`);
      insert.run(kind, formatPrismaSqliteDate(at), JSON.stringify(keys.filter(isStorableKey)));
    },
    async pendingCacheInvalidations(limit) {
      const pending = prepared(`SELECT id, session_key, kind FROM ${OUTBOX_TABLE} ORDER BY id LIMIT ?`).all(limit) as Array<{ id: number; session_key: string; kind: CacheInvalidationKind }>;
      return pending.map((row) => ({ id: Number(row.id), key: row.session_key, kind: row.kind }));
    },
    async clearCacheInvalidations(ids) {
      if (ids.length) prepared(`DELETE FROM ${OUTBOX_TABLE} WHERE id IN (SELECT value FROM json_each(?))`).run(JSON.stringify(ids));
    },
    deleteIssuedBefore(date) {
      const cutoff = formatPrismaSqliteDate(date);
      return removeInBatches((limit) => deleteByMetaTx(statements.issuedBeforeBatch, cutoff, limit), undefined, yieldToEventLoop);
    },
  };
}
