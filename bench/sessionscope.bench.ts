/**
 * SessionScope's engines, driven through the Session class the way a request
 * drives them, one op at a time on a single connection, like the Django loop:
 *
 *   create           = new Session({ store, codec }), update(payload), save()
 *   load             = new Session({ key, store, codec }), load()
 *   load_modify_save = new Session({ key, … }), load(), set("counter", i), save()
 *   encode / decode  = the session codec (lib/session/codec.ts) on the 1 KB payload
 *
 * The stores are built from the framework's factories the way the app wires
 * them (lib/node opens the database; the engines take the raw driver).
 *
 * Run (`npm run bench` does this with real servers):
 *   node --import ./bench/ts-as-built.mjs bench/sessionscope.bench.ts --sqlite-dir /tmp/x --pg postgresql://... --redis redis://...
 */
import { join } from "node:path";
import { Redis } from "ioredis";
import {
  createCachedDbStore, createMemcachedCachedDbStore, createMemcachedStore, createPostgresStore, createRedisStore, createSessionCodec, createSqliteStore, dumpsPickle, loadsPickle, Session, type SessionStore,
} from "../lib/session/index.ts";
import { openDatabase, type Database } from "../lib/node/db/connection.ts";
import { createMemcachedClient, type NodeMemcachedClient } from "../lib/node/memcached.ts";
import { migrateDatabase } from "../lib/node/db/setup.ts";
import {
  DURABILITY, MEMCACHED_DURABILITY, PG_DURABILITY, REDIS_DURABILITY, check, createSession, emit, emitSkip, parseArgs, readPayload, sqliteBackend, timed, timedSync, timingFromEnv, type DurabilityMode,
} from "./common.ts";

const SECRET_KEY = "django-insecure-bench-key-0123456789abcdefghijklmnopqrstuvwxyz"; // the Django script's
const payload = readPayload();
const payloadMap = new Map(Object.entries(payload));
const codec = createSessionCodec({ secretKey: SECRET_KEY });
const timing = timingFromEnv();
const args = parseArgs();

function onInvalid(reason: string): void {
  throw new Error(`session dropped during the bench: ${reason}`);
}

/** One save and load through the store, so a miswired engine fails before it is timed. */
async function probe(store: SessionStore): Promise<void> {
  const s = new Session({ store, codec });
  await s.load();
  s.update(payloadMap);
  await s.save();
  check(s.key, "probe session has a key");
  const back = new Session({ key: s.key, store, codec, onInvalid });
  await back.load();
  check(back.get("_auth_user_id") === payload._auth_user_id, "probe session loads back");
  await store.delete(s.key);
}

async function benchStore(store: SessionStore, label: { engine: string; backend: string; durability: string }): Promise<void> {
  const line = { impl: "sessionscope", ...label };
  const keys: string[] = [];
  const KEEP = 5000;

  emit({ ...line, op: "create" }, await timed(async () => {
    const key = await createSession(store, codec, payloadMap);
    if (keys.length < KEEP) keys.push(key);
  }, timing));

  const first = new Session({ key: keys[0]!, store, codec, onInvalid });
  await first.load();
  check(
    first.get("_auth_user_id") === payload._auth_user_id && JSON.stringify(first.get("cart")) === JSON.stringify(payload.cart),
    `${label.backend}: a created session loads back`,
  );
  const count = keys.length;

  emit({ ...line, op: "load" }, await timed(async (i) => {
    const s = new Session({ key: keys[i % count]!, store, codec, onInvalid });
    await s.load();
  }, timing));

  emit({ ...line, op: "load_modify_save" }, await timed(async (i) => {
    const s = new Session({ key: keys[i % count]!, store, codec, onInvalid });
    await s.load();
    s.set("counter", i);
    await s.save();
  }, timing));

  const after = new Session({ key: keys[0]!, store, codec, onInvalid });
  await after.load();
  check(after.get("counter") !== undefined, `${label.backend}: load-modify-save persisted`);
}

function benchCodec(): void {
  const now = new Date();
  const encoded = codec.encode(payloadMap, now);
  const round = codec.decode(encoded, now);
  check(round.ok && JSON.stringify(Object.fromEntries(round.data)) === JSON.stringify(payload), "codec round trip");
  const line = { impl: "sessionscope", engine: "codec", backend: "none", durability: "n/a" };
  emit({ ...line, op: "encode" }, timedSync(() => codec.encode(payloadMap, now), timing));
  // Django's decode always checks the HMAC and inflates; so does this one, with the verified-value cache off.
  const cold = createSessionCodec({ secretKey: SECRET_KEY, verifiedCacheSize: 0 });
  emit({ ...line, op: "decode" }, timedSync(() => cold.decode(encoded, now), timing));
  emit({ ...line, op: "decode_repeat" }, timedSync(() => codec.decode(encoded, now), timing));
  // What the Redis engine (and cached_db's cache) does with an entry it reads: Django's pickle to the session's data, and the bytes kept as the version.
  const pickled = dumpsPickle(payloadMap);
  check(JSON.stringify(Object.fromEntries(loadsPickle(pickled))) === JSON.stringify(payload), "pickle round trip");
  emit({ ...line, op: "decode_pickle" }, timedSync(() => [loadsPickle(pickled), pickled.toString("latin1")], timing));
}

async function withSqlite(dir: string, mode: DurabilityMode): Promise<void> {
  // As the app's server opens it: in WAL mode the log is checkpointed on a thread, not by the commits.
  const db = openDatabase(`file:${join(dir, `sessionscope-${mode}.db`)}`, { durability: mode, backgroundCheckpoints: true });
  try {
    await migrateDatabase(db);
    if (db.provider !== "sqlite") throw new Error("expected SQLite");
    const store = createSqliteStore(db.sqlite);
    await probe(store);
    await benchStore(store, { engine: store.engine, backend: sqliteBackend(mode), durability: DURABILITY[mode].text });
  } finally {
    await db.close();
  }
}

async function withPostgres<T>(url: string, run: (db: Database & { provider: "postgresql" }) => Promise<T>): Promise<T> {
  const db = openDatabase(url);
  try {
    await migrateDatabase(db);
    if (db.provider !== "postgresql") throw new Error("expected PostgreSQL");
    return await run(db);
  } finally {
    await db.close();
  }
}

async function withRedis<T>(url: string, run: (client: Redis) => Promise<T>): Promise<T> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await client.connect();
  try {
    return await run(client);
  } finally {
    client.disconnect();
  }
}

async function withMemcached<T>(url: string, run: (client: NodeMemcachedClient) => Promise<T>): Promise<T> {
  const client = createMemcachedClient(url);
  try {
    return await run(client);
  } finally {
    client.close();
  }
}

/** Session data from a database row's encoded string, to fill the cache after a miss. */
function decodeForCache(encoded: string): ReadonlyMap<string, unknown> | null {
  const result = codec.decode(encoded, new Date());
  return result.ok ? result.data : null;
}

async function main(): Promise<void> {
  const only = new Set((args.get("only") ?? "codec,sqlite-full,sqlite-default,postgresql,redis,cached_db").split(","));
  const dir = args.get("sqlite-dir");
  const pgUrl = args.get("pg");
  const redisUrl = args.get("redis");
  const runs: Array<[string, string, () => Promise<void>]> = [];
  if (only.has("codec")) runs.push(["codec", "none", async () => benchCodec()]);
  if (dir && only.has("sqlite-full")) runs.push(["db", "sqlite-full", () => withSqlite(dir, "full")]);
  if (dir && only.has("sqlite-default")) runs.push(["db", "sqlite-default", () => withSqlite(dir, "normal")]);
  if (pgUrl && only.has("postgresql")) {
    runs.push(["db", "postgresql", () => withPostgres(pgUrl, async (db) => {
      const store = createPostgresStore(db.pool);
      await probe(store);
      await benchStore(store, { engine: store.engine, backend: "postgresql", durability: PG_DURABILITY });
    })]);
  }
  if (redisUrl && only.has("redis")) {
    runs.push(["cache", "redis", () => withRedis(redisUrl, async (client) => {
      const store = createRedisStore(client);
      await probe(store);
      await benchStore(store, { engine: store.engine, backend: "redis", durability: REDIS_DURABILITY });
    })]);
  }
  if (pgUrl && redisUrl && only.has("cached_db")) {
    runs.push(["cached_db", "cached_db", () => withPostgres(pgUrl, (db) => withRedis(redisUrl, async (client) => {
      // Django's cached_db: the database store (its meta rows say "cached_db") behind the Redis cache.
      const store = createCachedDbStore(createPostgresStore(db.pool, { metaEngine: "cached_db" }), client, { decode: decodeForCache });
      await probe(store);
      await benchStore(store, { engine: store.engine, backend: "cached_db", durability: "Redis cache + postgresql" });
    }))]);
  }
  const memcachedUrl = args.get("memcached");
  if (memcachedUrl && only.has("memcached")) {
    runs.push(["cache", "memcached", () => withMemcached(memcachedUrl, async (client) => {
      const store = createMemcachedStore(client);
      await probe(store);
      await benchStore(store, { engine: store.engine, backend: "memcached", durability: MEMCACHED_DURABILITY });
    })]);
  }
  if (pgUrl && memcachedUrl && only.has("cached_db-memcached")) {
    runs.push(["cached_db", "cached_db-memcached", () => withPostgres(pgUrl, (db) => withMemcached(memcachedUrl, async (client) => {
      const store = createMemcachedCachedDbStore(createPostgresStore(db.pool, { metaEngine: "cached_db" }), client, { decode: decodeForCache });
      await probe(store);
      await benchStore(store, { engine: store.engine, backend: "cached_db-memcached", durability: "Memcached cache + postgresql" });
    }))]);
  }
  let failed = false;
  for (const [engine, backend, run] of runs) {
    try {
      await run();
    } catch (error) {
      failed = true;
      console.error(`sessionscope bench: ${backend}: ${(error as Error).stack ?? error}`);
      emitSkip({ impl: "sessionscope", engine, backend, reason: (error as Error).message });
    }
  }
  process.exit(failed ? 1 : 0);
}

await main();
