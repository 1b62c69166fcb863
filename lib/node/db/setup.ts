/**
 * Brings a database up to date: applies pending migrations and, outside
 * production, seeds the demo data once. Used by `npm start`, the test
 * harness and the CLI.
 */
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { migrationExecutor, openDatabase, type Database } from "./connection.ts";
import { applyMigrations, migrationsDir, readMigrations, type MigrateResult } from "./migrate.ts";
import { seedDemoData, type SeedResult } from "./seed.ts";

export const PROJECT_ROOT = join(fileURLToPath(new URL(".", import.meta.url)), "..", "..", "..");

export async function migrateDatabase(db: Database, root = PROJECT_ROOT): Promise<MigrateResult> {
  return applyMigrations(migrationExecutor(db), readMigrations(migrationsDir(root, db.provider)));
}

export interface SetupResult {
  readonly migrate: MigrateResult;
  readonly seed: SeedResult | null;
}

export async function setupDatabase(url: string, options: { seed: boolean; production: boolean }): Promise<SetupResult> {
  const db = openDatabase(url);
  try {
    const migrate = await migrateDatabase(db);
    const seed = options.seed ? await seedDemoData(db.prisma, { production: options.production }) : null;
    return { migrate, seed };
  } finally {
    await db.close();
  }
}
