// cached_db across a cache outage: a kill the cache could not take is recorded in the
// database's outbox and applied to the cache before anything cached is served again, by
// the instance that made it and by any other; a save the cache missed cannot be read
// back stale; and a cached entry is checked against the database at least every
// verifySeconds. The outage is real: the engine talks to the run's Redis or memcached
// through a TCP relay the test cuts (open connections reset, new ones refused).
import { Redis } from "ioredis";
import { afterEach, beforeEach, expect, it } from "vitest";
import { createMemcachedClient } from "../../lib/node/memcached.ts";
import { createRedisClient } from "../../lib/node/redis.ts";
import type { CachedDbStore, DatabaseStore } from "../../lib/session/index.ts";
import { loadedData, makeRecord, newKey } from "../contract/store-contract.ts";
import { DATABASES, engines, openSqlStore, redisKeys, TEST_CODEC } from "../helpers/backends.ts";
import { createTestClock, type TestClock } from "../helpers/clock.ts";
import type { TestDatabase } from "../helpers/databases.ts";
import { openMemcached } from "../helpers/memcached.ts";
import { relayWithCut, type NetworkCut } from "../helpers/network-cut.ts";
import { describeWithServices } from "../helpers/register.ts";
import { requireServiceUrl } from "../helpers/services.ts";

const decode = (encoded: string) => {
  const result = TEST_CODEC.decode(encoded, new Date());
  return result.ok ? result.data : null;
};

type Store = CachedDbStore;

interface CacheSide {
  /** A cached_db store whose cache connection goes through `relay`. */
  open(db: DatabaseStore, relay: NetworkCut, clock: TestClock, verifySeconds?: number): Promise<{ store: Store; connected(): Promise<void>; close(): void }>;
  /** A store straight on the cache: another instance of the app, which sees no outage. */
  direct(db: DatabaseStore, clock: TestClock): { store: Store; close(): void };
  /** Whether the cache itself (asked directly) still holds the session's entry. */
  holds(key: string): Promise<boolean>;
  port(): number;
  /**
   * Waits out the client's own retry of commands it could not send (ioredis sends a queued
   * command again after one reconnect): a longer outage, in which the kill is really lost.
   */
  outlastClientRetries(): Promise<void>;
  close(): void;
}

const until = async (condition: () => boolean | Promise<boolean>, what: string) => {
  for (let i = 0; i < 200; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
};

function redisSide(): CacheSide {
  const url = requireServiceUrl("redis");
  const probe = new Redis(url, { maxRetriesPerRequest: 1 });
  return {
    async open(db, relay, clock, verifySeconds) {
      // The app's own client settings (lib/node/redis.ts): fast timeouts, background reconnects.
      const client = createRedisClient(`redis://127.0.0.1:${relay.port}`);
      client.removeAllListeners("error").on("error", () => {});
      const store = engines.cachedDb(db, client, { decode, clock, cacheTimeoutMs: 300, verifySeconds });
      return { store, connected: () => until(() => client.status === "ready", "Redis to reconnect"), close: () => client.disconnect() };
    },
    direct(db, clock) {
      const client = new Redis(url, { maxRetriesPerRequest: 1 });
      return { store: engines.cachedDb(db, client, { decode, clock }), close: () => client.disconnect() };
    },
    holds: async (key) => (await probe.exists(redisKeys.cachedDb(key))) === 1,
    port: () => Number(new URL(url).port),
    outlastClientRetries: () => new Promise((resolve) => setTimeout(resolve, 1_000)),
    close: () => probe.disconnect(),
  };
}

function memcachedSide(): CacheSide {
  const url = requireServiceUrl("memcached");
  const probe = openMemcached();
  return {
    async open(db, relay, clock, verifySeconds) {
      const client = createMemcachedClient(`memcached://127.0.0.1:${relay.port}`, { cmdTimeoutMs: 300, connectTimeoutMs: 300 });
      const store = engines.memcachedCachedDb(db, client, { decode, clock, cacheTimeoutMs: 300, verifySeconds });
      // memcache-client connects on demand: a first command after the cut opens a new connection.
      return { store, connected: async () => {}, close: () => client.close() };
    },
    direct(db, clock) {
      const client = openMemcached();
      return { store: engines.memcachedCachedDb(db, client, { decode, clock }), close: () => client.close() };
    },
    holds: async (key) => (await probe.gets(redisKeys.cachedDb(key))) !== null,
    port: () => Number(url.replace(/^memcached:\/\/[^:]+:/, "")),
    outlastClientRetries: async () => {},
    close: () => probe.close(),
  };
}

const CACHES = [
  { name: "Redis", service: "redis", side: redisSide },
  { name: "Memcached", service: "memcached", side: memcachedSide },
] as const;

for (const cache of CACHES) {
  for (const database of DATABASES) {
    describeWithServices(`cached_db on ${database.name} + ${cache.name}: a cache outage`, [...database.needs, cache.service], () => {
      let t: TestDatabase;
      let clock: TestClock;
      let db: DatabaseStore;
      let side: CacheSide;
      let relay: NetworkCut;
      const closers: Array<() => void> = [];
      beforeEach(async () => {
        t = await database.open();
        clock = createTestClock();
        db = openSqlStore(t, { clock, metaEngine: "cached_db" });
        side = cache.side();
        relay = await relayWithCut(side.port());
      });
      afterEach(async () => {
        for (const close of closers.splice(0)) close();
        side?.close();
        await relay?.close();
        await t?.dispose();
      });
      const open = async (verifySeconds?: number) => {
        const opened = await side.open(db, relay, clock, verifySeconds);
        closers.push(opened.close);
        return opened;
      };
      /** A session saved and cached through `store`. */
      const cachedSession = async (store: Store, data: Record<string, unknown>) => {
        const key = newKey();
        expect((await store.save(key, makeRecord(clock(), data), null)).ok).toBe(true);
        expect(loadedData(await store.load(key, clock()))).toEqual(data);
        expect(await side.holds(key)).toBe(true);
        return key;
      };

      it("a kill made while the cache is cut is recorded, and applied before the next cached read", async () => {
        const { store, connected } = await open();
        const key = await cachedSession(store, { user: "ada" });

        relay.cut();
        const killed = await store.kill({ keys: [key] });
        expect(killed.deleted).toBe(1);
        // The cache still holds the session: without the outbox, it would be served when the cache is back.
        expect(await side.holds(key)).toBe(true);
        expect((await db.pendingCacheInvalidations(10)).map((item) => [item.key, item.kind])).toEqual([[key, "kill"]]);
        await side.outlastClientRetries();

        relay.restore();
        await connected();
        expect(await store.load(key, clock())).toBeNull();
        expect(await side.holds(key)).toBe(false);
        expect(await db.pendingCacheInvalidations(10)).toEqual([]);
      });

      if (database.name === "SQLite") {
        it("another instance, which never saw the outage, applies the recorded kill at its next replay", async () => {
          const { store } = await open();
          const other = side.direct(db, clock);
          closers.push(other.close);
          const key = await cachedSession(store, { user: "ada" });
          expect(loadedData(await other.store.load(key, clock()))).toEqual({ user: "ada" });

          relay.cut();
          await store.kill({ keys: [key] });
          expect(await other.store.replayCacheInvalidations()).toBe(true);
          expect(await other.store.load(key, clock())).toBeNull();
          expect(await side.holds(key)).toBe(false);
          expect(await db.pendingCacheInvalidations(10)).toEqual([]);
        });

        it("a user's sessions killed while the cache is cut are all recorded", async () => {
          const { store, connected } = await open();
          const keys: string[] = [];
          for (const n of [1, 2]) {
            const key = newKey();
            expect((await store.save(key, makeRecord(clock(), { n }, { userId: "7" }), null)).ok).toBe(true);
            expect(loadedData(await store.load(key, clock()))).toEqual({ n });
            keys.push(key);
          }
          relay.cut();
          expect((await store.kill({ userId: "7" })).deleted).toBe(2);
          relay.restore();
          await connected();
          for (const key of keys) expect(await store.load(key, clock())).toBeNull();
        });

        it("a save the cache missed is never read back one version behind", async () => {
          const { store, connected } = await open();
          const key = await cachedSession(store, { items: 1 });
          const loaded = await store.load(key, clock());

          relay.cut();
          expect((await store.save(key, makeRecord(clock(), { items: 2 }), loaded!.version)).ok).toBe(true);
          relay.restore();
          await connected();
          expect(loadedData(await store.load(key, clock()))).toEqual({ items: 2 });
        });

        it("serves a cached entry for at most verifySeconds before it looks at the database again", async () => {
          const { store } = await open(1);
          const key = await cachedSession(store, { user: "ada" });
          // The row goes without the cache hearing of it (as if a kill's record were lost with its process).
          await db.delete(key);
          expect(loadedData(await store.load(key, clock()))).toEqual({ user: "ada" });
          await until(async () => (await store.load(key, clock())) === null, "the cached entry to be checked against the database");
        });
      }
    });
  }
}
