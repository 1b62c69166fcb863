/**
 * Brings a database up to date: applies pending migrations and, outside
 * production, seeds the demo data once. Used by `npm start`, the test
 * harness and the CLI.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import type { Env } from "../env.ts";
import { createMemcachedClient } from "../memcached.ts";
import { createRedisClient } from "../redis.ts";
import { createStoreFromEnv } from "../session/engines.ts";
import { createLivePolicy } from "../session/policy.ts";
import { createSessionCodec } from "../../session/index.ts";
import { migrationExecutor, openDatabase, openDatabaseFromEnv, sqlitePathFromUrl, type Database } from "./connection.ts";
import { seedDemoSessions } from "./demo-sessions.ts";
import { ATTACH_MIGRATIONS_TABLE, AttachError, attachRefusal, deriveAttachChain, inspectDjangoTables } from "./attach.ts";
import { applyMigrations, migrationsDir, readMigrations, type MigrateResult } from "./migrate.ts";
import { seedCatalogue, seedDemoData, type SeedResult } from "./seed.ts";

/** The checkout: the nearest folder above this module with prisma/migrations (lib/node/db here; dist/cli/<build> in the bundled CLI). */
export const PROJECT_ROOT = projectRoot(fileURLToPath(new URL(".", import.meta.url)));

function projectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "prisma", "migrations"))) return dir;
    if (dirname(dir) === dir) return join(from, "..", "..", "..");
  }
}

export async function migrateDatabase(db: Database, root = PROJECT_ROOT): Promise<MigrateResult> {
  return applyMigrations(migrationExecutor(db), readMigrations(migrationsDir(root, db.provider)));
}

export interface AttachOptions {
  /** Also the shop's tables (SESSIONSCOPE_ATTACH_SHOP=1); never its demo accounts. */
  readonly shop: boolean;
}

/**
 * Attach mode: checks Django's tables (under the migration lock, before
 * anything is written) and refuses with what it found, then applies only
 * SessionScope's own statements, and the shop's when asked.
 */
export async function migrateAttachedDatabase(db: Database, options: AttachOptions, root = PROJECT_ROOT): Promise<MigrateResult> {
  const migrations = readMigrations(migrationsDir(root, db.provider));
  const chain = [...deriveAttachChain(migrations, "sessionscope"), ...(options.shop ? deriveAttachChain(migrations, "shop") : [])];
  return applyMigrations(migrationExecutor(db), chain, {
    table: ATTACH_MIGRATIONS_TABLE,
    async before(connection) {
      const report = await inspectDjangoTables(connection);
      if (report.problems.length > 0) throw attachRefusal(report);
    },
  });
}

export interface SetupResult {
  readonly migrate: MigrateResult;
  readonly seed: SeedResult | null;
}

export async function setupDatabase(url: string, options: { seed: boolean; production: boolean; attach?: AttachOptions | null }): Promise<SetupResult> {
  if (options.attach && url.startsWith("file:") && !existsSync(sqlitePathFromUrl(url))) {
    // Opening would create an empty file: a mistyped path would then be refused as a database without Django's tables.
    throw new AttachError(`SessionScope: SESSIONSCOPE_ATTACH=django, but there is no SQLite database at ${sqlitePathFromUrl(url)}: DATABASE_URL must name the Django site's database file (its DATABASES["default"]["NAME"]).`);
  }
  const db = openDatabase(url, options.attach ? { durability: "site" } : {});
  try {
    if (options.attach) {
      const migrate = await migrateAttachedDatabase(db, options.attach);
      // A Django site's auth_user gets no demo accounts: only the catalogue, and only with the shop.
      const seed = options.attach.shop ? await seedCatalogue(db.prisma) : null;
      return { migrate, seed: seed === null ? null : { products: seed, users: 0 } };
    }
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
  const db = openDatabaseFromEnv(env);
  const redis = env.REDIS_URL ? createRedisClient(env.REDIS_URL) : null;
  const memcached = env.cacheBackend === "memcached" && env.MEMCACHED_URL ? createMemcachedClient(env.MEMCACHED_URL) : null;
  try {
    const config = env.session;
    return await seedDemoSessions({
      prisma: db.prisma,
      store: createStoreFromEnv(env, db, redis, memcached),
      codec: createSessionCodec({ secretKey: config.secretKey, fallbackKeys: config.secretKeyFallbacks }),
      policy: await createLivePolicy(db.prisma, config).get(),
      secretKey: config.secretKey,
      production: env.production,
    });
  } finally {
    redis?.disconnect();
    memcached?.close();
    await db.close();
  }
}
