/**
 * Checkpoints of a SQLite file in WAL mode, off the commit path.
 *
 * In WAL mode every commit appends the pages it changed to the write-ahead
 * log, and by default the commit that takes the log past 1,000 pages also
 * copies the whole log back into the database file and syncs it (SQLite's
 * auto-checkpoint): every few dozen session writes, one request pays for all
 * of them, and meanwhile nothing else runs on its thread. A session write
 * changes about a dozen pages (the session row, the dashboard's meta row and
 * their indexes), so on SessionScope's tables moving that copy off the
 * commit took about a quarter off a new session's write (docs/configuration.md).
 *
 * The checkpointer does that copy on a worker thread with its own connection,
 * every `intervalMs` (PASSIVE: it never waits for a lock and never blocks a
 * writer or a reader), and raises the app connection's auto-checkpoint
 * threshold to COMMIT_CHECKPOINT_PAGES, so that a commit checkpoints only
 * when the thread has fallen far behind. Should the thread stop, the
 * threshold goes back to SQLite's default and commits checkpoint as before.
 *
 * Durability is unchanged: a commit is in the log when it returns, whoever
 * copies it later. The thread never keeps the process alive; close() stops it.
 */
import { Worker } from "node:worker_threads";
import { log } from "../log.ts";
import { readsBesideWriters } from "./sqlite-reader.ts";

/** What the thread reports: frames copied so far, rounds that met another checkpoint, and a checkpoint run now. */
export interface CheckpointStats {
  readonly copied: number;
  readonly busy: number;
  readonly last: { readonly busy: number; readonly log: number; readonly checkpointed: number };
}

export interface SqliteCheckpointer {
  /** The worker thread's id while it runs, else null. */
  readonly threadId: number | null;
  /** Runs a checkpoint on the thread now and reports (tests, diagnostics). */
  stats(): Promise<CheckpointStats>;
  /** Stops the thread and gives the app's connection SQLite's default threshold back. */
  close(): Promise<void>;
}

export interface CheckpointerOptions {
  /** How often the thread checkpoints (default 200 ms). */
  readonly intervalMs?: number;
}

interface PragmaConnection {
  pragma(source: string, options?: { simple: true }): unknown;
}

/** SQLite's default auto-checkpoint threshold, in pages. */
export const SQLITE_DEFAULT_AUTOCHECKPOINT = 1000;
/**
 * The app connection's threshold while the thread runs: about 40 MB of log at 4 KiB pages, which
 * the thread reaches only if it stalls for seconds under a full write load.
 */
export const COMMIT_CHECKPOINT_PAGES = 10_000;

// A URL beside this module: tsx and vitest load the file itself; Turbopack emits it as a worker entry.
const WORKER_URL = new URL("./sqlite-checkpoint-worker.mjs", import.meta.url);

/**
 * Starts the thread for `path` and raises `connection`'s threshold; null (and nothing changed) when
 * the file is not in WAL mode, such as an attached Django site's database on its rollback journal.
 */
export function startSqliteCheckpointer(connection: PragmaConnection, path: string, options: CheckpointerOptions = {}): SqliteCheckpointer | null {
  // Another connection can checkpoint beside the writers under the same condition as it can read beside them: a file in WAL mode.
  if (!readsBesideWriters(connection, path)) return null;
  const intervalMs = options.intervalMs ?? 200;
  let thread: Worker | null = new Worker(WORKER_URL, { workerData: { path, intervalMs }, resourceLimits: { maxOldGenerationSizeMb: 32 } });
  thread.unref();
  connection.pragma(`wal_autocheckpoint = ${COMMIT_CHECKPOINT_PAGES}`);
  let closing = false;
  let failure: Error | null = null;
  const waiting: Array<{ resolve(stats: CheckpointStats): void; reject(error: Error): void }> = [];
  const giveBack = () => {
    try {
      connection.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT}`);
    } catch {
      // The connection was closed first: nothing to give back.
    }
  };
  thread.on("message", (stats: CheckpointStats) => waiting.shift()?.resolve(stats));
  thread.on("error", (error) => {
    failure = error;
  });
  thread.on("exit", (code) => {
    thread = null;
    giveBack();
    for (const w of waiting.splice(0)) w.reject(new Error("the SQLite checkpoint thread has stopped"));
    if (!closing) {
      log.warn(`SQLite checkpoint thread stopped (${failure?.message ?? `exit code ${code}`}): commits checkpoint the write-ahead log themselves again`);
    }
  });
  return {
    get threadId() {
      return thread?.threadId ?? null;
    },
    stats() {
      const running = thread;
      if (!running) return Promise.reject(new Error("the SQLite checkpoint thread has stopped"));
      return new Promise((resolve, reject) => {
        waiting.push({ resolve, reject });
        running.postMessage("stats");
      });
    },
    async close() {
      closing = true;
      const running = thread;
      if (!running) return;
      const exited = new Promise((resolve) => running.once("exit", resolve));
      // Held open until the thread has closed its connection.
      running.ref();
      running.postMessage("stop");
      await exited;
    },
  };
}
