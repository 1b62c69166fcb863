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
import { systemClock, type Clock } from "../expiry.ts";
import type {
  ActivityStore, CacheInvalidationKind, CacheOutboxStore, ClearExpiredOptions, IssuedBeforeStore, KillRecord, KillStore, KillTarget, ListableStore, SaveResult, DatedLoadStore, DatedStoredSession,
  UserIndexedStore,
} from "../store.ts";
import { removeInBatches } from "./batches.ts";
import { recordInsert } from "./sql-kill.ts";
import { newPublicId } from "./public-id.ts";
import { countSessions, listPage, listUserSessions, type MetaRow, type SqlDialect, type SqlRowReader, type UnindexedRow } from "./sql-listing.ts";
import { META_TABLE, OUTBOX_TABLE, SESSION_TABLE, SIGHTING_TABLE, activityColumns, expiryCopySlackMs, isStorableKey, toDbUserId } from "./sql-schema.ts";

/** The part of a `pg.Pool` (or `pg.Client`) the engine uses. */
export interface PgQueryable {
  query(config: { name?: string; text: string; values?: unknown[] }): Promise<{ rows: unknown[]; rowCount: number | null }>;
}

export type PostgresStore = DatedLoadStore & ListableStore & UserIndexedStore & IssuedBeforeStore & ActivityStore & KillStore & CacheOutboxStore;

export interface PostgresStoreOptions {
  /** The engine name written to the meta table (cached_db passes "cached_db"). */
  readonly metaEngine?: string;
  /** Where the engine takes the time it records itself (public ids); default the system clock. */
  readonly clock?: Clock;
}

const dialect: SqlDialect = {
  param: (values, value) => `$${values.push(value)}`,
  expireValue: (date) => date,
  startsWith: (expr, p) => `starts_with(${expr}, ${p})`,
  userIdText: (column) => `${column}::text`,
  cursorColumn: (column) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
};

// expire_date: the session row's, copied in the same statement (the dashboard lists live sessions from the meta table).
const META_COLUMNS = `(session_key, public_id, user_id, created_at, engine, expire_date)`;
const SQL = {
  load: `SELECT session_data, expire_date FROM ${SESSION_TABLE} WHERE session_key = $1 AND expire_date > $2`,
  exists: `SELECT 1 FROM ${SESSION_TABLE} WHERE session_key = $1`,
  // A leftover meta row (its session deleted by Django) is reset on insert.
  insert:
    `WITH inserted AS (INSERT INTO ${SESSION_TABLE} (session_key, session_data, expire_date) VALUES ($1, $2, $3) ` +
    `ON CONFLICT (session_key) DO NOTHING RETURNING session_key) ` +
    `INSERT INTO ${META_TABLE} AS m ${META_COLUMNS} SELECT session_key, $4, $5::integer, $6::timestamptz, $7, $3 FROM inserted ` +
    `ON CONFLICT (session_key) DO UPDATE SET public_id = EXCLUDED.public_id, user_id = EXCLUDED.user_id, ` +
    `created_at = EXCLUDED.created_at, engine = EXCLUDED.engine, expire_date = EXCLUDED.expire_date, ` +
    `last_activity = NULL, ip = NULL, user_agent = NULL, device = NULL, flagged_at = NULL`,
  // The common save: the session row changes and its meta row already says the same owner, so only
  // the expiry's copy may follow (on the row the CAS changed: `updated` = 1 means saved). Anything else (a conflict, a missing session, a new owner, no meta row yet) falls
  // through to \`update\`, which sorts it out.
  updateSameOwner:
    `WITH updated AS (UPDATE ${SESSION_TABLE} SET session_data = $1, expire_date = $2 WHERE session_key = $3 AND session_data = $4 ` +
    `AND EXISTS (SELECT 1 FROM ${META_TABLE} WHERE session_key = $3 AND user_id IS NOT DISTINCT FROM $5::integer) RETURNING session_key)` +
    // The expiry's copy is rewritten only when it is later than the new expiry or trails it by more than the slack ($6).
    `, meta AS (UPDATE ${META_TABLE} SET expire_date = $2 WHERE session_key = (SELECT session_key FROM updated) ` +
    `AND (expire_date IS NULL OR expire_date > $2 OR expire_date < $6::timestamptz)) ` +
    `SELECT count(*)::int AS updated FROM updated`,
  // The snapshot taken at statement start tells a changed row (conflict) from a deleted one (missing).
  // The meta row follows the session row: its expiry's copy, and its owner (login without a key
  // change); a missing one is inserted (a session a Django site created gets its row the first time
  // SessionScope saves it).
  update:
    `WITH updated AS (UPDATE ${SESSION_TABLE} SET session_data = $1, expire_date = $2 WHERE session_key = $3 AND session_data = $4 ` +
    `RETURNING session_key), current_meta AS (SELECT 1 FROM ${META_TABLE} WHERE session_key = $3), ` +
    `meta_updated AS (UPDATE ${META_TABLE} SET user_id = $6::integer, expire_date = $2 WHERE session_key = (SELECT session_key FROM updated)), ` +
    // ON CONFLICT covers a meta row another transaction inserted after this statement's snapshot.
    `meta_inserted AS (INSERT INTO ${META_TABLE} AS m ${META_COLUMNS} SELECT session_key, $5, $6::integer, $7::timestamptz, $8, $2 FROM updated ` +
    `WHERE NOT EXISTS (SELECT 1 FROM current_meta) ` +
    `ON CONFLICT (session_key) DO UPDATE SET user_id = EXCLUDED.user_id, expire_date = EXCLUDED.expire_date) ` +
    `SELECT (SELECT count(*) FROM updated)::int AS updated, EXISTS (SELECT 1 FROM ${SESSION_TABLE} WHERE session_key = $3) AS present`,
  delete: `WITH removed AS (DELETE FROM ${SESSION_TABLE} WHERE session_key = $1) DELETE FROM ${META_TABLE} WHERE session_key = $1`,
  // Rows another transaction holds (a save in flight) are skipped, never waited on.
  clearBatch:
    `WITH victims AS (SELECT session_key FROM ${SESSION_TABLE} WHERE expire_date < $1 LIMIT $2 FOR UPDATE SKIP LOCKED), ` +
    `removed AS (DELETE FROM ${SESSION_TABLE} s USING victims v WHERE s.session_key = v.session_key RETURNING s.session_key), ` +
    `removed_meta AS (DELETE FROM ${META_TABLE} WHERE session_key IN (SELECT session_key FROM removed)) ` +
    `SELECT count(*)::int AS scanned, count(*)::int AS removed FROM removed`,
  deleteByUser:
    `WITH removed_meta AS (DELETE FROM ${META_TABLE} WHERE user_id = $1 AND ($2::varchar IS NULL OR session_key <> $2) RETURNING session_key), ` +
    `removed AS (DELETE FROM ${SESSION_TABLE} WHERE session_key IN (SELECT session_key FROM removed_meta) RETURNING 1) ` +
    `SELECT count(*)::int AS removed FROM removed`,
  issuedBeforeBatch:
    `WITH removed_meta AS (DELETE FROM ${META_TABLE} WHERE session_key IN (SELECT session_key FROM ${META_TABLE} WHERE created_at < $1 LIMIT $2 ` +
    `FOR UPDATE SKIP LOCKED) RETURNING session_key), ` +
    `removed AS (DELETE FROM ${SESSION_TABLE} WHERE session_key IN (SELECT session_key FROM removed_meta) RETURNING 1) ` +
    `SELECT (SELECT count(*) FROM removed_meta)::int AS scanned, (SELECT count(*) FROM removed)::int AS removed`,
  // A session seen before from another address or device family is flagged (a replayed cookie looks like this),
  // and the change recorded as a sighting (with where it was before, the first time): one statement, rows
  // written only on a change.
  activity:
    `WITH before AS (SELECT session_key, ip, device, created_at, last_activity, flagged_at FROM ${META_TABLE} WHERE session_key = $5 FOR UPDATE), ` +
    `changed AS (SELECT * FROM before WHERE last_activity IS NOT NULL AND (` +
    `(ip IS NOT NULL AND $2::varchar IS NOT NULL AND ip <> $2::varchar) OR (device IS NOT NULL AND $4::varchar IS NOT NULL AND device <> $4::varchar))), ` +
    `updated AS (UPDATE ${META_TABLE} m SET last_activity = $1, ip = $2, user_agent = $3, device = $4, ` +
    `flagged_at = COALESCE(m.flagged_at, (SELECT $1::timestamptz FROM changed)) WHERE m.session_key = $5) ` +
    `INSERT INTO ${SIGHTING_TABLE} (session_key, at, ip, device) ` +
    `SELECT session_key, created_at, ip, device FROM changed WHERE flagged_at IS NULL ` +
    `UNION ALL SELECT session_key, $1::timestamptz, $2::varchar, $4::varchar FROM changed`,
} as const;

/**
 * A kill as one statement (so atomic without holding a pooled connection): data-modifying CTEs delete
 * the sessions and their meta rows and insert the record, which counts what `removed` returned.
 */
function killQuery(target: KillTarget, record: KillRecord | undefined): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const param = (value: unknown) => `$${values.push(value)}`;
  let ctes: string;
  if ("keys" in target) {
    const keys = param(target.keys.filter(isStorableKey));
    ctes =
      `removed AS (DELETE FROM ${SESSION_TABLE} WHERE session_key = ANY(${keys}::varchar[]) RETURNING session_key), ` +
      `removed_meta AS (DELETE FROM ${META_TABLE} WHERE session_key = ANY(${keys}::varchar[]))`;
  } else {
    const where = "userId" in target ? `user_id = ${param(toDbUserId(target.userId))}::integer` : `created_at < ${param(target.issuedBefore)}::timestamptz`;
    ctes =
      `removed_meta AS (DELETE FROM ${META_TABLE} WHERE ${where} RETURNING session_key), ` +
      `removed AS (DELETE FROM ${SESSION_TABLE} WHERE session_key IN (SELECT session_key FROM removed_meta) RETURNING session_key)`;
  }
  if (record) ctes += `, recorded AS (${recordInsert(record, param, "(SELECT count(*) FROM removed)::int")})`;
  return { text: `WITH ${ctes} SELECT ARRAY(SELECT session_key FROM removed) AS keys, ${record ? "(SELECT id FROM recorded)" : "NULL::int"} AS record_id`, values };
}

const toDate = (value: unknown): Date => (value instanceof Date ? value : new Date(value as string));

export function createPostgresStore(pool: PgQueryable, options: PostgresStoreOptions = {}): PostgresStore {
  const metaEngine = options.metaEngine ?? "db";
  const clock = options.clock ?? systemClock;
  const run = (name: keyof typeof SQL, values: unknown[]) => pool.query({ name: `sessionscope_${name}`, text: SQL[name], values });
  const rows: SqlRowReader = {
    meta: async (query) => (await pool.query(query)).rows as MetaRow[],
    unindexed: async (query) => (await pool.query(query)).rows as UnindexedRow[],
    count: async (query) => Number(((await pool.query(query)).rows[0] as { total: string | number }).total),
    toDate,
  };
  const removeBefore = (name: "clearBatch" | "issuedBeforeBatch", cutoff: Date, options?: ClearExpiredOptions) =>
    removeInBatches(async (limit) => {
      const row = (await run(name, [cutoff, limit])).rows[0] as { scanned: number; removed: number };
      return [row.scanned, row.removed];
    }, options);

  return {
    engine: "db",
    atomicSave: true,
    recordsKills: true,
    async load(key, now): Promise<DatedStoredSession | null> {
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
        const copyBefore = new Date(record.expireDate.getTime() - expiryCopySlackMs(record.ttlSeconds));
        const fast = await run("updateSameOwner", [record.encoded, record.expireDate, key, expectedVersion, userId, copyBefore]);
        if ((fast.rows[0] as { updated: number }).updated === 1) return { ok: true, version: record.encoded };
      }
      const meta = [newPublicId(clock().getTime()), userId, record.createdAt, metaEngine];
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
      return removeBefore("clearBatch", now, options);
    },
    list(filter, page, now) {
      return listPage(dialect, rows, filter, page, now);
    },
    count(filter, now) {
      return countSessions(dialect, rows, filter, now);
    },
    async deleteByUser(userId, exceptKey) {
      const id = toDbUserId(userId);
      if (id === null) return 0;
      return ((await run("deleteByUser", [id, exceptKey ?? null])).rows[0] as { removed: number }).removed;
    },
    listByUser(userId, now) {
      return listUserSessions(dialect, rows, userId, now);
    },
    async recordActivity(key, activity) {
      await run("activity", [activity.at, ...activityColumns(activity), key]);
    },
    deleteIssuedBefore(date) {
      return removeBefore("issuedBeforeBatch", date);
    },
    async kill(target, record) {
      const row = (await pool.query(killQuery(target, record))).rows[0] as { keys: string[]; record_id: number | null };
      return { deleted: row.keys.length, keys: row.keys, recordId: row.record_id };
    },
    async recordCacheInvalidations(keys, kind, at) {
      const text = `INSERT INTO ${OUTBOX_TABLE} (session_key, kind, created_at) SELECT k, $2, $3 FROM unnest($1::varchar[]) AS k`;
      await pool.query({ text, values: [keys.filter(isStorableKey), kind, at] });
    },
    async pendingCacheInvalidations(limit) {
      const text = `SELECT id, session_key, kind FROM ${OUTBOX_TABLE} ORDER BY id LIMIT $1`;
      const { rows: pending } = await pool.query({ name: "sessionscope_outbox_pending", text, values: [limit] });
      return (pending as Array<{ id: number; session_key: string; kind: CacheInvalidationKind }>).map((row) => ({ id: row.id, key: row.session_key, kind: row.kind }));
    },
    async clearCacheInvalidations(ids) {
      if (ids.length) await pool.query({ text: `DELETE FROM ${OUTBOX_TABLE} WHERE id = ANY($1::int[])`, values: [ids] });
    },
  };
}
