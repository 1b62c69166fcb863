/**
 * Applies the committed Prisma migration folders, with no native engine.
 *
 * Keeps Prisma's own `_prisma_migrations` table (same columns, sha256
 * checksums of migration.sql), so `prisma migrate deploy` agrees with what
 * ran here wherever Prisma's native engine is available.
 */
import { createHash, randomUUID } from "node:crypto";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";

export interface MigrationConnection {
  readonly provider: "sqlite" | "postgresql";
  /** Runs a script of one or more statements. */
  exec(sql: string): Promise<void>;
  query<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

export interface MigrationExecutor {
  /** Runs `fn` on one connection, holding a lock that keeps other processes from migrating meanwhile. */
  withLock<T>(fn: (db: MigrationConnection) => Promise<T>): Promise<T>;
}

export interface Migration {
  readonly name: string;
  readonly sql: string;
  readonly checksum: string;
}

export interface MigrateResult {
  readonly applied: readonly string[];
  readonly alreadyApplied: number;
}

/** Prisma's bookkeeping table; an attached Django database gets SessionScope's own prefixed one (attach.ts). */
export const PRISMA_MIGRATIONS_TABLE = "_prisma_migrations";

const CREATE_TABLE = {
  sqlite: (table: string) => `CREATE TABLE IF NOT EXISTS "${table}" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`,
  postgresql: (table: string) => `CREATE TABLE IF NOT EXISTS "${table}" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`,
} as const;

export function migrationsDir(root: string, provider: "sqlite" | "postgresql"): string {
  return join(root, "prisma", "migrations", provider);
}

export function readMigrations(dir: string): Migration[] {
  if (!existsSync(dir)) throw new Error(`SessionScope: no migrations folder at ${dir}`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: unknown;
  rolled_back_at: unknown;
}

export async function applyMigrations(
  executor: MigrationExecutor,
  migrations: readonly Migration[],
  options: { table?: string; before?: (db: MigrationConnection) => Promise<void> } = {},
): Promise<MigrateResult> {
  const table = options.table ?? PRISMA_MIGRATIONS_TABLE;
  return executor.withLock(async (db) => {
    await options.before?.(db);
    await db.exec(CREATE_TABLE[db.provider](table));
    const rows = await db.query<AppliedRow>(`SELECT migration_name, checksum, finished_at, rolled_back_at FROM "${table}"`);
    const done = new Map<string, AppliedRow>();
    for (const row of rows) {
      if (row.rolled_back_at != null) continue;
      if (row.finished_at == null) {
        throw new Error(
          `SessionScope: migration ${row.migration_name} started earlier but never finished. ` +
            `Inspect the database, fix it, then delete that row from "${table}".`,
        );
      }
      done.set(row.migration_name, row);
    }

    const applied: string[] = [];
    for (const migration of migrations) {
      const previous = done.get(migration.name);
      if (previous) {
        if (previous.checksum !== migration.checksum) {
          console.warn(`SessionScope: migration ${migration.name} was edited after it was applied (checksum differs).`);
        }
        continue;
      }
      await applyOne(db, migration, table);
      applied.push(migration.name);
    }
    return { applied, alreadyApplied: migrations.length - applied.length };
  });
}

async function applyOne(db: MigrationConnection, migration: Migration, table: string): Promise<void> {
  const id = randomUUID();
  const now = db.provider === "sqlite" ? new Date().toISOString() : new Date();
  await db.exec("BEGIN");
  try {
    await db.exec(migration.sql);
    const placeholders = db.provider === "sqlite" ? "?, ?, ?, ?, ?" : "$1, $2, $3, $4, $5";
    await db.query(
      `INSERT INTO "${table}" ("id", "checksum", "migration_name", "started_at", "finished_at", "applied_steps_count")
       VALUES (${placeholders}, 1)`,
      [id, migration.checksum, migration.name, now, now],
    );
    await db.exec("COMMIT");
  } catch (error) {
    await db.exec("ROLLBACK");
    throw new Error(`SessionScope: migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
  }
}
