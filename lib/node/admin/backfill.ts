/**
 * Metadata for sessions Django wrote: django_session rows without a
 * sessionscope_session_meta row get one, decoded from the row and never
 * changing it. The user comes from `_auth_user_id`; the creation time is
 * estimated as expire_date − SESSION_COOKIE_AGE (flagged created_estimated);
 * IP, user agent and device stay unknown; a value no configured key opens is
 * flagged undecodable; the expiry is copied as it is (attach mode lists from
 * django_session's, which Django keeps changing). Then the opposite: meta rows whose session Django
 * deleted (logout, clearsessions) go.
 *
 * Both walks are anti-joins on the two primary keys, in key order, in
 * batches: each batch is one short transaction, so Django's requests never
 * wait long, and a run stopped half-way resumes where it was.
 */
import { formatPrismaSqliteDate, formatSqliteDate, newPublicId, parseSqliteDate, type SessionStringCodec } from "../../session/index.ts";
import { openDatabaseFromEnv, type Database } from "../db/connection.ts";
import type { Env } from "../env.ts";
import { log } from "../log.ts";
import { createSessionCodecFromConfig } from "../session/engines.ts";

export interface BackfillOptions {
  readonly codec: SessionStringCodec;
  /** SESSION_COOKIE_AGE in seconds: creation is estimated as expiry minus this. */
  readonly cookieAge: number;
  /** The engine recorded in the meta rows: "db" or "cached_db". */
  readonly engine: "db" | "cached_db";
  readonly batchSize?: number;
  /** Called after each batch with the number of meta rows written so far. */
  readonly onProgress?: (written: number) => void;
}

export interface BackfillResult {
  readonly written: number;
  readonly undecodable: number;
  readonly removed: number;
}

interface SessionRow {
  readonly session_key: string;
  readonly session_data: string;
  readonly expire_date: Date | string;
}

export interface MetaRow {
  readonly sessionKey: string;
  readonly publicId: string;
  readonly userId: number | null;
  readonly createdAt: Date;
  /** The session row's expire_date as stored (Django's text on SQLite), copied as it is. */
  readonly expireDate: Date | string;
  readonly undecodable: boolean;
}

const INT32_MAX = 2 ** 31 - 1;

/** The meta row for one Django session. */
export function metaFor(row: SessionRow, codec: SessionStringCodec, cookieAge: number): MetaRow {
  const expiry = row.expire_date instanceof Date ? row.expire_date : parseSqliteDate(row.expire_date);
  const createdAt = new Date(expiry.getTime() - cookieAge * 1000);
  const decoded = codec.decode(row.session_data);
  let userId: number | null = null;
  if (decoded.ok) {
    // Django stores the primary key as a string ("42"); anything else is not a user SessionScope can show.
    const raw = decoded.data.get("_auth_user_id");
    const id = typeof raw === "string" && /^\d{1,10}$/.test(raw) ? Number(raw) : typeof raw === "number" ? raw : NaN;
    if (Number.isInteger(id) && id > 0 && id <= INT32_MAX) userId = id;
  }
  return { sessionKey: row.session_key, publicId: newPublicId(createdAt.getTime()), userId, createdAt, expireDate: row.expire_date, undecodable: !decoded.ok };
}

/** Counts the Django sessions that have no meta row yet (for a progress bar's total). */
export async function countMissingMeta(db: Database): Promise<number> {
  const sql = `SELECT count(*) AS n FROM django_session s WHERE NOT EXISTS (SELECT 1 FROM sessionscope_session_meta m WHERE m.session_key = s.session_key)`;
  if (db.provider === "sqlite") return (db.sqlite.prepare(sql).get() as { n: number }).n;
  return Number((await db.pool.query(sql)).rows[0].n);
}

async function missingBatch(db: Database, after: string, limit: number): Promise<SessionRow[]> {
  const where = `s.session_key > ${db.provider === "sqlite" ? "?" : "$1"} AND NOT EXISTS (SELECT 1 FROM sessionscope_session_meta m WHERE m.session_key = s.session_key)`;
  const sql = `SELECT s.session_key, s.session_data, s.expire_date FROM django_session s WHERE ${where} ORDER BY s.session_key LIMIT ${db.provider === "sqlite" ? "?" : "$2"}`;
  if (db.provider === "sqlite") return db.sqlite.prepare(sql).all(after, limit) as SessionRow[];
  return (await db.pool.query(sql, [after, limit])).rows as SessionRow[];
}

/** Writes meta rows; a row SessionScope wrote meanwhile (a login through it) wins. */
export async function insertMeta(db: Database, rows: readonly MetaRow[], engine: string): Promise<void> {
  if (rows.length === 0) return;
  if (db.provider === "sqlite") {
    const insert = db.sqlite.prepare(
      `INSERT INTO sessionscope_session_meta (session_key, public_id, user_id, created_at, engine, created_estimated, undecodable, expire_date)
       VALUES (?, ?, ?, ?, ?, 1, ?, ?) ON CONFLICT (session_key) DO NOTHING`,
    );
    db.sqlite.transaction(() => {
      for (const row of rows) {
        const expire = row.expireDate instanceof Date ? formatSqliteDate(row.expireDate) : row.expireDate;
        insert.run(row.sessionKey, row.publicId, row.userId, formatPrismaSqliteDate(row.createdAt), engine, row.undecodable ? 1 : 0, expire);
      }
    })();
    return;
  }
  await db.pool.query(
    `INSERT INTO sessionscope_session_meta (session_key, public_id, user_id, created_at, engine, created_estimated, undecodable, expire_date)
     SELECT k, p, u, c, $5, true, d, e FROM unnest($1::varchar[], $2::varchar[], $3::int[], $4::timestamptz[], $6::bool[], $7::timestamptz[]) AS t(k, p, u, c, d, e)
     ON CONFLICT (session_key) DO NOTHING`,
    [
      rows.map((r) => r.sessionKey), rows.map((r) => r.publicId), rows.map((r) => r.userId), rows.map((r) => r.createdAt), engine, rows.map((r) => r.undecodable),
      rows.map((r) => r.expireDate),
    ],
  );
}

/** Deletes meta rows of the database engines whose django_session row is gone, in batches; returns how many. */
export async function removeOrphanMeta(db: Database, batchSize: number): Promise<number> {
  const orphans = `SELECT m.session_key FROM sessionscope_session_meta m
    WHERE m.engine IN ('db', 'cached_db') AND NOT EXISTS (SELECT 1 FROM django_session s WHERE s.session_key = m.session_key) LIMIT ${batchSize}`;
  const sql = `DELETE FROM sessionscope_session_meta WHERE session_key IN (${orphans})`;
  let removed = 0;
  for (;;) {
    const count = db.provider === "sqlite" ? db.sqlite.prepare(sql).run().changes : ((await db.pool.query(sql)).rowCount ?? 0);
    removed += count;
    if (count < batchSize) return removed;
  }
}

/** One full pass: every Django session without a meta row gets one, then orphans go. */
export async function backfillSessionMeta(db: Database, options: BackfillOptions): Promise<BackfillResult> {
  const batchSize = options.batchSize ?? 5_000;
  let after = "";
  let written = 0;
  let undecodable = 0;
  for (;;) {
    const batch = await missingBatch(db, after, batchSize);
    if (batch.length === 0) break;
    const rows = batch.map((row) => metaFor(row, options.codec, options.cookieAge));
    await insertMeta(db, rows, options.engine);
    written += rows.length;
    undecodable += rows.filter((row) => row.undecodable).length;
    after = batch[batch.length - 1]!.session_key;
    options.onProgress?.(written);
    if (batch.length < batchSize) break;
  }
  const removed = await removeOrphanMeta(db, batchSize);
  return { written, undecodable, removed };
}

/**
 * The incremental part: a pass every `intervalMs` (default a minute), one at
 * a time; a failure is reported and the next pass tries again. Returns a stop
 * function.
 */
export function startBackfillTimer(db: Database, options: BackfillOptions & { intervalMs?: number; onError?: (error: Error) => void }): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    backfillSessionMeta(db, options)
      .catch((error: Error) => options.onError?.(error))
      .finally(() => {
        running = false;
      });
  }, options.intervalMs ?? 60_000);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * The server's part in attach mode (instrumentation.ts): for the database
 * engines, a pass every minute on its own connection. `npm start` has already
 * run the first, full pass before the server came up.
 */
export function startBackfillFromEnv(env: Env): (() => void) | null {
  const engine = env.SESSION_ENGINE;
  if (!env.SESSIONSCOPE_ATTACH || (engine !== "db" && engine !== "cached_db")) return null;
  const db = openDatabaseFromEnv(env);
  const stop = startBackfillTimer(db, {
    codec: createSessionCodecFromConfig(env.session),
    cookieAge: env.session.cookieAge,
    engine,
    onError: (error) => log.warn(`session metadata backfill failed (${error.message}); trying again in a minute`),
  });
  return () => {
    stop();
    void db.close();
  };
}
