/**
 * Builds the configured engine (SESSION_ENGINE) from its clients: the
 * database's raw driver for the db engine (prepared statements, no ORM on the
 * hot path), Redis or Memcached for cache and cached_db, a folder for files.
 */
import { mkdirSync, statSync } from "node:fs";
import { resolve } from "node:path";
import type { Redis } from "ioredis";
import {
  createCachedDbStore, createFileStore, createMemcachedCachedDbStore, createMemcachedStore, createPostgresStore, createRedisStore, createSessionCodec,
  createSignedCookieStore, createSqliteStore, type MemcachedClient, type SessionConfig, type SessionStore,
} from "../../session/index.ts";
import type { Database } from "../db/connection.ts";
import type { Env } from "../env.ts";
import { log, rateLimited } from "../log.ts";

/** The db/cached_db/file codec for the configured keys; legacy formats only when SESSION_ACCEPT_LEGACY is on. */
export function createSessionCodecFromConfig(config: SessionConfig) {
  return createSessionCodec({ secretKey: config.secretKey, fallbackKeys: config.secretKeyFallbacks, legacy: config.allowLegacyFormats });
}

export function createDatabaseStore(db: Database, metaEngine = "db") {
  return db.provider === "sqlite" ? createSqliteStore(db.sqlite, { metaEngine }) : createPostgresStore(db.pool, { metaEngine });
}

// One line a minute at most: a cache outage must not flood the logs.
const warnCacheFailure = rateLimited(log.warn, { limit: 1, windowMs: 60_000 });
const onCacheError = (cache: string) => (error: Error, operation: string): void => {
  if (operation === "outbox") {
    warnCacheFailure(`the cache outbox could not be read or written (${error.message}); ${cache} is not trusted until it can`);
  } else {
    warnCacheFailure(`${cache} failed during ${operation} (${error.message}); using the database alone until it is back`);
  }
};

const onCacheReplayed = (cache: string) => (count: number): void => {
  log.warn(`${cache} answers again: ${count} session invalidation${count === 1 ? "" : "s"} it missed (kills, stale entries) applied from the cache outbox`);
};

/**
 * The store for SESSION_ENGINE. `redis` is the client for env.REDIS_URL and
 * `memcached` the one for env.MEMCACHED_URL; parseEnv already requires the one
 * env.cacheBackend names for the cache and cached_db engines.
 */
export function createStoreFromEnv(env: Env, db: Database, redis: Redis | null, memcached: MemcachedClient | null = null): SessionStore {
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
      return createFileStore({ directory: preparePrivateFolder(env.SESSION_FILE_PATH), cookieName: config.cookieName, cookieAge: config.cookieAge });
    case "cache": {
      const keys = { keyPrefix: env.CACHE_KEY_PREFIX, version: env.CACHE_VERSION };
      if (env.cacheBackend === "memcached") return createMemcachedStore(required(memcached, "MEMCACHED_URL"), { ...keys, cookieAge: config.cookieAge });
      return createRedisStore(required(redis, "REDIS_URL"), keys);
    }
    case "cached_db": {
      const codec = createSessionCodecFromConfig(config);
      const options = {
        decode: (encoded: string) => {
          const decoded = codec.decode(encoded, new Date());
          return decoded.ok ? decoded.data : null;
        },
        keyPrefix: env.CACHE_KEY_PREFIX,
        version: env.CACHE_VERSION,
        verifySeconds: env.SESSION_CACHE_VERIFY_SECONDS,
      };
      const database = createDatabaseStore(db, "cached_db");
      if (env.cacheBackend === "memcached") {
        return createMemcachedCachedDbStore(database, required(memcached, "MEMCACHED_URL"), { ...options, onCacheError: onCacheError("Memcached"), onCacheReplayed: onCacheReplayed("Memcached") });
      }
      return createCachedDbStore(database, required(redis, "REDIS_URL"), { ...options, onCacheError: onCacheError("Redis"), onCacheReplayed: onCacheReplayed("Redis") });
    }
  }
}

/**
 * The file engine's folder, created 0700 if missing and refused unless only
 * this process's user can enter it. Why: session files are named after their
 * keys, so anyone who can list the folder can take over every session.
 */
export function preparePrivateFolder(path: string, uid: number | undefined = process.getuid?.()): string {
  const folder = resolve(path);
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST" || code === "ENOTDIR") throw new Error(`SessionScope: SESSION_FILE_PATH ${folder} is not a directory`);
    throw new Error(`SessionScope: SESSION_FILE_PATH ${folder} cannot be created (${code ?? String(error)})`, { cause: error });
  }
  const stat = statSync(folder);
  if (!stat.isDirectory()) throw new Error(`SessionScope: SESSION_FILE_PATH ${folder} is not a directory`);
  if (uid === undefined) return folder; // Windows: no POSIX owner or mode bits to check.
  const fix = `Use a folder of the app's own user (e.g. mkdir -m 700 ${folder}) or chmod 700 it.`;
  if (stat.uid !== uid) {
    throw new Error(`SessionScope: SESSION_FILE_PATH ${folder} belongs to another user (uid ${stat.uid}, this process runs as ${uid}): its owner can read every session key.\n${fix}`);
  }
  if ((stat.mode & 0o077) !== 0) {
    const mode = (stat.mode & 0o777).toString(8).padStart(3, "0");
    throw new Error(`SessionScope: SESSION_FILE_PATH ${folder} is open to other users (mode ${mode}): session file names are session keys, so they could take over every session.\n${fix}`);
  }
  return folder;
}

function required<T>(client: T | null, variable: string): T {
  // A caller's mistake, not a configuration one: the rule and its message live in parseEnv.
  if (!client) throw new TypeError(`createStoreFromEnv: pass the client for env.${variable}`);
  return client;
}
