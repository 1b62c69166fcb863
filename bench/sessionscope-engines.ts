/**
 * Builds SessionScope's stores for the bench, the way the app wires them
 * (lib/server/db/connection.ts opens the database; the engines take the raw
 * driver). The engines are imported lazily, so a missing one turns into a
 * "skipped" line in the report instead of a crash.
 *
 * If an engine's factory signature changes, this is the one file to adjust.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { SessionStore } from "../lib/session/index.ts";

const ENGINES_DIR = new URL("../lib/session/engines/", import.meta.url);

type Factory = (...args: unknown[]) => unknown;

export class EngineNotReady extends Error {}

/** The module's `create…Store` export (the first, or the one named `preferred`). */
async function factory(file: string, preferred: string): Promise<Factory> {
  const url = new URL(file, ENGINES_DIR);
  if (!existsSync(fileURLToPath(url))) throw new EngineNotReady(`lib/session/engines/${file} does not exist yet`);
  const mod = (await import(url.href)) as Record<string, unknown>;
  if (typeof mod[preferred] === "function") return mod[preferred] as Factory;
  const name = Object.keys(mod).find((k) => /^create\w*Store$/.test(k) && typeof mod[k] === "function");
  if (!name) throw new EngineNotReady(`lib/session/engines/${file} exports no create…Store function (expected ${preferred})`);
  return mod[name] as Factory;
}

function isStore(value: unknown): value is SessionStore {
  const s = value as Partial<SessionStore> | null;
  return !!s && typeof s.load === "function" && typeof s.save === "function" && typeof s.delete === "function";
}

export async function sqliteStore(db: unknown): Promise<SessionStore> {
  const create = await factory("sqlite.ts", "createSqliteStore");
  const store = create(db);
  if (!isStore(store)) throw new EngineNotReady("createSqliteStore(db) did not return a SessionStore");
  return store;
}

export async function postgresStore(pool: unknown, options: Record<string, unknown> = {}): Promise<SessionStore> {
  const create = await factory("postgres.ts", "createPostgresStore");
  const store = create(pool, options);
  if (!isStore(store)) throw new EngineNotReady("createPostgresStore(pool) did not return a SessionStore");
  return store;
}

export async function redisStore(client: unknown): Promise<SessionStore> {
  const create = await factory("redis.ts", "createRedisStore");
  const store = create(client);
  if (!isStore(store)) throw new EngineNotReady("createRedisStore(client) did not return a SessionStore");
  return store;
}

/**
 * cached_db: `createCachedDbStore(dbStore, redisClient, { decode })`, the
 * database store built with metaEngine "cached_db", the same Redis client the
 * cache engine takes, and the session codec to fill the cache after a miss.
 * The store must pass `probe` (a real save + load) before it is timed.
 */
export async function cachedDbStore(
  deps: { redis: unknown; pool: unknown; decode: (encoded: string) => ReadonlyMap<string, unknown> | null },
  probe: (store: SessionStore) => Promise<void>,
): Promise<SessionStore> {
  const create = await factory("cached-db.ts", "createCachedDbStore");
  const db = await postgresStore(deps.pool, { metaEngine: "cached_db" });
  const store = create(db, deps.redis, { decode: deps.decode });
  if (!isStore(store)) throw new EngineNotReady("createCachedDbStore(db, redis, { decode }) did not return a SessionStore");
  await probe(store);
  return store;
}
