/**
 * Brings a database up to date: applies pending migrations and, outside
 * production, seeds the demo data once. Used by `npm start`, the test
 * harness and the CLI.
 */
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import type { Env } from "../env.ts";
import { createRedisClient } from "../redis.ts";
import { createStoreFromEnv } from "../session/engines.ts";
import { createLivePolicy } from "../session/policy.ts";
import { createSessionCodec } from "../../session/index.ts";
import { migrationExecutor, openDatabase, type Database } from "./connection.ts";
import { seedDemoSessions } from "./demo-sessions.ts";
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

/**
 * The demo sessions (demo-sessions.ts) through the configured engine: `npm start`
 * in demo mode runs it after setupDatabase; an engine that already holds
 * sessions is left alone. Returns how many it wrote.
 */
export async function setupDemoSessions(env: Env): Promise<number> {
  const db = openDatabase(env.DATABASE_URL);
  const redis = env.REDIS_URL ? createRedisClient(env.REDIS_URL) : null;
  try {
    const config = env.session;
    return await seedDemoSessions({
      prisma: db.prisma,
      store: createStoreFromEnv(env, db, redis),
      codec: createSessionCodec({ secretKey: config.secretKey, fallbackKeys: config.secretKeyFallbacks }),
      policy: await createLivePolicy(db.prisma, config).get(),
      secretKey: config.secretKey,
      production: env.production,
    });
  } finally {
    redis?.disconnect();
    await db.close();
  }
}
