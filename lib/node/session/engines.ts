/**
 * Builds the configured engine (SESSION_ENGINE) from its clients: the
 * database's raw driver for the db engine (prepared statements, no ORM on the
 * hot path), Redis for cache and cached_db, a folder for files.
 */
import { tmpdir } from "node:os";
import type { Redis } from "ioredis";
import { createCachedDbStore, createFileStore, createPostgresStore, createRedisStore, createSessionCodec, createSignedCookieStore, createSqliteStore, type SessionStore } from "../../session/index.ts";
import type { Database } from "../db/connection.ts";
import type { Env } from "../env.ts";
import { log, rateLimited } from "../log.ts";

export function createDatabaseStore(db: Database, metaEngine = "db") {
  return db.provider === "sqlite" ? createSqliteStore(db.sqlite, { metaEngine }) : createPostgresStore(db.pool, { metaEngine });
}

// One line a minute at most: a Redis outage must not flood the logs.
const warnCacheFailure = rateLimited(log.warn, { limit: 1, windowMs: 60_000 });
function onCacheError(error: Error, operation: string): void {
  warnCacheFailure(`Redis failed during ${operation} (${error.message}); using the database alone until it is back`);
}

/**
 * The store for SESSION_ENGINE. `redis` is the client for env.REDIS_URL, which
 * parseEnv already requires for the cache and cached_db engines.
 */
export function createStoreFromEnv(env: Env, db: Database, redis: Redis | null): SessionStore {
  const config = env.session;
  switch (env.SESSION_ENGINE) {
    case "db":
      return createDatabaseStore(db);
    case "signed_cookies":
      return createSignedCookieStore({
        secretKey: config.secretKey,
        fallbackKeys: config.secretKeyFallbacks,
        maxAge: config.cookieAge,
        cookieName: config.cookieName,
      });
    case "file":
      return createFileStore({ directory: env.SESSION_FILE_PATH ?? tmpdir(), cookieName: config.cookieName, cookieAge: config.cookieAge });
    case "cache":
      return createRedisStore(client(redis));
    case "cached_db": {
      const codec = createSessionCodec({ secretKey: config.secretKey, fallbackKeys: config.secretKeyFallbacks });
      return createCachedDbStore(createDatabaseStore(db, "cached_db"), client(redis), {
        decode: (encoded) => {
          const decoded = codec.decode(encoded, new Date());
          return decoded.ok ? decoded.data : null;
        },
        onCacheError,
      });
    }
  }
}

function client(redis: Redis | null): Redis {
  // A caller's mistake, not a configuration one: the rule and its message live in parseEnv.
  if (!redis) throw new TypeError("createStoreFromEnv: pass the Redis client for env.REDIS_URL");
  return redis;
}
