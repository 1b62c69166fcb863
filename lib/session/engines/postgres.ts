/**
 * The database engine (Django's `backends.db`) on PostgreSQL, through an
 * injected pg-Pool-like client. Hot-path statements are named, so each pooled
 * connection parses and plans them once.
 *
 * Each write is one statement (data-modifying CTEs write the session row and
 * its meta row together), so it is atomic without holding a pooled connection
 * across round trips. Compare-and-swap: `UPDATE … WHERE session_data = <version>`;
 * under READ COMMITTED a concurrent writer's commit makes PostgreSQL re-check
 * that condition on the new row version, so exactly one of two racing saves wins.
 */
import type { ActivityStore, IssuedBeforeStore, ListableStore, SaveResult, SessionStore, StoredSession, UserIndexedStore } from "../store.ts";
import {
  DEFAULT_BATCH_SIZE, META_TABLE, SESSION_TABLE, countQuery, isStorableKey, listPage, metaItem, newPublicId, toDbUserId,
  type MetaRow, type SqlDialect, type UnindexedRow,
} from "./sql-common.ts";

/** The part of a `pg.Pool` (or `pg.Client`) the engine uses. */
export interface PgQueryable {
  query(config: { name?: string; text: string; values?: unknown[] }): Promise<{ rows: unknown[]; rowCount: number | null }>;
}

export type PostgresStore = SessionStore & ListableStore & UserIndexedStore & IssuedBeforeStore & ActivityStore;

export interface PostgresStoreOptions {
  /** The engine name written to the meta table (cached_db passes "cached_db"). */
  readonly metaEngine?: string;
}

const dialect: SqlDialect = {
  param: (values, value) => `$${values.push(value)}`,
  expireValue: (date) => date,
  createdValue: (raw) => raw,
  startsWith: (expr, p) => `starts_with(${expr}, ${p})`,
  userIdText: (column) => `${column}::text`,
  cursorColumn: (column) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
};

const META_COLUMNS = `(session_key, public_id, user_id, created_at, engine)`;
const SQL = {
  load: `SELECT session_data, expire_date FROM ${SESSION_TABLE} WHERE session_key = $1 AND expire_date > $2`,
  exists: `SELECT 1 FROM ${SESSION_TABLE} WHERE session_key = $1`,
  // A leftover meta row (its session deleted by Django) is reset on insert.
  insert:
    `WITH ins AS (INSERT INTO ${SESSION_TABLE} (session_key, session_data, expire_date) VALUES ($1, $2, $3) ` +
    `ON CONFLICT (session_key) DO NOTHING RETURNING session_key) ` +
    `INSERT INTO ${META_TABLE} AS m ${META_COLUMNS} SELECT session_key, $4, $5::integer, $6::timestamptz, $7 FROM ins ` +
    `ON CONFLICT (session_key) DO UPDATE SET public_id = EXCLUDED.public_id, user_id = EXCLUDED.user_id, ` +
    `created_at = EXCLUDED.created_at, engine = EXCLUDED.engine, last_activity = NULL, ip = NULL, user_agent = NULL`,
  // The common save: the session row changes and its meta row already says the same owner.
  // Nothing else to write, so one plain UPDATE; anything else (a conflict, a missing
  // session, a new owner, no meta row yet) falls through to \`update\`, which sorts it out.
  updateSameOwner:
    `UPDATE ${SESSION_TABLE} SET session_data = $1, expire_date = $2 WHERE session_key = $3 AND session_data = $4 ` +
    `AND EXISTS (SELECT 1 FROM ${META_TABLE} WHERE session_key = $3 AND user_id IS NOT DISTINCT FROM $5::integer)`,
  // The snapshot taken at statement start tells a changed row (conflict) from a deleted one (missing).
  // The meta row is only written when it must change: its owner changed (login without a key
  // change), or it is missing (a session a Django site created gets its row the first time
  // SessionScope saves it). An unconditional upsert would lock and rewrite the meta tuple on
  // every save (ON CONFLICT DO UPDATE locks the conflicting row even when its WHERE is false).
  update:
    `WITH upd AS (UPDATE ${SESSION_TABLE} SET session_data = $1, expire_date = $2 WHERE session_key = $3 AND session_data = $4 ` +
    `RETURNING session_key), cur AS (SELECT 1 FROM ${META_TABLE} WHERE session_key = $3), ` +
    `chg AS (UPDATE ${META_TABLE} SET user_id = $6::integer WHERE session_key = (SELECT session_key FROM upd) ` +
    `AND user_id IS DISTINCT FROM $6::integer), ` +
    // ON CONFLICT covers a meta row another transaction inserted after this statement's snapshot.
    `ins AS (INSERT INTO ${META_TABLE} AS m ${META_COLUMNS} SELECT session_key, $5, $6::integer, $7::timestamptz, $8 FROM upd ` +
    `WHERE NOT EXISTS (SELECT 1 FROM cur) ` +
    `ON CONFLICT (session_key) DO UPDATE SET user_id = EXCLUDED.user_id WHERE m.user_id IS DISTINCT FROM EXCLUDED.user_id) ` +
    `SELECT (SELECT count(*) FROM upd)::int AS updated, EXISTS (SELECT 1 FROM ${SESSION_TABLE} WHERE session_key = $3) AS present`,
  delete: `WITH d AS (DELETE FROM ${SESSION_TABLE} WHERE session_key = $1) DELETE FROM ${META_TABLE} WHERE session_key = $1`,
  // Rows another transaction holds (a save in flight) are skipped, never waited on.
  clearBatch:
    `WITH victims AS (SELECT session_key FROM ${SESSION_TABLE} WHERE expire_date < $1 LIMIT $2 FOR UPDATE SKIP LOCKED), ` +
    `d AS (DELETE FROM ${SESSION_TABLE} s USING victims v WHERE s.session_key = v.session_key RETURNING s.session_key), ` +
    `m AS (DELETE FROM ${META_TABLE} WHERE session_key IN (SELECT session_key FROM d)) ` +
    `SELECT count(*)::int AS scanned, count(*)::int AS n FROM d`,
  deleteByUser:
    `WITH m AS (DELETE FROM ${META_TABLE} WHERE user_id = $1 AND ($2::varchar IS NULL OR session_key <> $2) RETURNING session_key), ` +
    `d AS (DELETE FROM ${SESSION_TABLE} WHERE session_key IN (SELECT session_key FROM m) RETURNING 1) ` +
    `SELECT count(*)::int AS n FROM d`,
  issuedBeforeBatch:
    `WITH m AS (DELETE FROM ${META_TABLE} WHERE session_key IN (SELECT session_key FROM ${META_TABLE} WHERE created_at < $1 LIMIT $2 ` +
    `FOR UPDATE SKIP LOCKED) RETURNING session_key), ` +
    `d AS (DELETE FROM ${SESSION_TABLE} WHERE session_key IN (SELECT session_key FROM m) RETURNING 1) ` +
    `SELECT (SELECT count(*) FROM m)::int AS scanned, (SELECT count(*) FROM d)::int AS n`,
  activity: `UPDATE ${META_TABLE} SET last_activity = $1, ip = $2, user_agent = $3 WHERE session_key = $4`,
  listByUser:
    `SELECT m.session_key AS k, m.created_at AS c, m.user_id AS u, m.public_id AS p, s.expire_date AS e, m.last_activity AS a, m.ip AS ip, m.user_agent AS ua FROM ${META_TABLE} m ` +
    `JOIN ${SESSION_TABLE} s ON s.session_key = m.session_key WHERE m.user_id = $1 AND s.expire_date > $2 ` +
    `ORDER BY m.created_at DESC, m.session_key ASC`,
} as const;

const toDate = (value: unknown): Date => (value instanceof Date ? value : new Date(value as string));

export function createPostgresStore(pool: PgQueryable, options: PostgresStoreOptions = {}): PostgresStore {
  const engine = options.metaEngine ?? "db";
  const run = (name: keyof typeof SQL, values: unknown[]) => pool.query({ name: `sessionscope_${name}`, text: SQL[name], values });

  async function inBatches(name: "clearBatch" | "issuedBeforeBatch", cutoff: Date, batchSize: number, onProgress?: (n: number) => void) {
    let total = 0;
    for (;;) {
      const row = (await run(name, [cutoff, batchSize])).rows[0] as { scanned: number; n: number };
      total += row.n;
      if (row.n > 0) onProgress?.(total);
      if (row.scanned < batchSize) return total;
    }
  }

  return {
    engine: "db",
    atomicSave: true,
    async load(key, now): Promise<StoredSession | null> {
      if (!isStorableKey(key)) return null;
      const row = (await run("load", [key, now])).rows[0] as { session_data: string; expire_date: Date } | undefined;
      return row ? { encoded: row.session_data, version: row.session_data, expireDate: row.expire_date } : null;
    },
    async exists(key) {
      if (!isStorableKey(key)) return false;
      return ((await run("exists", [key])).rowCount ?? 0) > 0;
    },
    async save(key, record, expectedVersion): Promise<SaveResult> {
      const userId = toDbUserId(record.userId);
      if (expectedVersion !== null) {
        const fast = await run("updateSameOwner", [record.encoded, record.expireDate, key, expectedVersion, userId]);
        if (fast.rowCount === 1) return { ok: true, version: record.encoded };
      }
      const meta = [newPublicId(), userId, record.createdAt, engine];
      if (expectedVersion === null) {
        const result = await run("insert", [key, record.encoded, record.expireDate, ...meta]);
        return result.rowCount === 1 ? { ok: true, version: record.encoded } : { ok: false, reason: "exists" };
      }
      const row = (await run("update", [record.encoded, record.expireDate, key, expectedVersion, ...meta])).rows[0] as {
        updated: number;
        present: boolean;
      };
      if (row.updated === 1) return { ok: true, version: record.encoded };
      return { ok: false, reason: row.present ? "conflict" : "missing" };
    },
    async delete(key) {
      if (!isStorableKey(key)) return;
      await run("delete", [key]);
    },
    clearExpired(now, options) {
      return inBatches("clearBatch", now, Math.max(1, options?.batchSize ?? DEFAULT_BATCH_SIZE), options?.onProgress);
    },
    list(filter, page, now) {
      return listPage(dialect, {
        meta: async (x) => (await pool.query(x)).rows as MetaRow[],
        unindexed: async (x) => (await pool.query(x)).rows as UnindexedRow[],
        toDate,
      }, filter, page, now);
    },
    async count(filter, now) {
      const x = countQuery(dialect, filter, now);
      return Number(((await pool.query(x)).rows[0] as { n: string | number }).n);
    },
    async deleteByUser(userId, exceptKey) {
      const id = toDbUserId(userId);
      if (id === null) return 0;
      return ((await run("deleteByUser", [id, exceptKey ?? null])).rows[0] as { n: number }).n;
    },
    async listByUser(userId, now) {
      const id = toDbUserId(userId);
      if (id === null) return [];
      return ((await run("listByUser", [id, now])).rows as MetaRow[]).map((r) => metaItem(r, toDate));
    },
    async recordActivity(key, activity) {
      await run("activity", [activity.at, activity.ip?.slice(0, 45) ?? null, activity.userAgent?.slice(0, 512) ?? null, key]);
    },
    deleteIssuedBefore(date) {
      return inBatches("issuedBeforeBatch", date, DEFAULT_BATCH_SIZE);
    },
  };
}
