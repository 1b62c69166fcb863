// What the Redis-backed engines guarantee beyond the store contract: the
// cache engine writes Django's key and pickle; cached_db keeps killed
// sessions dead, serves hits that still compare-and-swap, and falls back to
// the database when Redis is unreachable.
import { createServer } from "node:net";
import { Redis } from "ioredis";
import { afterEach, beforeEach, expect, it } from "vitest";
import type { DatabaseStore } from "../../lib/session/index.ts";
import { loadedData, makeRecord, newKey } from "../contract/store-contract.ts";
import { DATABASES, engines, openRedis, openSqlStore, redisKeys, TEST_CODEC } from "../helpers/backends.ts";
import { createTestClock, type TestClock } from "../helpers/clock.ts";
import type { TestDatabase } from "../helpers/databases.ts";
import { describeWithServices } from "../helpers/register.ts";

/** A port nothing listens on. */
const closedPort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

const decode = (encoded: string) => {
  const result = TEST_CODEC.decode(encoded, new Date());
  return result.ok ? result.data : null;
};

describeWithServices("cache engine on Redis: Django's format", ["redis"], () => {
  it("stores Django's key and pickle, with the session's TTL, and loads an entry Django wrote", async () => {
    const client = await openRedis();
    try {
      const clock = createTestClock();
      const store = engines.redis(client, { clock });
      const key = newKey();
      await store.save(key, makeRecord(clock(), { foo: "bar" }), null);
      const raw = await client.getBuffer(redisKeys.cache(key));
      expect(raw?.toString("hex")).toBe("80049510000000000000007d948c03666f6f948c0362617294732e");
      expect(await client.ttl(redisKeys.cache(key))).toBeGreaterThan(3500);
      // An entry Django wrote (no SessionScope index) loads too.
      const other = newKey();
      await client.set(redisKeys.cache(other), raw!, "EX", 60);
      expect(loadedData(await store.load(other, clock()))).toEqual({ foo: "bar" });
    } finally {
      client.disconnect();
    }
  });
});

for (const database of DATABASES) {
  describeWithServices(`cached_db on ${database.name} + Redis: its own guarantees`, [...database.needs, "redis"], () => {
    let client: Redis;
    let t: TestDatabase;
    let clock: TestClock;
    let db: DatabaseStore;
    beforeEach(async () => {
      client = await openRedis();
      t = await database.open();
      clock = createTestClock();
      db = openSqlStore(t, { clock, metaEngine: "cached_db" });
    });
    afterEach(async () => {
      client?.disconnect();
      await t?.dispose();
    });

    it("keeps a killed session dead even when a load raced the kill", async () => {
      // A real database whose loads stop, once they have read the row, until released: the kill runs in between.
      let reached!: () => void;
      let release!: () => void;
      const atGate = new Promise<void>((resolve) => (reached = resolve));
      const gate = new Promise<void>((resolve) => (release = resolve));
      const slow: DatabaseStore = { ...db, load: async (key, now) => { const row = await db.load(key, now); reached(); await gate; return row; } };
      const store = engines.cachedDb(slow, client, { decode, clock });
      const fast = engines.cachedDb(db, client, { decode, clock });
      const key = newKey();
      await fast.save(key, makeRecord(clock(), { user: "victim" }), null);
      await client.del(redisKeys.cachedDb(key)); // evicted: the next load misses
      const racing = store.load(key, clock());
      await atGate;
      await fast.delete(key);
      release();
      expect(await racing).not.toBeNull(); // that request was already in flight
      expect(await client.exists(redisKeys.cachedDb(key), redisKeys.cachedDbVersion(key))).toBe(0);
      expect(await fast.load(key, clock())).toBeNull();
      expect(await store.load(key, clock())).toBeNull();
    });

    it("serves a cache hit with the database version, so a save after a hit is a real compare-and-swap", async () => {
      const store = engines.cachedDb(db, client, { decode, clock });
      const key = newKey();
      const v1 = await store.save(key, makeRecord(clock(), { n: 1 }), null);
      if (!v1.ok) throw new Error(`create failed: ${v1.reason}`);
      const hit = (await store.load(key, clock()))!;
      expect(hit.data).toBeDefined();
      expect(hit.version).toBe(v1.version);
      // Another server writes the database directly (cache untouched): the stale hit's save must conflict.
      expect((await db.save(key, makeRecord(clock(), { n: 2 }), hit.version)).ok).toBe(true);
      expect(await store.save(key, makeRecord(clock(), { n: 3 }), hit.version)).toEqual({ ok: false, reason: "conflict" });
      expect(loadedData(await store.load(key, clock()))).toEqual({ n: 2 });
      // A Django-written entry without the version key is a miss, not a hit.
      await client.del(redisKeys.cachedDbVersion(key));
      expect((await store.load(key, clock()))!.encoded).toBeDefined();
    });

    it("fills the cache after a miss, for the row's remaining lifetime", async () => {
      const store = engines.cachedDb(db, client, { decode, clock });
      const key = newKey();
      await db.save(key, makeRecord(clock(), { n: 1 }, { expireDate: new Date(clock().getTime() + 600_000) }), null);
      expect((await store.load(key, clock()))!.encoded).toBeDefined(); // the miss reads the row...
      // ...and caches it until the row expires, trusted for verifySeconds (60 s) before the database is read again.
      expect(Math.abs((await client.pttl(redisKeys.cachedDb(key))) - 600_000)).toBeLessThanOrEqual(1500);
      expect(Math.abs((await client.pttl(redisKeys.cachedDbVersion(key))) - 60_000)).toBeLessThanOrEqual(1500);
      expect((await store.load(key, clock()))!.data).toEqual(new Map([["n", 1]])); // the next load hits
    });

    it("falls back to the database when Redis is unreachable, reporting each failure", async () => {
      const port = await closedPort();
      const dead = new Redis({ host: "127.0.0.1", port, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });
      dead.on("error", () => {});
      try {
        const errors: string[] = [];
        const store = engines.cachedDb(db, dead, { decode, clock, onCacheError: (_e, op) => errors.push(op) });
        const key = newKey();
        expect((await store.save(key, makeRecord(clock(), { n: 1 }), null)).ok).toBe(true);
        const loaded = await store.load(key, clock());
        expect(loadedData(loaded)).toEqual({ n: 1 });
        expect((await store.save(key, makeRecord(clock(), { n: 2 }), loaded!.version)).ok).toBe(true);
        await store.delete(key);
        expect(await store.load(key, clock())).toBeNull();
        expect(errors.length).toBeGreaterThanOrEqual(4);
        expect(errors).toContain("save");
        // The refresh the first save could not make is owed to the cache: loads skip it until the outbox is replayed.
        expect(errors).toContain("replay");
        expect((await db.pendingCacheInvalidations(10)).map((item) => item.kind)).toContain("stale");
      } finally {
        dead.disconnect();
      }
    });
  });
}
