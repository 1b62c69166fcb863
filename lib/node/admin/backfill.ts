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

/**
 * Gives meta rows to the sessions `nextBatch` returns, batch after batch, until one comes back
 * short; `nextBatch` gets the last row of the previous batch (null at first).
 */
async function fillBatches(
  db: Database,
  options: BackfillOptions,
  batchSize: number,
  nextBatch: (last: SessionRow | null) => Promise<SessionRow[]>,
): Promise<Omit<BackfillResult, "removed">> {
  let last: SessionRow | null = null;
  let written = 0;
  let undecodable = 0;
  for (;;) {
    const batch = await nextBatch(last);
    if (batch.length === 0) break;
    const rows = batch.map((row) => metaFor(row, options.codec, options.cookieAge));
    await insertMeta(db, rows, options.engine);
    written += rows.length;
    undecodable += rows.filter((row) => row.undecodable).length;
    last = batch[batch.length - 1]!;
    options.onProgress?.(written);
    if (batch.length < batchSize) break;
  }
  return { written, undecodable };
}

/** One full pass: every Django session without a meta row gets one, in key order, then orphans go. */
export async function backfillSessionMeta(db: Database, options: BackfillOptions): Promise<BackfillResult> {
  const batchSize = options.batchSize ?? 5_000;
  const filled = await fillBatches(db, options, batchSize, (last) => missingBatch(db, last?.session_key ?? "", batchSize));
  const removed = await removeOrphanMeta(db, batchSize);
  return { ...filled, removed };
}

/**
 * Sessions whose expiry is at or after `since` and that have no meta row, oldest expiry first:
 * a range of django_session's expire_date index, then the anti-join on the few rows in it.
 */
async function recentMissingBatch(db: Database, since: Date, limit: number): Promise<SessionRow[]> {
  const sinceValue = db.provider === "sqlite" ? formatSqliteDate(since) : since;
  const where = `s.expire_date >= ${db.provider === "sqlite" ? "?" : "$1"} AND NOT EXISTS (SELECT 1 FROM sessionscope_session_meta m WHERE m.session_key = s.session_key)`;
  const sql = `SELECT s.session_key, s.session_data, s.expire_date FROM django_session s WHERE ${where} ORDER BY s.expire_date LIMIT ${db.provider === "sqlite" ? "?" : "$2"}`;
  if (db.provider === "sqlite") return db.sqlite.prepare(sql).all(sinceValue, limit) as SessionRow[];
  return (await db.pool.query(sql, [sinceValue, limit])).rows as SessionRow[];
}

/** Slack for clocks: Django's, the database's and this process's may disagree by this much. */
const CLOCK_SLACK_MS = 60_000;

/**
 * The quick pass: metadata for the sessions written (or saved again) since `since`. A session
 * Django writes expires SESSION_COOKIE_AGE after it was saved, so those are the rows expiring at
 * or after since + cookie age (less a minute of slack for clocks): a short walk of the expire_date
 * index however many sessions there are. Sessions given a shorter expiry (set_expiry) are left to
 * the full pass.
 */
export async function backfillRecentSessionMeta(db: Database, options: BackfillOptions & { readonly since: Date }): Promise<Omit<BackfillResult, "removed">> {
  const batchSize = options.batchSize ?? 5_000;
  const from = new Date(options.since.getTime() + options.cookieAge * 1000 - CLOCK_SLACK_MS);
  // Each batch's rows get meta rows, so the next query (same range) starts after them.
  return fillBatches(db, options, batchSize, () => recentMissingBatch(db, from, batchSize));
}

export interface BackfillSchedule {
  /**
   * Resolves once a pass that began after this call has finished (joining one in flight that did,
   * else running one after the current), so a session saved before the call is in the list; never
   * rejects. Passes are short (a range of the expire_date index), and concurrent callers share one.
   */
  catchUp(): Promise<void>;
  stop(): void;
}

export interface BackfillScheduleOptions extends BackfillOptions {
  /** Between quick passes (default 5 s). */
  readonly quickIntervalMs?: number;
  /** Between full passes (default a minute). */
  readonly fullIntervalMs?: number;
  /** After a pass that gave sessions metadata: they are now listed (the server tells open dashboards). */
  readonly onWritten?: (written: number) => void;
  readonly onError?: (error: Error) => void;
  /** When the previous pass (the start-up one) began; default now. */
  readonly startedAt?: Date;
  readonly now?: () => Date;
}

/**
 * The incremental part: a quick pass every `quickIntervalMs` (new sessions), a full pass every
 * `fullIntervalMs` (anything the quick ones cannot see, and the metadata of deleted sessions), one
 * pass at a time. A failure is reported and the next pass tries again.
 */
export function scheduleBackfill(db: Database, options: BackfillScheduleOptions): BackfillSchedule {
  const now = options.now ?? (() => new Date());
  const fullEvery = options.fullIntervalMs ?? 60_000;
  // A quick pass looks at what was saved since the previous pass of either kind began.
  let lastStart = options.startedAt ?? now();
  let lastFull = lastStart.getTime();
  let current: Promise<void> | null = null;
  let currentStartedAt = 0;
  let stopped = false;
  const run = (): Promise<void> => {
    if (current) return current;
    const started = now();
    currentStartedAt = started.getTime();
    const full = started.getTime() - lastFull >= fullEvery;
    const pass: Promise<BackfillResult> = full ? backfillSessionMeta(db, options) : backfillRecentSessionMeta(db, { ...options, since: lastStart }).then((result) => ({ ...result, removed: 0 }));
    current = pass
      .then((result) => {
        lastStart = started;
        if (full) lastFull = started.getTime();
        if (result.written > 0 || result.removed > 0) options.onWritten?.(result.written);
      })
      .catch((error: Error) => options.onError?.(error))
      .finally(() => {
        current = null;
      });
    return current;
  };
  const timer = setInterval(() => void run(), options.quickIntervalMs ?? 5_000);
  timer.unref();
  return {
    catchUp() {
      if (stopped) return Promise.resolve();
      const calledAt = now().getTime();
      // A pass in flight that began before this call may have read django_session before the newest save.
      if (current && currentStartedAt >= calledAt) return current;
      return (current ?? Promise.resolve()).then(() => (stopped ? undefined : run()));
    },
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}

/**
 * The server's part in attach mode, for the database engines, on its own connection: the schedule
 * above (quick passes every SESSIONSCOPE_BACKFILL_INTERVAL seconds, a full one every minute).
 * `npm start` has already run the first, full pass before the server came up. Kept on globalThis:
 * the dashboard's listing asks it to catch up (catchUpDjangoSessions).
 */
export function startBackfillFromEnv(env: Env, hooks: { onWritten?: (written: number) => void } = {}): BackfillSchedule | null {
  const engine = env.SESSION_ENGINE;
  if (!env.SESSIONSCOPE_ATTACH || (engine !== "db" && engine !== "cached_db")) return null;
  holder.__sessionscopeBackfill?.stop();
  const db = openDatabaseFromEnv(env);
  const schedule = scheduleBackfill(db, {
    codec: createSessionCodecFromConfig(env.session),
    cookieAge: env.session.cookieAge,
    engine,
    quickIntervalMs: env.SESSIONSCOPE_BACKFILL_INTERVAL * 1000,
    // The start-up pass ran just before the server: look back over it.
    startedAt: new Date(Date.now() - 5 * 60_000),
    onWritten: hooks.onWritten,
    onError: (error) => log.warn(`session metadata backfill failed (${error.message}); trying again at the next pass`),
  });
  const stop = () => {
    schedule.stop();
    void db.close();
  };
  holder.__sessionscopeBackfill = { catchUp: schedule.catchUp, stop };
  return holder.__sessionscopeBackfill;
}

const holder = globalThis as typeof globalThis & { __sessionscopeBackfill?: BackfillSchedule };

/**
 * Before the dashboard lists sessions: a quick pass that began after the request, so a session
 * Django wrote a moment ago is in the list. Nothing outside attach mode (no schedule runs there).
 */
export function catchUpDjangoSessions(): Promise<void> {
  return holder.__sessionscopeBackfill?.catchUp() ?? Promise.resolve();
}
