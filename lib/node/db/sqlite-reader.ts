/**
 * Heavy reads of a SQLite file on a worker thread.
 *
 * better-sqlite3 is synchronous: a query runs on the thread that calls it, and
 * the dashboard's aggregates over every session (the overview's snapshot, the
 * policy preview) take seconds at a million sessions, during which the
 * process answers nothing. A SqliteReader runs such queries on one worker
 * thread with its own read-only connection to the same file, so the event
 * loop stays free.
 *
 * - The file must be in WAL mode (see `readsBesideWriters`): WAL lets that
 *   connection read a consistent snapshot while the app's connections keep
 *   writing. Under a rollback journal a long read would hold a lock that
 *   stops every commit, and the writer's busy wait would block the loop anyway.
 * - One thread, started at the first read; reads queue and run one at a time
 *   (statements given together run in one read transaction: one moment).
 * - A read that runs longer than the timeout (counted once the thread has
 *   taken it) fails; its thread is stopped and the next read starts a new one.
 *   better-sqlite3 cannot interrupt a statement inside SQLite: the old thread
 *   ends when that statement returns, and a process exiting meanwhile waits
 *   for it (as it waits for a statement on the main thread today).
 * - A thread that dies (out of memory: its heap is capped) fails the read it
 *   was running and is replaced for the next.
 * - Errors come back as SqliteReadError with SQLite's message and code.
 * - The thread never keeps the process alive while idle; close() stops it.
 */
import { Worker } from "node:worker_threads";
import type { Sql } from "@prisma/client/runtime/client";

/** What better-sqlite3 binds: Prisma's SQLite dialect values (dates are already text). */
export type SqliteValue = string | number | bigint | Buffer | Uint8Array | null;

export interface SqliteStatement {
  readonly sql: string;
  readonly params: readonly SqliteValue[];
}

export interface SqliteReaderOptions {
  /**
   * How long one read (or batch) may run once started (default 10 minutes: the overview's snapshot
   * refresh at a million sessions took 80 to 115 s on a loaded 2-core machine, and a refresh's
   * claim lapses after 10 minutes anyway).
   */
  readonly timeoutMs?: number;
  /** The thread's heap cap, MiB (default 256): a runaway result kills the thread, not the process. */
  readonly maxHeapMb?: number;
  /** How long the connection waits on a lock (default 5 s, as the app's connections). */
  readonly busyTimeoutMs?: number;
}

export interface SqliteReader {
  /** The rows of one query, run on the reader's thread. */
  read<T = Record<string, unknown>>(sql: string, params?: readonly SqliteValue[]): Promise<T[]>;
  /** Several queries in one read transaction (one moment of the database); each settles on its own. */
  readAll(statements: readonly SqliteStatement[]): Array<Promise<unknown[]>>;
  /** The worker thread's id while one runs (diagnostics), else null. */
  readonly threadId: number | null;
  /** Fails queued reads, stops the thread; later reads fail. */
  close(): Promise<void>;
}

export class SqliteReadError extends Error {
  /** SQLite's error code (SQLITE_ERROR, SQLITE_CANTOPEN, ...), or the reader's (SQLITE_READER_TIMEOUT, SQLITE_READER_DIED, SQLITE_READER_CLOSED). */
  readonly code: string | undefined;
  constructor(message: string, code?: string) {
    super(message);
    this.name = "SqliteReadError";
    this.code = code;
  }
}

/** A query built with Prisma's `sql` tag as SQLite text (`?` placeholders) and its values (checked when read). */
export function sqliteStatement(query: Sql): SqliteStatement {
  return { sql: query.sql, params: query.values as SqliteValue[] };
}

/** A value as SQLite binds it; a Date or an object is refused with a message that says why. */
export function bindable(value: unknown): SqliteValue {
  if (value === null || typeof value === "string" || typeof value === "number" || typeof value === "bigint" || value instanceof Uint8Array) return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  // A Date has no one SQLite form (Django's text, Prisma's text, epoch numbers): the query must say which.
  throw new TypeError(`a SQLite read cannot bind ${value instanceof Date ? "a Date (format it as the column stores it)" : typeof value}`);
}

/** Whether a connection's file lets a second connection read beside its writers: WAL, a file (not :memory:). */
export function readsBesideWriters(connection: { pragma(source: string, options: { simple: true }): unknown }, path: string): boolean {
  return path !== ":memory:" && path !== "" && String(connection.pragma("journal_mode", { simple: true })).toLowerCase() === "wal";
}

interface Job {
  readonly statements: readonly SqliteStatement[];
  readonly settle: Array<{ resolve(rows: unknown[]): void; reject(error: Error): void }>;
}

/** The thread's answers: `started` when it takes a job (the timeout counts from there), then its results. */
type Reply =
  | { readonly id: number; readonly started: true }
  | { readonly id: number; readonly results: ReadonlyArray<{ rows?: unknown[]; error?: { message: string; code?: string } }> };

/** How long a new thread may take to load the driver and open the file, beyond the read's timeout. */
const STARTUP_ALLOWANCE_MS = 10_000;

// A URL beside this module: tsx and vitest load the file itself; Turbopack emits it as a worker entry.
const WORKER_URL = new URL("./sqlite-reader-worker.mjs", import.meta.url);

export function createSqliteReader(path: string, options: SqliteReaderOptions = {}): SqliteReader {
  const timeoutMs = options.timeoutMs ?? 10 * 60_000;
  const queue: Job[] = [];
  let worker: Worker | null = null;
  let running: { id: number; job: Job; timer: NodeJS.Timeout; abandon(): void } | null = null;
  let nextId = 1;
  let closed = false;

  const failJob = (job: Job, error: Error) => job.settle.forEach((s) => s.reject(error));

  const start = (): Worker => {
    const thread = new Worker(WORKER_URL, {
      workerData: { path, busyTimeoutMs: options.busyTimeoutMs ?? 5000 },
      resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb ?? 256 },
    });
    thread.unref();
    thread.on("message", (reply: Reply) => {
      if (thread !== worker || running?.id !== reply.id) return;
      if ("started" in reply) {
        // The thread's start-up (loading the driver) is not the query's time: the timeout counts from here.
        clearTimeout(running.timer);
        running.timer = setTimeout(running.abandon, timeoutMs);
        return;
      }
      const { job, timer } = running;
      clearTimeout(timer);
      running = null;
      thread.unref();
      reply.results.forEach((result, i) => {
        if (result.error) job.settle[i]!.reject(new SqliteReadError(result.error.message, result.error.code));
        else job.settle[i]!.resolve(result.rows ?? []);
      });
      pump();
    });
    let failure: Error | null = null;
    thread.on("error", (error) => {
      failure = error;
    });
    thread.on("exit", (code) => {
      if (thread !== worker) return;
      worker = null;
      if (running) {
        const { job, timer } = running;
        clearTimeout(timer);
        running = null;
        const reason = failure ? failure.message : `exit code ${code}`;
        failJob(job, new SqliteReadError(`the SQLite reader's thread stopped during the read: ${reason}`, "SQLITE_READER_DIED"));
      }
      pump();
    });
    return thread;
  };

  const pump = () => {
    if (closed || running || queue.length === 0) return;
    const job = queue.shift()!;
    worker ??= start();
    const thread = worker;
    const id = nextId++;
    // While a read runs the thread holds the process open (a command-line run waits for its answer).
    thread.ref();
    const abandon = () => {
      if (running?.id !== id) return;
      running = null;
      worker = null;
      failJob(job, new SqliteReadError(`the SQLite read took longer than ${timeoutMs} ms and was abandoned`, "SQLITE_READER_TIMEOUT"));
      // The statement inside SQLite runs to its end; the thread stops there. The next read starts a new one.
      thread.unref();
      void thread.terminate();
      pump();
    };
    // Until the thread takes the job, its start-up is allowed for too.
    running = { id, job, abandon, timer: setTimeout(abandon, timeoutMs + STARTUP_ALLOWANCE_MS) };
    thread.postMessage({ id, statements: job.statements });
  };

  const enqueue = (given: readonly SqliteStatement[]): Array<Promise<unknown[]>> => {
    const settle: Job["settle"] = [];
    const promises = given.map((_, i) => new Promise<unknown[]>((resolve, reject) => (settle[i] = { resolve, reject })));
    let statements: SqliteStatement[];
    try {
      statements = given.map((s) => ({ sql: s.sql, params: s.params.map(bindable) }));
    } catch (error) {
      failJob({ statements: given, settle }, error as Error);
      return promises;
    }
    if (closed) {
      failJob({ statements, settle }, new SqliteReadError("the SQLite reader is closed", "SQLITE_READER_CLOSED"));
    } else if (statements.length > 0) {
      queue.push({ statements, settle });
      pump();
    }
    return promises;
  };

  return {
    read: <T,>(sql: string, params: readonly SqliteValue[] = []) => enqueue([{ sql, params }])[0]! as Promise<T[]>,
    readAll: enqueue,
    get threadId() {
      return worker?.threadId ?? null;
    },
    async close() {
      closed = true;
      const error = new SqliteReadError("the SQLite reader is closed", "SQLITE_READER_CLOSED");
      for (const job of queue.splice(0)) failJob(job, error);
      if (running) {
        clearTimeout(running.timer);
        failJob(running.job, error);
        running = null;
      }
      const thread = worker;
      worker = null;
      if (thread) await thread.terminate();
    },
  };
}
