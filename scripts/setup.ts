// `npm start` runs this before the server: migrate, then seed the demo data once.
import { ConfigError, getEnv, type Env } from "../lib/node/env.ts";
import { backfillSessionMeta, countMissingMeta } from "../lib/node/admin/backfill.ts";
import { cacheIndexerFromEnv } from "../lib/node/admin/cache-backfill.ts";
import { createRedisClient } from "../lib/node/redis.ts";
import { AttachError } from "../lib/node/db/attach.ts";
import { openDatabaseFromEnv } from "../lib/node/db/connection.ts";
import { createSessionCodecFromConfig } from "../lib/node/session/engines.ts";
import { setupDatabase, setupDemoSessions, type SetupResult } from "../lib/node/db/setup.ts";

let env: Env;
try {
  env = getEnv();
} catch (error) {
  // A configuration refusal is a message for the operator, not a crash: no stack trace.
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
const attach = env.SESSIONSCOPE_ATTACH ? { shop: env.SESSIONSCOPE_ATTACH_SHOP } : null;
let result: SetupResult;
try {
  result = await setupDatabase(env.DATABASE_URL, { seed: !env.production && !attach, production: env.production, attach });
} catch (error) {
  // Django's tables are missing or shaped differently: the refusal says what was found and what to do.
  if (!(error instanceof AttachError)) throw error;
  console.error(error.message);
  process.exit(1);
}
const where = env.databaseProvider === "sqlite" ? env.DATABASE_URL : "PostgreSQL";
const applied = result.migrate.applied.length;
console.log(`SessionScope: database ${where} ready (${applied} migration${applied === 1 ? "" : "s"} applied, ${result.migrate.alreadyApplied} already there)`);
if (result.seed && (result.seed.products || result.seed.users)) {
  console.log(`SessionScope: seeded ${result.seed.products} products and ${result.seed.users} demo accounts`);
}
// Attach mode: the sessions Django wrote get their metadata before the dashboard shows them.
if (attach && (env.SESSION_ENGINE === "db" || env.SESSION_ENGINE === "cached_db")) {
  const engine = env.SESSION_ENGINE;
  const db = openDatabaseFromEnv(env);
  try {
    const total = await countMissingMeta(db);
    if (total > 0) console.log(`SessionScope: filling in metadata for ${total.toLocaleString("en-US")} sessions Django wrote ...`);
    let shown = 0;
    const result = await backfillSessionMeta(db, {
      codec: createSessionCodecFromConfig(env.session),
      cookieAge: env.session.cookieAge,
      engine,
      onProgress: (written) => {
        if (written - shown < 50_000) return;
        shown = written;
        console.log(`SessionScope:   ${written.toLocaleString("en-US")} of ${total.toLocaleString("en-US")}`);
      },
    });
    if (result.written || result.removed) {
      console.log(`SessionScope: metadata filled in for ${result.written} Django sessions (${result.undecodable} undecodable), ${result.removed} orphaned rows removed`);
    }
  } finally {
    await db.close();
  }
}
// The cache engine, attached or not: entries a Django site wrote into the shared Redis join the index.
if (env.SESSION_ENGINE === "cache" && env.REDIS_URL) await indexDjangoCacheEntries(env, env.REDIS_URL);
// `npm start` in demo mode asks for sessions to look at in the dashboard (not the e2e server: its specs count sessions).
if (process.argv.includes("--demo-sessions") && !env.production && !attach) {
  const sessions = await setupDemoSessions(env);
  if (sessions) console.log(`SessionScope: seeded ${sessions} demo sessions (${env.SESSION_ENGINE} engine)`);
}

/** A full pass over the cache's session entries, with a line every 100,000 scanned; a Redis failure is reported, not fatal (the server retries every minute). */
async function indexDjangoCacheEntries(env: Env, url: string): Promise<void> {
  const redis = createRedisClient(url);
  try {
    let shown = 0;
    const result = await cacheIndexerFromEnv(env, redis, {
      onProgress: ({ scanned, indexed }) => {
        if (scanned - shown < 100_000) return;
        shown = scanned;
        console.log(`SessionScope:   ${scanned.toLocaleString("en-US")} cache entries scanned, ${indexed.toLocaleString("en-US")} indexed`);
      },
    }).run();
    if (result.indexed || result.removed) {
      console.log(
        `SessionScope: indexed ${result.indexed} cache sessions a Django site wrote (${result.undecodable} undecodable), ` +
          `${result.removed} index entries of deleted sessions removed`,
      );
    }
  } catch (error) {
    console.warn(`SessionScope: could not index the cache's sessions at start-up (${(error as Error).message}); the server tries again every minute`);
  } finally {
    redis.disconnect();
  }
}
