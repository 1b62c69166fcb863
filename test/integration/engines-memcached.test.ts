// What the Memcached-backed engines guarantee beyond the store contract: the
// cache engine writes Django's key, pickle and pymemcache's flag; cached_db keeps
// killed sessions dead, never fills the cache with data a save replaced, serves
// hits that still compare-and-swap, survives a Memcached restart and falls back
// to the database when Memcached is unreachable.
import { createServer } from "node:net";
import { afterEach, beforeEach, expect, it } from "vitest";
import { createMemcachedClient, MemcachedUnavailableError, type NodeMemcachedClient } from "../../lib/node/memcached.ts";
import { isServiceUnavailable } from "../../lib/node/unavailable.ts";
import { loadsPickle, type DatabaseStore } from "../../lib/session/index.ts";
import { loadedData, makeRecord, newKey } from "../contract/store-contract.ts";
import { DATABASES, engines, openSqlStore, redisKeys, TEST_CODEC } from "../helpers/backends.ts";
import { createTestClock, type TestClock } from "../helpers/clock.ts";
import type { TestDatabase } from "../helpers/databases.ts";
import { memcachedTtlMs, openMemcached } from "../helpers/memcached.ts";
import { describeWithServices } from "../helpers/register.ts";
import { requireServiceUrl } from "../helpers/services.ts";
// @ts-expect-error: plain JavaScript module shared with scripts/test.mjs
import { startMemcached } from "../services/services.mjs";

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
const stateKey = (key: string) => `sessionscope:cached_db:state:${key}`;

describeWithServices("cache engine on Memcached: Django's format", ["memcached"], () => {
  it("stores Django's key and pickle under pymemcache's pickle flag, with the session's TTL, and loads an entry Django wrote", async () => {
    const client = openMemcached();
    try {
      const clock = createTestClock();
      const store = engines.memcached(client, { clock });
      const key = newKey();
      await store.save(key, makeRecord(clock(), { foo: "bar" }), null);
      const raw = await client.gets(redisKeys.cache(key));
      expect(raw?.value.toString("hex")).toBe("80049510000000000000007d948c03666f6f948c0362617294732e");
      expect(raw?.flags).toBe(1);
      expect(await memcachedTtlMs(requireServiceUrl("memcached"), redisKeys.cache(key))).toBeGreaterThan(3_500_000);
      const other = newKey();
      await client.store("set", redisKeys.cache(other), raw!.value, 1, 60);
      expect(loadedData(await store.load(other, clock()))).toEqual({ foo: "bar" });
      // Any other flag is not a pickled dict to pymemcache either: the entry counts as absent.
      const corrupt: string[] = [];
      const strict = engines.memcached(client, { clock, onCorruptEntry: (k) => corrupt.push(k) });
      await client.store("set", redisKeys.cache(other), raw!.value, 16, 60);
      expect(await strict.load(other, clock())).toBeNull();
      expect(corrupt).toEqual([other]);
    } finally {
      client.close();
    }
  });

  it("fails a request with an error that answers 503 when Memcached is down, and a protocol error stays a bug", async () => {
    const dead = createMemcachedClient(`memcached://127.0.0.1:${await closedPort()}`);
    const client = openMemcached();
    try {
      const store = engines.memcached(dead);
      const failure = await store.load(newKey(), new Date()).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(MemcachedUnavailableError);
      expect(isServiceUnavailable(failure)).toBe(true);
      const refused = await client.store("cas", redisKeys.cache(newKey()), Buffer.from("x"), 0, 60, "not-a-number").catch((error: unknown) => error);
      expect(isServiceUnavailable(refused)).toBe(false);
    } finally {
      dead.close();
      client.close();
    }
  });

  it("refuses a key prefix Memcached's text protocol would split", () => {
    const client = openMemcached();
    try {
      expect(() => engines.memcached(client, { keyPrefix: "my site" })).toThrow(/spaces or control characters/);
    } finally {
      client.close();
    }
  });
});

for (const database of DATABASES) {
  describeWithServices(`cached_db on ${database.name} + Memcached: its own guarantees`, [...database.needs, "memcached"], () => {
    let client: NodeMemcachedClient;
    let t: TestDatabase;
    let clock: TestClock;
    let db: DatabaseStore;
    beforeEach(async () => {
      client = openMemcached();
      t = await database.open();
      clock = createTestClock();
      db = openSqlStore(t, { clock, metaEngine: "cached_db" });
    });
    afterEach(async () => {
      client?.close();
      await t?.dispose();
    });

    /** A store whose database loads stop, once they have read the row, until released. */
    function pausedLoads() {
      let reached!: () => void;
      let release!: () => void;
      const atGate = new Promise<void>((resolve) => (reached = resolve));
      const gate = new Promise<void>((resolve) => (release = resolve));
      const slow: DatabaseStore = { ...db, load: async (key, now) => { const row = await db.load(key, now); reached(); await gate; return row; } };
      return { store: engines.memcachedCachedDb(slow, client, { decode, clock }), atGate, release };
    }

    it("keeps a killed session dead even when a load raced the kill", async () => {
      const { store, atGate, release } = pausedLoads();
      const fast = engines.memcachedCachedDb(db, client, { decode, clock });
      const key = newKey();
      await fast.save(key, makeRecord(clock(), { user: "victim" }), null);
      await client.delete(redisKeys.cachedDb(key)); // evicted: the next load misses
      const racing = store.load(key, clock());
      await atGate;
      await fast.delete(key);
      release();
      expect(await racing).not.toBeNull(); // that request was already in flight
      expect(await client.gets(redisKeys.cachedDb(key))).toBeNull(); // ...and could not fill the cache
      expect(await fast.load(key, clock())).toBeNull();
    });

    it("never fills the cache with data a save replaced while the load read the database", async () => {
      const { store, atGate, release } = pausedLoads();
      const fast = engines.memcachedCachedDb(db, client, { decode, clock });
      const key = newKey();
      const v1 = await fast.save(key, makeRecord(clock(), { n: 1 }), null);
      if (!v1.ok) throw new Error("create failed");
      await client.delete(redisKeys.cachedDb(key));
      await client.delete(stateKey(key));
      const racing = store.load(key, clock());
      await atGate; // it has read n=1
      expect((await fast.save(key, makeRecord(clock(), { n: 2 }), v1.version)).ok).toBe(true);
      release();
      expect(loadedData(await racing)).toEqual({ n: 1 });
      // Whatever Django reads under its key is the new data or nothing (a miss sends it to the database).
      const entry = await client.gets(redisKeys.cachedDb(key));
      expect(entry === null || loadsPickle(entry.value).get("n") === 2).toBe(true);
      expect(loadedData(await fast.load(key, clock()))).toEqual({ n: 2 });
    });

    it("serves a cache hit with the database version, so a save after a hit is a real compare-and-swap", async () => {
      const store = engines.memcachedCachedDb(db, client, { decode, clock });
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
      // An entry Django overwrote (SessionScope's state no longer describes it) is a miss, not a hit.
      await client.store("set", redisKeys.cachedDb(key), Buffer.from("80049510000000000000007d948c03666f6f948c0362617294732e", "hex"), 1, 60);
      const after = (await store.load(key, clock()))!;
      expect(after.encoded).toBeDefined();
      expect(loadedData(after)).toEqual({ n: 2 });
    });

    it("fills the cache after a miss, for the row's remaining lifetime", async () => {
      const store = engines.memcachedCachedDb(db, client, { decode, clock });
      const key = newKey();
      await db.save(key, makeRecord(clock(), { n: 1 }, { expireDate: new Date(clock().getTime() + 600_000) }), null);
      expect((await store.load(key, clock()))!.encoded).toBeDefined(); // the miss reads the row...
      const ttl = await memcachedTtlMs(requireServiceUrl("memcached"), redisKeys.cachedDb(key));
      expect(Math.abs(ttl - 600_000)).toBeLessThanOrEqual(1500); // ...and caches it until the row expires
      expect((await store.load(key, clock()))!.data).toEqual(new Map([["n", 1]])); // the next load hits
    });

    it("loses nothing when Memcached restarts: loads and saves go on from the database", async () => {
      const own = await startMemcached();
      const local = createMemcachedClient(own.url);
      try {
        const store = engines.memcachedCachedDb(db, local, { decode, clock });
        const key = newKey();
        const v1 = await store.save(key, makeRecord(clock(), { cart: [1] }), null);
        if (!v1.ok) throw new Error("create failed");
        await own.restart(); // every entry is gone
        const loaded = await store.load(key, clock());
        expect(loadedData(loaded)).toEqual({ cart: [1] });
        expect((await store.save(key, makeRecord(clock(), { cart: [1, 2] }), loaded!.version)).ok).toBe(true);
        expect(loadedData(await store.load(key, clock()))).toEqual({ cart: [1, 2] });
      } finally {
        local.close();
        own.stop();
      }
    });

    it("falls back to the database when Memcached is unreachable, reporting each failure", async () => {
      const dead = createMemcachedClient(`memcached://127.0.0.1:${await closedPort()}`);
      try {
        const errors: string[] = [];
        const store = engines.memcachedCachedDb(db, dead, { decode, clock, onCacheError: (_e, op) => errors.push(op) });
        const key = newKey();
        expect((await store.save(key, makeRecord(clock(), { n: 1 }), null)).ok).toBe(true);
        const loaded = await store.load(key, clock());
        expect(loadedData(loaded)).toEqual({ n: 1 });
        expect((await store.save(key, makeRecord(clock(), { n: 2 }), loaded!.version)).ok).toBe(true);
        await store.delete(key);
        expect(await store.load(key, clock())).toBeNull();
        expect(errors).toContain("save");
        expect(errors).toContain("kill");
        // What the cache missed is owed to it: loads skip it until the outbox is replayed.
        expect(errors).toContain("replay");
        expect((await db.pendingCacheInvalidations(10)).map((item) => item.kind)).toEqual(expect.arrayContaining(["stale", "kill"]));
      } finally {
        dead.close();
      }
    });
  });
}
