// Fresh, migrated databases for integration tests: a SQLite file in a temp
// folder, or a new database on the run's PostgreSQL server (copied from a
// migrated template when the run has one).
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

/** Opens the database at `url`, migrating it unless it already is; disposing closes it, then runs `remove`. */
async function opened(url: string, options: SqliteOptions & { migrate: boolean }, remove: () => Promise<void>): Promise<TestDatabase> {
  const db = openDatabase(url, options);
  if (options.migrate) await migrateDatabase(db);
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
  return opened(`file:${join(dir, "test.db")}`, { ...options, migrate: true }, async () => rmSync(dir, { recursive: true, force: true }));
}

const databaseUrl = (serverUrl: string, name: string) => serverUrl.replace(/\/[^/]*$/, `/${name}`);

/** Runs statements on the server's maintenance database (CREATE and DROP DATABASE). */
async function onServer(serverUrl: string, run: (client: pg.Client) => Promise<void>): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await run(client);
  } finally {
    await client.end();
  }
}

/**
 * pg's pool.end() resolves before its sockets have closed: waits (briefly) for
 * the server to see them go, so that a DROP ... WITH (FORCE) has nothing left to
 * kill (a killed idle client reports "terminating connection due to
 * administrator command") and a template can be copied.
 */
async function untilDisconnected(client: pg.Client, name: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const { rows } = await client.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1", [name]);
    if ((rows[0] as { n: number }).n === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const dropDatabase = (serverUrl: string, name: string) =>
  onServer(serverUrl, async (client) => {
    await untilDisconnected(client, name);
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });

/** A migrated database that test databases are copied from: a copy takes a tenth of a migration. */
export async function createPostgresTemplate(serverUrl: string): Promise<{ name: string; drop(): Promise<void> }> {
  const name = `test_template_${process.pid}_${Date.now().toString(36)}`;
  await onServer(serverUrl, (client) => client.query(`CREATE DATABASE "${name}"`).then(() => {}));
  const db = openDatabase(databaseUrl(serverUrl, name));
  try {
    await migrateDatabase(db);
  } finally {
    await db.close();
  }
  // CREATE DATABASE ... TEMPLATE refuses a template anyone is still connected to.
  await onServer(serverUrl, (client) => untilDisconnected(client, name));
  return { name, drop: () => dropDatabase(serverUrl, name) };
}

let counter = 0;

/** A new database on the server: a copy of `template` (see createPostgresTemplate) when given, else migrated from scratch. */
export async function createPostgresDatabase(serverUrl: string, options: { template?: string | null } = {}): Promise<TestDatabase> {
  const name = `test_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const from = options.template ? ` TEMPLATE "${options.template}"` : "";
  await onServer(serverUrl, (client) => client.query(`CREATE DATABASE "${name}"${from}`).then(() => {}));
  return opened(databaseUrl(serverUrl, name), { migrate: !options.template }, () => dropDatabase(serverUrl, name));
}
