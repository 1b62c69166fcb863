// The app's own database connection (lib/server's, from DATABASE_URL) on a
// fresh, migrated SQLite file for one test file, closed and removed after it.
import { afterAll, beforeAll, vi } from "vitest";
import { getDatabase } from "../../lib/server/db/client.ts";
import { createSqliteDatabase, type TestDatabase } from "./databases.ts";

/** Registers the hooks; the returned function gives the database once the file's tests run. `env` adds variables (SESSION_ENGINE, say). */
export function registerAppDatabase(env: Readonly<Record<string, string>> = {}): () => TestDatabase {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await createSqliteDatabase();
    for (const [name, value] of Object.entries({ ...env, DATABASE_URL: database.url })) vi.stubEnv(name, value);
  });
  afterAll(async () => {
    await getDatabase().close();
    await database?.dispose();
    vi.unstubAllEnvs();
  });
  return () => {
    if (!database) throw new Error("registerAppDatabase: the database exists only while the file's tests run");
    return database;
  };
}
