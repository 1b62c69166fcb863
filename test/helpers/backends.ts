/**
 * Every backend the integration tests run on, built in one place: the two
 * databases, and each session engine on its real service (db on SQLite and
 * on PostgreSQL, cache on Redis and on Memcached, cached_db on either
 * database with Redis or Memcached, file, memory, signed cookies). Each engine declares what it offers
 * (capabilities) and where engines legitimately differ (traits); the store
 * contract runs every declared assertion, and asserts the absence of what is
 * not declared. Every engine gets the test's clock.
 */
import { mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { openSqlite } from "../../lib/node/db/connection.ts";
import {
  type ActivityStore, type Clock, createCachedDbStore, createFileStore, createMemcachedCachedDbStore, createMemcachedStore, createMemoryStore, createPostgresStore, createRedisStore,
  createSessionCodec, createSignedCookieStore, createSqliteStore, type DatabaseStore, dumpsPickle, formatSqliteDate, type SessionStore,
} from "../../lib/session/index.ts";
import { createPostgresDatabase, createSqliteDatabase, type TestDatabase } from "./databases.ts";
import { memcachedTtlMs, openMemcached, writeDjangoMemcachedEntry } from "./memcached.ts";
import { postgresTemplate, requireServiceUrl, type Service } from "./services.ts";

/** The contract's session age (test/contract/store-contract.ts AGE_SECONDS). */
const AGE_SECONDS = 3600;

export const TEST_SECRET = "sessionscope-integration-tests-secret-key-0123456789-abcdefghij";
/** Every test session is a real Django session string, signed with TEST_SECRET. */
export const TEST_CODEC = createSessionCodec({ secretKey: TEST_SECRET });
/** SESSION_COOKIE_AGE of the file and signed-cookie engines (Django's default, two weeks). */
export const COOKIE_AGE = 1_209_600;

/** Optional methods an engine offers the dashboard (detected at run time by `supports*`) and what its listings carry. */
export interface Capabilities {
  /** list() and count(). */
  readonly listing: boolean;
  /** listByUser() and deleteByUser(). */
  readonly userIndex: boolean;
  /** deleteIssuedBefore(). */
  readonly issuedBefore: boolean;
  /** recordActivity(), shown in listings. */
  readonly activity: boolean;
  /** Listed sessions carry an opaque public id that the query filter matches by prefix. */
  readonly publicIds: boolean;
  /** Sessions a Django site wrote (no SessionScope index) are listed, after the indexed ones. */
  readonly listsDjangoSessions: boolean;
}

/** How a backend behaves where engines legitimately differ. */
export interface SessionTraits {
  /** Saves are a compare-and-swap (false for signed cookies: the browser holds the only copy). */
  readonly atomicSave: boolean;
  /** A load honours the expiry stored at save time (false for signed cookies, as Django's backend: ticket #19201). */
  readonly enforcesStoredExpiry: boolean;
  /** The engine asks Redis to drop the session's entry at its expiry; the harness reads that TTL back (`serverTtlMs`). */
  readonly serverTtl: boolean;
}

export interface StoreTraits extends SessionTraits {
  /** Expired sessions stay stored until clearExpired (false where Redis's TTL removes them). */
  readonly keepsExpired: boolean;
  /** A Django site can write into the same storage (the harness has `writeDjangoSession`). */
  readonly sharedWithDjango: boolean;
  /** What `load` returns after a save: Django's encoded string, or the dict (Redis entries are pickles). */
  readonly loads: "encoded" | "data";
  /** How far a loaded expireDate may drift from the saved one (TTLs are whole seconds). */
  readonly expiryToleranceMs: number;
  /**
   * The backend's TTL is the session's expiry to the millisecond (Redis): a load returns no expiry of
   * its own, and an entry is live while the backend holds it, on the backend's clock.
   */
  readonly expiryIsTtl: boolean;
  /** The order of a full listing. */
  readonly listOrder: "newest first, ties by key ascending" | "newest first, ties by key descending" | "by key";
  /** The listing cursor: opaque (garbage is rejected), or the last key shown. */
  readonly cursor: "opaque" | "last key";
  /** clearExpired deletes `batchSize` sessions at a time and reports each batch (false: one sweep, one report). */
  readonly clearsInBatches: boolean;
}

export interface Harness {
  readonly store: SessionStore;
  /** Another store over the same data on its own connection or client, for real concurrency (default: `store`). */
  peer?(): Promise<SessionStore>;
  /** Writes a session the way a Django site sharing the storage would: no SessionScope meta or index. */
  writeDjangoSession?(key: string, data: Record<string, unknown>, expireDate: Date): Promise<void>;
  /** The TTL Redis holds for the session's entry, in milliseconds (-2 when there is none). */
  serverTtlMs?(key: string): Promise<number>;
  dispose(): Promise<void>;
}

export interface SessionBackend {
  /** The Django engine name and where it stores: "db on SQLite", "cache on Redis"... */
  readonly name: string;
  readonly needs: readonly Service[];
  readonly traits: SessionTraits;
  open(options: { readonly clock: Clock }): Promise<Harness>;
}

export interface StoreBackend extends SessionBackend {
  readonly capabilities: Capabilities;
  readonly traits: StoreTraits;
}

// ---------------------------------------------------------------- databases

export interface DatabaseBackend {
  readonly name: "SQLite" | "PostgreSQL";
  readonly needs: readonly Service[];
  open(): Promise<TestDatabase>;
}

const SQLITE: DatabaseBackend = { name: "SQLite", needs: [], open: () => createSqliteDatabase() };
const POSTGRESQL: DatabaseBackend = {
  name: "PostgreSQL",
  needs: ["postgresql"],
  open: () => createPostgresDatabase(requireServiceUrl("postgresql"), { template: postgresTemplate() }),
};

/** A fresh migrated database of each provider. */
export const DATABASES: readonly DatabaseBackend[] = [SQLITE, POSTGRESQL];

// ---------------------------------------------------------------- engines

/** The engine factories, each taking the session clock as its `clock` option. */
export const engines = {
  sqlite: createSqliteStore,
  postgres: createPostgresStore,
  redis: createRedisStore,
  cachedDb: createCachedDbStore,
  memcached: createMemcachedStore,
  memcachedCachedDb: createMemcachedCachedDbStore,
  file: createFileStore,
  memory: createMemoryStore,
  signedCookies: createSignedCookieStore,
};

/** The db engine on a test database (SQLite or PostgreSQL, whichever it is). */
export function openSqlStore(t: TestDatabase, options: { readonly clock: Clock; readonly metaEngine?: string }): DatabaseStore & ActivityStore {
  return t.db.provider === "sqlite" ? engines.sqlite(t.db.sqlite, options) : engines.postgres(t.db.pool, options);
}

/** A row in django_session as Django writes it: no meta row beside it. */
async function insertDjangoRow(t: TestDatabase, key: string, data: Record<string, unknown>, expireDate: Date, now: Date): Promise<void> {
  const encoded = TEST_CODEC.encode(new Map(Object.entries(data)), now);
  if (t.db.provider === "sqlite") {
    t.db.sqlite.prepare(`INSERT INTO django_session VALUES (?, ?, ?)`).run(key, encoded, formatSqliteDate(expireDate));
  } else {
    await t.db.pool.query(`INSERT INTO django_session VALUES ($1, $2, $3)`, [key, encoded, expireDate]);
  }
}

/** A client on the run's Redis, its database emptied so listings see only this test's sessions. */
export async function openRedis(): Promise<Redis> {
  const client = new Redis(requireServiceUrl("redis"), { maxRetriesPerRequest: 1 });
  await client.flushdb();
  return client;
}

/** Django's cache keys of a session (docs/django-format.md §5.2), and cached_db's version key beside its entry. */
export const redisKeys = {
  cache: (key: string) => `:1:django.contrib.sessions.cache${key}`,
  cachedDb: (key: string) => `:1:django.contrib.sessions.cached_db${key}`,
  cachedDbVersion: (key: string) => `sessionscope:cached_db:version:${key}`,
};

const SQL_CAPABILITIES: Capabilities = { listing: true, userIndex: true, issuedBefore: true, activity: true, publicIds: true, listsDjangoSessions: true };
const SQL_TRAITS: StoreTraits = {
  atomicSave: true,
  enforcesStoredExpiry: true,
  serverTtl: false,
  keepsExpired: true,
  sharedWithDjango: true,
  loads: "encoded",
  expiryToleranceMs: 0,
  expiryIsTtl: false,
  listOrder: "newest first, ties by key ascending",
  cursor: "opaque",
  clearsInBatches: true,
};

function dbBackend(database: DatabaseBackend): StoreBackend {
  return {
    name: `db on ${database.name}`,
    needs: database.needs,
    capabilities: SQL_CAPABILITIES,
    traits: SQL_TRAITS,
    async open({ clock }) {
      const t = await database.open();
      const sqlitePath = t.db.provider === "sqlite" ? t.db.path : null;
      const peers: Array<{ close(): void }> = [];
      return {
        store: openSqlStore(t, { clock }),
        // SQLite: separate connections on the same file, each taking the write lock on its own.
        // PostgreSQL: one pool of ten connections already runs concurrent writers in parallel server-side.
        ...(sqlitePath !== null && {
          async peer() {
            const connection = openSqlite(sqlitePath);
            peers.push(connection);
            return engines.sqlite(connection, { clock });
          },
        }),
        writeDjangoSession: (key, data, expireDate) => insertDjangoRow(t, key, data, expireDate, clock()),
        async dispose() {
          for (const p of peers) p.close();
          await t.dispose();
        },
      };
    },
  };
}

const cacheBackend: StoreBackend = {
  name: "cache on Redis",
  needs: ["redis"],
  // Listing reads SessionScope's index: entries Django wrote load, but are not listed.
  capabilities: { listing: true, userIndex: true, issuedBefore: true, activity: false, publicIds: true, listsDjangoSessions: false },
  traits: {
    ...SQL_TRAITS,
    serverTtl: true,
    keepsExpired: false,
    loads: "data",
    expiryToleranceMs: 1500,
    expiryIsTtl: true,
    listOrder: "newest first, ties by key descending",
  },
  async open({ clock }) {
    const client = await openRedis();
    const peers: Redis[] = [];
    return {
      store: engines.redis(client, { clock }),
      async peer() {
        const peer = new Redis(requireServiceUrl("redis"));
        peers.push(peer);
        return engines.redis(peer, { clock });
      },
      async writeDjangoSession(key, data, expireDate) {
        await client.set(redisKeys.cache(key), dumpsPickle(new Map(Object.entries(data))), "PX", expireDate.getTime() - clock().getTime());
      },
      serverTtlMs: (key) => client.pttl(redisKeys.cache(key)),
      async dispose() {
        for (const c of [client, ...peers]) c.disconnect();
      },
    };
  },
};

function cachedDbBackend(database: DatabaseBackend): StoreBackend {
  return {
    name: `cached_db on ${database.name} + Redis`,
    needs: [...database.needs, "redis"],
    capabilities: SQL_CAPABILITIES,
    // Saves fill the cache, so a load after a save is a hit: the dict, without an expiry (the entry's TTL is it).
    traits: { ...SQL_TRAITS, serverTtl: true, loads: "data", expiryToleranceMs: 1500, expiryIsTtl: true },
    async open({ clock }) {
      const client = await openRedis();
      const t = await database.open();
      const errors: string[] = [];
      const db = openSqlStore(t, { clock, metaEngine: "cached_db" });
      const decode = (encoded: string) => {
        const result = TEST_CODEC.decode(encoded, clock());
        return result.ok ? result.data : null;
      };
      return {
        store: engines.cachedDb(db, client, { decode, clock, onCacheError: (e, operation) => errors.push(`${operation}: ${e.message}`) }),
        // Django's cached_db writes the row, and the cache only when it loads: an evicted entry looks the same.
        writeDjangoSession: (key, data, expireDate) => insertDjangoRow(t, key, data, expireDate, clock()),
        serverTtlMs: (key) => client.pttl(redisKeys.cachedDb(key)),
        async dispose() {
          client.disconnect();
          await t.dispose();
          if (errors.length) throw new Error(`cached_db reported Redis errors on a healthy Redis: ${errors.join("; ")}`);
        },
      };
    },
  };
}

const memcachedCacheBackend: StoreBackend = {
  name: "cache on Memcached",
  needs: ["memcached"],
  // Memcached cannot list its keys: required methods only.
  capabilities: { listing: false, userIndex: false, issuedBefore: false, activity: false, publicIds: false, listsDjangoSessions: false },
  traits: { ...SQL_TRAITS, serverTtl: true, keepsExpired: false, loads: "data", expiryToleranceMs: 1500 },
  async open({ clock }) {
    const url = requireServiceUrl("memcached");
    const client = openMemcached();
    const peers = [client];
    // An entry Django wrote expires, as Django reckons it, SESSION_COOKIE_AGE after it is read: the contract writes them that long.
    const options = { clock, cookieAge: AGE_SECONDS };
    return {
      store: engines.memcached(client, options),
      async peer() {
        const peer = openMemcached();
        peers.push(peer);
        return engines.memcached(peer, options);
      },
      writeDjangoSession: (key, data, expireDate) => writeDjangoMemcachedEntry(client, redisKeys.cache(key), data, expireDate.getTime() - clock().getTime()),
      serverTtlMs: (key) => memcachedTtlMs(url, redisKeys.cache(key)),
      async dispose() {
        for (const c of peers) c.close();
      },
    };
  },
};

function memcachedCachedDbBackend(database: DatabaseBackend): StoreBackend {
  return {
    name: `cached_db on ${database.name} + Memcached`,
    needs: [...database.needs, "memcached"],
    capabilities: SQL_CAPABILITIES,
    traits: { ...SQL_TRAITS, serverTtl: true, loads: "data", expiryToleranceMs: 1500 },
    async open({ clock }) {
      const url = requireServiceUrl("memcached");
      const client = openMemcached();
      const t = await database.open();
      const errors: string[] = [];
      const db = openSqlStore(t, { clock, metaEngine: "cached_db" });
      const decode = (encoded: string) => {
        const result = TEST_CODEC.decode(encoded, clock());
        return result.ok ? result.data : null;
      };
      return {
        store: engines.memcachedCachedDb(db, client, { decode, clock, onCacheError: (e, operation) => errors.push(`${operation}: ${e.message}`) }),
        writeDjangoSession: (key, data, expireDate) => insertDjangoRow(t, key, data, expireDate, clock()),
        serverTtlMs: (key) => memcachedTtlMs(url, redisKeys.cachedDb(key)),
        async dispose() {
          client.close();
          await t.dispose();
          if (errors.length) throw new Error(`cached_db reported Memcached errors on a healthy Memcached: ${errors.join("; ")}`);
        },
      };
    },
  };
}

const fileBackend: StoreBackend = {
  name: "file",
  needs: [],
  capabilities: { listing: false, userIndex: false, issuedBefore: false, activity: false, publicIds: false, listsDjangoSessions: false },
  traits: SQL_TRAITS,
  async open({ clock }) {
    const directory = await mkdtemp(join(tmpdir(), "sessionscope-files-"));
    const options = { directory, cookieName: "sessionid", cookieAge: COOKIE_AGE, clock };
    return {
      store: engines.file(options),
      // Separate stores share nothing in memory: only the lock files serialise them.
      peer: async () => engines.file(options),
      async writeDjangoSession(key, data, expireDate) {
        const file = join(directory, `sessionid${key}`);
        await writeFile(file, TEST_CODEC.encode(new Map(Object.entries(data)), clock()), { encoding: "ascii", mode: 0o600 });
        // Django's file engine: expiry = mtime + SESSION_COOKIE_AGE.
        const mtime = new Date(expireDate.getTime() - COOKIE_AGE * 1000);
        await utimes(file, mtime, mtime);
      },
      dispose: () => rm(directory, { recursive: true, force: true }),
    };
  },
};

/** In-process, for tests and development: lists by key with the key as cursor, clears in one sweep, no public ids. */
const memoryBackend: StoreBackend = {
  name: "memory",
  needs: [],
  capabilities: { ...SQL_CAPABILITIES, activity: false, publicIds: false, listsDjangoSessions: false },
  traits: { ...SQL_TRAITS, sharedWithDjango: false, listOrder: "by key", cursor: "last key", clearsInBatches: false },
  async open({ clock }) {
    return { store: engines.memory({ clock }), async dispose() {} };
  },
};

/** Every server-side engine on its real service: what the store contract runs on. */
export const STORE_BACKENDS: readonly StoreBackend[] = [
  dbBackend(SQLITE),
  dbBackend(POSTGRESQL),
  cacheBackend,
  cachedDbBackend(SQLITE),
  cachedDbBackend(POSTGRESQL),
  memcachedCacheBackend,
  memcachedCachedDbBackend(SQLITE),
  memcachedCachedDbBackend(POSTGRESQL),
  fileBackend,
  memoryBackend,
];

/** Signed cookies: the session is the cookie, so there is no store contract to run, only the Session's rules. */
export const SIGNED_COOKIES_BACKEND: SessionBackend = {
  name: "signed_cookies",
  needs: [],
  traits: { atomicSave: false, enforcesStoredExpiry: false, serverTtl: false },
  async open({ clock }) {
    return { store: engines.signedCookies({ secretKey: TEST_SECRET, maxAge: COOKIE_AGE, clock }), async dispose() {} };
  },
};

/** Every engine, for the tests of the Session API. */
export const SESSION_BACKENDS: readonly SessionBackend[] = [...STORE_BACKENDS, SIGNED_COOKIES_BACKEND];

/** The backend named `name` (a test about one engine's own guarantees). */
export function storeBackend(name: string): StoreBackend {
  const backend = STORE_BACKENDS.find((b) => b.name === name);
  if (!backend) throw new Error(`no store backend named ${name}`);
  return backend;
}
