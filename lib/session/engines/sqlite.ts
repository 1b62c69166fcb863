/**
 * The database engine (Django's `backends.db`) on SQLite, through an injected
 * better-sqlite3-like driver. Every hot-path statement is prepared once here.
 *
 * Rows are Django's own (`django_session`, expire_date as naive UTC text), so
 * a Django site can share the file. SessionScope adds a meta row per session
 * (owner, creation time, public id) in the same transaction.
 *
 * Compare-and-swap: the version is the stored session_data string; an update
 * only lands `WHERE session_data = <version>`. SQLite serialises writers, so
 * the check and the write are one atomic step across connections and processes.
 */
import type {
  ActivityStore, ClearExpiredOptions, IssuedBeforeStore, ListableStore, SaveRecord, SaveResult, SessionStore, StoredSession, UserIndexedStore,
} from "../store.ts";
import {
  DEFAULT_BATCH_SIZE, META_TABLE, SESSION_TABLE, countQuery, isStorableKey, listPage, metaItem, newPublicId, toDbUserId,
  type MetaRow, type SqlDialect, type UnindexedRow,
} from "./sql-common.ts";
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
  transaction<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R;
}

export type SqlStore = SessionStore & ListableStore & UserIndexedStore & IssuedBeforeStore & ActivityStore;

export interface SqliteStoreOptions {
  /** The engine name written to the meta table (cached_db passes "cached_db"). */
  readonly metaEngine?: string;
}

const dialect: SqlDialect = {
  param: (values, value) => (values.push(value), "?"),
  expireValue: formatSqliteDate,
  createdValue: (raw) => raw,
  startsWith: (expr, p) => `instr(${expr}, ${p}) = 1`,
  userIdText: (column) => `CAST(${column} AS TEXT)`,
  cursorColumn: (column) => column,
};

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export function createSqliteStore(db: SqliteDriver, options: SqliteStoreOptions = {}): SqlStore {
  const engine = options.metaEngine ?? "db";
  const q = {
    load: db.prepare(`SELECT session_data, expire_date FROM ${SESSION_TABLE} WHERE session_key = ? AND expire_date > ?`),
    exists: db.prepare(`SELECT 1 AS x FROM ${SESSION_TABLE} WHERE session_key = ?`),
    insert: db.prepare(`INSERT INTO ${SESSION_TABLE} (session_key, session_data, expire_date) VALUES (?, ?, ?) ON CONFLICT (session_key) DO NOTHING`),
    update: db.prepare(`UPDATE ${SESSION_TABLE} SET session_data = ?, expire_date = ? WHERE session_key = ? AND session_data = ?`),
    // The common save: the meta row already names the same owner, so only the session row changes.
    updateSameOwner: db.prepare(
      `UPDATE ${SESSION_TABLE} SET session_data = ?, expire_date = ? WHERE session_key = ? AND session_data = ? ` +
        `AND EXISTS (SELECT 1 FROM ${META_TABLE} WHERE session_key = ? AND user_id IS ?)`,
    ),
    // A leftover meta row (its session deleted by Django) is reset on insert.
    insertMeta: db.prepare(
      `INSERT INTO ${META_TABLE} (session_key, public_id, user_id, created_at, engine) VALUES (?, ?, ?, ?, ?) ` +
        `ON CONFLICT (session_key) DO UPDATE SET public_id = excluded.public_id, user_id = excluded.user_id, ` +
        `created_at = excluded.created_at, engine = excluded.engine, last_activity = NULL, ip = NULL, user_agent = NULL`,
    ),
    // On update only the owner may change (login without a key change); a session
    // a Django site created gets its meta row here, the first time SessionScope saves it.
    upsertMeta: db.prepare(
      `INSERT INTO ${META_TABLE} (session_key, public_id, user_id, created_at, engine) VALUES (?, ?, ?, ?, ?) ` +
        `ON CONFLICT (session_key) DO UPDATE SET user_id = excluded.user_id WHERE user_id IS NOT excluded.user_id`,
    ),
    delete: db.prepare(`DELETE FROM ${SESSION_TABLE} WHERE session_key = ?`),
    deleteMeta: db.prepare(`DELETE FROM ${META_TABLE} WHERE session_key = ?`),
    deleteMetaMany: db.prepare(`DELETE FROM ${META_TABLE} WHERE session_key IN (SELECT value FROM json_each(?))`),
    deleteSessionsMany: db.prepare(`DELETE FROM ${SESSION_TABLE} WHERE session_key IN (SELECT value FROM json_each(?))`),
    clearBatch: db.prepare(
      `DELETE FROM ${SESSION_TABLE} WHERE rowid IN (SELECT rowid FROM ${SESSION_TABLE} WHERE expire_date < ? LIMIT ?) RETURNING session_key`,
    ),
    userMeta: db.prepare(
      `DELETE FROM ${META_TABLE} WHERE user_id = ? AND session_key IS NOT ? RETURNING session_key`,
    ),
    issuedBeforeBatch: db.prepare(
      `DELETE FROM ${META_TABLE} WHERE rowid IN (SELECT rowid FROM ${META_TABLE} WHERE created_at < ? LIMIT ?) RETURNING session_key`,
    ),
    activity: db.prepare(`UPDATE ${META_TABLE} SET last_activity = ?, ip = ?, user_agent = ? WHERE session_key = ?`),
    listByUser: db.prepare(
      `SELECT m.session_key AS k, m.created_at AS c, m.user_id AS u, m.public_id AS p, s.expire_date AS e, m.last_activity AS a, m.ip AS ip, m.user_agent AS ua FROM ${META_TABLE} m ` +
        `JOIN ${SESSION_TABLE} s ON s.session_key = m.session_key WHERE m.user_id = ? AND s.expire_date > ? ` +
        `ORDER BY m.created_at DESC, m.session_key ASC`,
    ),
  };
  // Listing statements depend on the filter's shape; each shape is prepared once.
  const dynamic = new Map<string, SqliteStatement>();
  const prepared = (sql: string) => {
    let statement = dynamic.get(sql);
    if (!statement) dynamic.set(sql, (statement = db.prepare(sql)));
    return statement;
  };

  const insertTx = db.transaction((key: string, record: SaveRecord): boolean => {
    if (q.insert.run(key, record.encoded, formatSqliteDate(record.expireDate)).changes === 0) return false;
    q.insertMeta.run(key, newPublicId(), toDbUserId(record.userId), formatPrismaSqliteDate(record.createdAt), engine);
    return true;
  });
  const updateTx = db.transaction((key: string, record: SaveRecord, expected: string): SaveResult => {
    const expire = formatSqliteDate(record.expireDate);
    const userId = toDbUserId(record.userId);
    if (q.updateSameOwner.run(record.encoded, expire, key, expected, key, userId).changes === 1) return { ok: true, version: record.encoded };
    if (q.update.run(record.encoded, expire, key, expected).changes === 0) {
      return { ok: false, reason: q.exists.get(key) ? "conflict" : "missing" };
    }
    q.upsertMeta.run(key, newPublicId(), userId, formatPrismaSqliteDate(record.createdAt), engine);
    return { ok: true, version: record.encoded };
  });
  const deleteTx = db.transaction((key: string) => {
    q.delete.run(key);
    q.deleteMeta.run(key);
  });
  const clearBatchTx = db.transaction((cutoff: string, limit: number): [number, number] => {
    const keys = (q.clearBatch.all(cutoff, limit) as Array<{ session_key: string }>).map((r) => r.session_key);
    if (keys.length) q.deleteMetaMany.run(JSON.stringify(keys));
    return [keys.length, keys.length];
  });
  // Deletes the sessions whose meta rows a RETURNING statement just removed.
  // Returns [meta rows removed, sessions removed].
  const deleteByMetaTx = db.transaction((statement: SqliteStatement, a: unknown, b: unknown): [number, number] => {
    const keys = (statement.all(a, b) as Array<{ session_key: string }>).map((r) => r.session_key);
    return [keys.length, keys.length ? q.deleteSessionsMany.run(JSON.stringify(keys)).changes : 0];
  });

  /** Runs `step` (one short transaction: [rows scanned, sessions removed]) until a batch comes back short. */
  async function inBatches(step: (limit: number) => [number, number], options?: ClearExpiredOptions): Promise<number> {
    const batchSize = Math.max(1, options?.batchSize ?? DEFAULT_BATCH_SIZE);
    let total = 0;
    for (;;) {
      const [scanned, removed] = step(batchSize);
      total += removed;
      if (removed > 0) options?.onProgress?.(total);
      if (scanned < batchSize) return total;
      // Let other requests of this process take the write lock between batches.
      await yieldToEventLoop();
    }
  }

  return {
    engine: "db",
    atomicSave: true,
    async load(key, now): Promise<StoredSession | null> {
      if (!isStorableKey(key)) return null;
      const row = q.load.get(key, formatSqliteDate(now)) as { session_data: string; expire_date: string } | undefined;
      return row ? { encoded: row.session_data, version: row.session_data, expireDate: parseSqliteDate(row.expire_date) } : null;
    },
    async exists(key) {
      if (!isStorableKey(key)) return false;
      return q.exists.get(key) !== undefined;
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
      return inBatches((limit) => clearBatchTx(cutoff, limit), options);
    },
    list(filter, page, now) {
      return listPage(dialect, {
        meta: async (x) => prepared(x.text).all(...x.values) as MetaRow[],
        unindexed: async (x) => prepared(x.text).all(...x.values) as UnindexedRow[],
        toDate: parseSqliteDate,
      }, filter, page, now);
    },
    async count(filter, now) {
      const x = countQuery(dialect, filter, now);
      return Number((prepared(x.text).get(...x.values) as { n: number }).n);
    },
    async deleteByUser(userId, exceptKey) {
      const id = toDbUserId(userId);
      return id === null ? 0 : deleteByMetaTx(q.userMeta, id, exceptKey ?? null)[1];
    },
    async listByUser(userId, now) {
      const id = toDbUserId(userId);
      if (id === null) return [];
      return (q.listByUser.all(id, formatSqliteDate(now)) as MetaRow[]).map((r) => metaItem(r, parseSqliteDate));
    },
    async recordActivity(key, activity) {
      q.activity.run(formatPrismaSqliteDate(activity.at), activity.ip?.slice(0, 45) ?? null, activity.userAgent?.slice(0, 512) ?? null, key);
    },
    deleteIssuedBefore(date) {
      const cutoff = formatPrismaSqliteDate(date);
      return inBatches((limit) => deleteByMetaTx(q.issuedBeforeBatch, cutoff, limit));
    },
  };
}
