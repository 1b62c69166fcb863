import "server-only";
import { getEnv } from "../../node/env.ts";
import { openDatabaseFromEnv, type Database } from "../../node/db/connection.ts";
import { createSqliteReader, readsBesideWriters, type SqliteReader } from "../../node/db/sqlite-reader.ts";

// One database per server process; Next's dev server reloads modules, so the
// handle lives on globalThis to survive hot reloads.
const holder = globalThis as typeof globalThis & {
  __sessionscopeDb?: Database;
  __sessionscopeReader?: { readonly db: Database; readonly reader: SqliteReader | null };
};

export function getDatabase(): Database {
  holder.__sessionscopeDb ??= openDatabaseFromEnv(getEnv(), { timeoutMs: getEnv().DATABASE_TIMEOUT_MS, backgroundCheckpoints: true });
  return holder.__sessionscopeDb;
}

export const getPrisma = () => getDatabase().prisma;

/**
 * The process's reader for the dashboard's heavy reads on SQLite (one worker thread, started at
 * its first read): null on PostgreSQL, where queries run on the server anyway, and on a SQLite
 * file not in WAL mode (an attached Django site's rollback journal), where a second connection's
 * long read would stop every commit: those reads stay on the request thread.
 */
export function getSqliteReader(): SqliteReader | null {
  const db = getDatabase();
  if (holder.__sessionscopeReader?.db !== db) {
    void holder.__sessionscopeReader?.reader?.close();
    const reader = db.provider === "sqlite" && readsBesideWriters(db.sqlite, db.path) ? createSqliteReader(db.path) : null;
    holder.__sessionscopeReader = { db, reader };
  }
  return holder.__sessionscopeReader.reader;
}
