// Fresh, migrated databases for integration tests: a SQLite file in a temp
// folder, or a new database on the run's PostgreSQL server.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { openDatabase, type SqliteOptions, type Database } from "../../lib/node/db/connection.ts";
import { migrateDatabase } from "../../lib/node/db/setup.ts";

export interface TestDatabase {
  readonly db: Database;
  readonly url: string;
  dispose(): Promise<void>;
}

/** Opens and migrates the database at `url`; disposing closes it, then runs `remove`. */
async function migrated(url: string, options: SqliteOptions, remove: () => Promise<void>): Promise<TestDatabase> {
  const db = openDatabase(url, options);
  await migrateDatabase(db);
  return {
    db,
    url,
    async dispose() {
      await db.close();
      await remove();
    },
  };
}

export async function createSqliteDatabase(options: SqliteOptions = {}): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), "sessionscope-sqlite-"));
  return migrated(`file:${join(dir, "test.db")}`, options, async () => rmSync(dir, { recursive: true, force: true }));
}

let counter = 0;

export async function createPostgresDatabase(serverUrl: string): Promise<TestDatabase> {
  const name = `test_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  return migrated(serverUrl.replace(/\/[^/]*$/, `/${name}`), {}, async () => {
    const cleanup = new pg.Client({ connectionString: serverUrl });
    await cleanup.connect();
    // pg's pool.end() resolves before its sockets have closed: wait (briefly) for the
    // server to see them go, so FORCE has nothing left to kill. A killed idle client
    // would report "terminating connection due to administrator command".
    for (let i = 0; i < 100; i++) {
      const { rows } = await cleanup.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1", [name]);
      if ((rows[0] as { n: number }).n === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await cleanup.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await cleanup.end();
  });
}
