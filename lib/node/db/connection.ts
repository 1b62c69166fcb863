/**
 * Opens SessionScope's database from DATABASE_URL: SQLite through
 * better-sqlite3 (the embedded default) or PostgreSQL through pg.
 *
 * Two doors into the same database: Prisma (schema-typed queries for the
 * shop and the dashboard) and the raw driver (prepared statements on the
 * session hot path, where the ORM would cost 20x more per request).
 */
import { chmodSync, existsSync, mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqlitePrismaClient } from "./generated/sqlite/client.ts";
import { PrismaClient as PostgresPrismaClient } from "./generated/postgresql/client.ts";
import type { MigrationConnection, MigrationExecutor } from "./migrate.ts";
import { type SqliteCheckpointer, startSqliteCheckpointer } from "./sqlite-checkpointer.ts";

/** Both generated clients share one model API; the SQLite one names the type. */
export type AppPrismaClient = InstanceType<typeof SqlitePrismaClient>;

export type Database =
  | {
      readonly provider: "sqlite";
      readonly prisma: AppPrismaClient;
      readonly sqlite: BetterSqlite3.Database;
      readonly path: string;
      /** The thread that checkpoints the write-ahead log, when `backgroundCheckpoints` asked for one and the file is in WAL mode. */
      readonly checkpointer: SqliteCheckpointer | null;
      close(): Promise<void>;
    }
  | { readonly provider: "postgresql"; readonly prisma: AppPrismaClient; readonly pool: pg.Pool; close(): Promise<void> };

export interface SqliteOptions {
  /**
   * "normal" (default): WAL with synchronous=NORMAL; "full": rollback journal with synchronous=FULL, as Django's defaults;
   * "site": leaves the file's journal mode as its owner set it (an attached Django site's database).
   */
  readonly durability?: "normal" | "full" | "site";
}

export function sqlitePathFromUrl(url: string, cwd = process.cwd()): string {
  const path = url.replace(/^file:/, "").replace(/\?.*$/, "");
  if (path === ":memory:") return path;
  return resolve(cwd, path);
}

export function openSqlite(path: string, options: SqliteOptions = {}): BetterSqlite3.Database {
  const fresh = path !== ":memory:" && !existsSync(path);
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const db = new BetterSqlite3(path);
  // Why: django_session holds every live session key; other local users must not read the file
  // (SQLite gives its -wal and -shm files the same permissions as the database).
  if (fresh) chmodSync(path, 0o600);
  db.pragma("busy_timeout = 5000");
  db.pragma("foreign_keys = ON");
  if (options.durability === "site") {
    // Why: journal_mode=WAL persists in the file; switching a Django site's database is not ours to do.
  } else if (options.durability === "full") {
    db.pragma("journal_mode = DELETE");
    db.pragma("synchronous = FULL");
  } else {
    // WAL + NORMAL: readers never block the writer, commits survive a crash of
    // the app; only an OS crash or power loss may drop the last transactions.
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
  }
  return db;
}

export interface DatabaseOptions extends SqliteOptions {
  /**
   * PostgreSQL: the longest a caller waits for one query (DATABASE_TIMEOUT_MS), and for a pooled
   * connection when shorter than 5 s. Unset: queries are not bounded (the command line's batches
   * and migrations may run long). SQLite waits for its write lock up to busy_timeout (5 s).
   */
  readonly timeoutMs?: number;
  /**
   * SQLite in WAL mode: copy the write-ahead log back into the file on a worker thread rather than
   * in the commit that crosses 1,000 pages (lib/node/db/sqlite-checkpointer.ts). The app's server
   * turns it on; short-lived commands and tests need not.
   */
  readonly backgroundCheckpoints?: boolean;
}

/**
 * The database of the configuration: an attached Django site's SQLite file keeps its own journal
 * mode. `timeoutMs` bounds each query (the app's requests pass DATABASE_TIMEOUT_MS).
 */
export function openDatabaseFromEnv(
  env: { readonly DATABASE_URL: string; readonly SESSIONSCOPE_ATTACH?: string | undefined },
  options: Pick<DatabaseOptions, "timeoutMs" | "backgroundCheckpoints"> = {},
): Database {
  return openDatabase(env.DATABASE_URL, { ...options, ...(env.SESSIONSCOPE_ATTACH && { durability: "site" }) });
}

/** How long a caller waits for a pooled connection at most (a pool whose ten connections are all busy). */
const CONNECTION_WAIT_MS = 5_000;

/**
 * The pool's settings. Every connection runs without parallel query workers
 * (`max_parallel_workers_per_gather = 0`): SessionScope's statements are point
 * reads and writes and LIMIT-bounded pages, for which PostgreSQL's planner
 * sometimes starts workers (a misjudged row estimate on a join) whose start-up
 * costs more than the whole query (the dashboard's expired list at a million
 * sessions: 10 to 12 ms with two workers, 1.3 to 1.7 ms without). The two
 * reads over every live session (lib/server/admin/heavy-read.ts) set the
 * server's own value back for their transaction.
 *
 * With `timeoutMs`, a query the server has not answered in time fails on
 * the client ("Query read timeout": a slow network or a stalled server alike; the pool then drops
 * that connection), and the server itself cancels a statement that runs that long
 * (statement_timeout, 57014), so it stops work nobody waits for and keeps the connection.
 * Both errors answer 503 (lib/node/unavailable.ts).
 */
export function pgPoolConfig(url: string, timeoutMs?: number): pg.PoolConfig {
  const base = { connectionString: url, max: 10, idleTimeoutMillis: 10_000, connectionTimeoutMillis: CONNECTION_WAIT_MS };
  // Why SET rather than startup parameters: PgBouncer refuses startup parameters it does not know.
  // The pool runs this before it hands a new connection out.
  const settings = ["SET max_parallel_workers_per_gather = 0", ...(timeoutMs === undefined ? [] : [`SET statement_timeout = ${Math.floor(timeoutMs)}`])];
  const onConnect = (client: pg.ClientBase) => client.query(settings.join("; "));
  if (timeoutMs === undefined) return { ...base, onConnect };
  return {
    ...base,
    connectionTimeoutMillis: Math.min(CONNECTION_WAIT_MS, timeoutMs),
    // The client's bound a little after the server's: a statement the server cancels comes back
    // as its own error, on a connection that stays usable.
    query_timeout: timeoutMs + Math.min(1000, Math.ceil(timeoutMs / 4)),
    onConnect,
  };
}

export function openDatabase(url: string, options: DatabaseOptions = {}): Database {
  if (url.startsWith("file:")) {
    const path = sqlitePathFromUrl(url);
    const sqlite = openSqlite(path, options);
    const prisma = new SqlitePrismaClient({ adapter: new PrismaBetterSqlite3({ url: path, timeout: 5000 }) });
    const checkpointer = options.backgroundCheckpoints ? startSqliteCheckpointer(sqlite, path) : null;
    return {
      provider: "sqlite",
      prisma,
      sqlite,
      path,
      checkpointer,
      async close() {
        await checkpointer?.close();
        await prisma.$disconnect();
        sqlite.close();
      },
    };
  }
  const pool = new pg.Pool(pgPoolConfig(url, options.timeoutMs));
  pool.on("error", (error) => console.error(`SessionScope: idle PostgreSQL connection failed: ${error.message}`));
  const prisma = new PostgresPrismaClient({ adapter: new PrismaPg(pool) }) as unknown as AppPrismaClient;
  return {
    provider: "postgresql",
    prisma,
    pool,
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

// PostgreSQL advisory lock id that Prisma's own migrate also takes.
const PRISMA_MIGRATE_LOCK = 72707369;

export function migrationExecutor(db: Database): MigrationExecutor {
  if (db.provider === "sqlite") {
    const { sqlite } = db;
    const connection: MigrationConnection = {
      provider: "sqlite",
      async exec(sql) {
        sqlite.exec(sql);
      },
      async query<T>(sql: string, params: readonly unknown[] = []) {
        const statement = sqlite.prepare(sql);
        if (statement.reader) return statement.all(...params) as T[];
        statement.run(...params);
        return [];
      },
    };
    // SQLite has one writer at a time and each migration runs in its own
    // transaction; a second process simply finds the work done.
    return { withLock: (fn) => fn(connection) };
  }
  const { pool } = db;
  return {
    async withLock(fn) {
      const client = await pool.connect();
      try {
        await client.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATE_LOCK]);
        return await fn({
          provider: "postgresql",
          async exec(sql) {
            await client.query(sql);
          },
          async query<T>(sql: string, params: readonly unknown[] = []) {
            return (await client.query(sql, [...params])).rows as T[];
          },
        });
      } finally {
        await client.query("SELECT pg_advisory_unlock($1)", [PRISMA_MIGRATE_LOCK]).catch(() => {});
        client.release();
      }
    },
  };
}
