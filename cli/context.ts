/** Opens what a data command needs: configuration, database, Redis and the configured engine. */
import type { Redis } from "ioredis";
import type { Database } from "../lib/node/db/connection.ts";
import type { Env } from "../lib/node/env.ts";
import type { SessionConfig, SessionStore } from "../lib/session/index.ts";
import { oneLine, type CliEnv } from "./io.ts";

export interface DataContext {
  readonly env: Env;
  readonly config: SessionConfig;
  readonly db: Database;
  readonly redis: Redis | null;
  readonly store: SessionStore;
  close(): Promise<void>;
}

export async function openDataContext(source: CliEnv): Promise<DataContext> {
  // Loaded here, not above: a command's --help needs none of Prisma, the drivers or Redis.
  const [{ openDatabaseFromEnv }, { parseEnv }, { createMemcachedClient }, { createRedisClient, redactUrl }, { createStoreFromEnv }] = await Promise.all([
    import("../lib/node/db/connection.ts"),
    import("../lib/node/env.ts"),
    import("../lib/node/memcached.ts"),
    import("../lib/node/redis.ts"),
    import("../lib/node/session/engines.ts"),
  ]);
  const env = parseEnv(source);
  const db = openDatabaseFromEnv(env);
  const redis = env.REDIS_URL ? createRedisClient(env.REDIS_URL) : null;
  const memcached = env.cacheBackend === "memcached" && env.MEMCACHED_URL ? createMemcachedClient(env.MEMCACHED_URL) : null;
  try {
    await checkSchema(db, env);
    if (redis) await redis.ping().catch((error: Error) => {
      throw new Error(`SessionScope: cannot reach Redis at ${redactUrl(env.REDIS_URL!)} (${error.message})`);
    });
  } catch (error) {
    redis?.disconnect();
    memcached?.close();
    await db.close();
    throw error;
  }
  return {
    env,
    config: env.session,
    db,
    redis,
    store: createStoreFromEnv(env, db, redis, memcached),
    async close() {
      redis?.disconnect();
      memcached?.close();
      await db.close();
    },
  };
}

async function checkSchema(db: Database, env: Env): Promise<void> {
  const where = `the database at ${env.databaseProvider === "sqlite" ? env.DATABASE_URL : "DATABASE_URL"}`;
  const has = async (table: string): Promise<boolean> => {
    if (db.provider === "sqlite") return Boolean(db.sqlite.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(table));
    const { rows } = await db.pool.query(`SELECT to_regclass($1) AS t`, [table]);
    return Boolean(rows[0]?.t);
  };
  if (!(await has("django_session"))) {
    throw new Error(`SessionScope: ${where} has no django_session table; run \`npm start\` once (it migrates) or apply prisma/migrations`);
  }
  if (!(await has("sessionscope_session_meta"))) {
    // A Django site's database before SessionScope first started on it (attach mode adds its own tables at start-up).
    throw new Error(
      `SessionScope: ${where} has Django's tables but not SessionScope's own yet; run \`npm start\` once (${env.SESSIONSCOPE_ATTACH ? "in attach mode it adds only its prefixed tables" : "it migrates"}), then try again`,
    );
  }
}

/**
 * Runs a data command: opens the context, runs `task`, closes it. Any failure
 * is one line on stderr, prefixed with the command's name, and exit status 1.
 */
export async function runWithDataContext(
  command: string,
  env: CliEnv,
  io: { stderr(line: string): void },
  task: (context: DataContext) => Promise<void>,
): Promise<number> {
  let context: DataContext;
  try {
    context = await openDataContext(env);
  } catch (error) {
    io.stderr(oneLine(`${command}: ${(error as Error).message}`));
    return 1;
  }
  try {
    await task(context);
    return 0;
  } catch (error) {
    io.stderr(oneLine(`${command}: ${(error as Error).message}`));
    return 1;
  } finally {
    await context.close();
  }
}
