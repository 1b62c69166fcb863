// The thread behind sqlite-reader.ts: its own read-only better-sqlite3
// connection to the database file, running one batch of queries at a time so
// that the process's event loop stays free while they take seconds.
//
// Plain JavaScript with no project imports, so that it loads as it is under
// tsx, vitest and `next start` (where Turbopack emits it as a worker entry).
import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";

const { path, busyTimeoutMs } = workerData;

/** @type {import("better-sqlite3").Database | null} */
let db = null;

const failure = (error) => ({ message: error instanceof Error ? error.message : String(error), code: typeof error?.code === "string" ? error.code : undefined });

function open() {
  try {
    // fileMustExist: a reader must never create an empty database where the app's is missing.
    const opened = new Database(path, { readonly: true, fileMustExist: true });
    opened.pragma(`busy_timeout = ${Number(busyTimeoutMs)}`);
    return opened;
  } catch (error) {
    const { message, code } = failure(error);
    throw Object.assign(new Error(`cannot open the SQLite file ${path} for reading: ${message}`), { code });
  }
}

function run(statement) {
  const prepared = db.prepare(statement.sql);
  if (!prepared.reader) throw Object.assign(new Error("the SQLite reader runs only statements that return rows"), { code: "SQLITE_READONLY" });
  return prepared.all(...statement.params);
}

parentPort.on("message", ({ id, statements }) => {
  parentPort.postMessage({ id, started: true });
  let results;
  try {
    db ??= open();
    if (statements.length === 1) {
      results = [safely(statements[0])];
    } else {
      // One read transaction: every statement of the batch sees the same moment of the database.
      db.exec("BEGIN");
      try {
        // A read transaction takes its snapshot at its first read of the file: take it now.
        db.prepare("SELECT count(*) FROM sqlite_schema").get();
        results = statements.map(safely);
      } finally {
        db.exec("COMMIT");
      }
    }
  } catch (error) {
    // Opening failed (a missing file): every statement of the batch fails with that reason, and
    // the next batch tries again.
    results = statements.map(() => ({ error: failure(error) }));
  }
  parentPort.postMessage({ id, results });
});

function safely(statement) {
  try {
    return { rows: run(statement) };
  } catch (error) {
    return { error: failure(error) };
  }
}
