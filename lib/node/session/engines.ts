/**
 * Builds the configured engine (SESSION_ENGINE) from its clients: the
 * database's raw driver for the db engine (prepared statements, no ORM on the
 * hot path), Redis for cache and cached_db, a folder for files.
 */
import { tmpdir } from "node:os";
import type { Redis } from "ioredis";
import { createCachedDbStore, createFileStore, createPostgresStore, createRedisStore, createSessionCodec, createSignedCookieStore, createSqliteStore, type SessionConfig, type SessionStore } from "../../session/index.ts";
import type { Database } from "../db/connection.ts";
import type { Env } from "../env.ts";

/** The db/cached_db/file codec for the configured keys; legacy formats only when SESSION_ACCEPT_LEGACY is on. */
export function createSessionCodecFromConfig(config: SessionConfig) {
  return createSessionCodec({ secretKey: config.secretKey, fallbackKeys: config.secretKeyFallbacks, legacy: config.allowLegacyFormats });
}

export function createDatabaseStore(db: Database, metaEngine = "db") {
  return db.provider === "sqlite" ? createSqliteStore(db.sqlite, { metaEngine }) : createPostgresStore(db.pool, { metaEngine });
}

let warnedAt = 0;
function onCacheError(error: Error, operation: string): void {
  // One line a minute at most: a Redis outage must not flood the logs.
  if (Date.now() - warnedAt < 60_000) return;
  warnedAt = Date.now();
  console.warn(`SessionScope: Redis failed during ${operation} (${error.message}); using the database alone until it is back`);
}

export function createStoreFromEnv(env: Env, config: SessionConfig, db: Database, redis: Redis | null): SessionStore {
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
      return createRedisStore(requireRedis(redis, env));
    case "cached_db": {
      const codec = createSessionCodecFromConfig(config);
      return createCachedDbStore(createDatabaseStore(db, "cached_db"), requireRedis(redis, env), {
        decode: (encoded) => {
          const decoded = codec.decode(encoded, new Date());
          return decoded.ok ? decoded.data : null;
        },
        onCacheError,
      });
    }
  }
}

function requireRedis(redis: Redis | null, env: Env): Redis {
  if (!redis) throw new Error(`SessionScope: SESSION_ENGINE=${env.SESSION_ENGINE} needs REDIS_URL`);
  return redis;
}
