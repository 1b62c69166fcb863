// The Redis-backed engines (cache, cached_db) against the contract, plus
// cached_db's own guarantees: kills beat racing loads, Redis outages fall back.
import { Redis } from "ioredis";
import { expect, it } from "vitest";
import { createCachedDbStore, createPostgresStore, createRedisStore, createSqliteStore, type DatabaseStore, formatSqliteDate } from "../../lib/session/index.ts";
import { createServer } from "node:net";
import { describeStoreContract, loadedData, makeRecord, newKey, type StoreHarness } from "../contract/store-contract.ts";
import { createPostgresDatabase, createSqliteDatabase, type TestDatabase } from "../helpers/databases.ts";
import { serviceUrl } from "../helpers/services.ts";

/** A port nothing listens on. */
const closedPort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

type DescribeOrSkip = (name: string, available: boolean, reason: string, body: () => void) => void;

/** The contract's encoded strings are base64url JSON + ":sig"; the real codec is wired by lib/server. */
export const decodeTestEncoded = (encoded: string) =>
  new Map(Object.entries(JSON.parse(Buffer.from(encoded.slice(0, encoded.indexOf(":")), "base64url").toString("utf8")) as object));

async function freshRedis(url: string): Promise<Redis> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  await client.flushdb();
  return client;
}

type DbKind = "sqlite" | "postgresql";

async function database(kind: DbKind): Promise<{ t: TestDatabase; store: DatabaseStore; writeForeign: StoreHarness["writeForeign"] }> {
  if (kind === "sqlite") {
    const t = await createSqliteDatabase();
    if (t.db.provider !== "sqlite") throw new Error("expected SQLite");
    const { sqlite } = t.db;
    return {
      t,
      store: createSqliteStore(sqlite, { metaEngine: "cached_db" }),
      writeForeign: async (key, encoded, expireDate) => void sqlite.prepare(`INSERT INTO django_session VALUES (?, ?, ?)`).run(key, encoded, formatSqliteDate(expireDate)),
    };
  }
  const t = await createPostgresDatabase(serviceUrl("postgresql")!);
  if (t.db.provider !== "postgresql") throw new Error("expected PostgreSQL");
  const { pool } = t.db;
  return {
    t,
    store: createPostgresStore(pool, { metaEngine: "cached_db" }),
    writeForeign: async (key, encoded, expireDate) => void (await pool.query(`INSERT INTO django_session VALUES ($1, $2, $3)`, [key, encoded, expireDate])),
  };
}

export function redisHarnesses(describeOrSkip: DescribeOrSkip): void {
  const redisUrl = serviceUrl("redis");
  const pgUrl = serviceUrl("postgresql");
  const noRedis = "no Redis server for this run (CI fails instead)";

  describeOrSkip("store contract: redis (cache)", redisUrl !== null, noRedis, () => {
    describeStoreContract("redis (cache)", async () => {
      const client = await freshRedis(redisUrl!);
      const peers: Redis[] = [];
      return {
        store: createRedisStore(client),
        async peer() {
          const peer = new Redis(redisUrl!);
          peers.push(peer);
          return createRedisStore(peer);
        },
        async dispose() {
          for (const p of [client, ...peers]) p.disconnect();
        },
      };
    }, { keepsExpired: false, returnsData: true, expiryToleranceMs: 1500, tiesByKeyAscending: false, foreignRows: false });

    it("stores Django's key and pickle, readable as Django writes it", async () => {
      const client = await freshRedis(redisUrl!);
      try {
        const store = createRedisStore(client);
        const key = newKey();
        await store.save(key, makeRecord({ foo: "bar" }), null);
        const raw = await client.getBuffer(`:1:django.contrib.sessions.cache${key}`);
        expect(raw?.toString("hex")).toBe("80049510000000000000007d948c03666f6f948c0362617294732e");
        expect(await client.ttl(`:1:django.contrib.sessions.cache${key}`)).toBeGreaterThan(3500);
        // An entry Django wrote (no SessionScope index) loads too.
        const other = newKey();
        await client.set(`:1:django.contrib.sessions.cache${other}`, raw!, "EX", 60);
        expect(loadedData((await store.load(other, new Date()))!)).toEqual({ foo: "bar" });
      } finally {
        client.disconnect();
      }
    });
  });

  const combos: { name: string; kind: DbKind; available: boolean }[] = [
    { name: "cached_db (SQLite + Redis)", kind: "sqlite", available: redisUrl !== null },
    { name: "cached_db (PostgreSQL + Redis)", kind: "postgresql", available: redisUrl !== null && pgUrl !== null },
  ];
  for (const combo of combos) {
    describeOrSkip(`store contract: ${combo.name}`, combo.available, noRedis + " or PostgreSQL", () => {
      describeStoreContract(combo.name, async () => {
        const client = await freshRedis(redisUrl!);
        const { t, store, writeForeign } = await database(combo.kind);
        const errors: Error[] = [];
        return {
          store: createCachedDbStore(store, client, { decode: decodeTestEncoded, onCacheError: (e) => errors.push(e) }),
          writeForeign,
          async dispose() {
            client.disconnect();
            await t.dispose();
            expect(errors).toEqual([]);
          },
        };
      }, { returnsData: true, expiryToleranceMs: 1500 });

      it("keeps a killed session dead even when a load raced the kill", async () => {
        const client = await freshRedis(redisUrl!);
        const { t, store: db } = await database(combo.kind);
        try {
          // A real database whose loads pause until released: the load reads the row, then the kill runs.
          let release!: () => void;
          const gate = new Promise<void>((resolve) => (release = resolve));
          const slow: DatabaseStore = { ...db, load: async (key, now) => { const row = await db.load(key, now); await gate; return row; } };
          const store = createCachedDbStore(slow, client, { decode: decodeTestEncoded });
          const fast = createCachedDbStore(db, client, { decode: decodeTestEncoded });
          const key = newKey();
          await fast.save(key, makeRecord({ user: "victim" }), null);
          await client.del(`:1:django.contrib.sessions.cached_db${key}`); // evicted: the next load misses
          const racing = store.load(key, new Date());
          await new Promise((r) => setTimeout(r, 20));
          await fast.delete(key);
          release();
          expect(await racing).not.toBeNull(); // that request was already in flight
          expect(await client.exists(`:1:django.contrib.sessions.cached_db${key}`, `sessionscope:cached_db:version:${key}`)).toBe(0);
          expect(await fast.load(key, new Date())).toBeNull();
          expect(await store.load(key, new Date())).toBeNull();
        } finally {
          client.disconnect();
          await t.dispose();
        }
      });

      it("serves a cache hit with the database version, so a save after a hit is a real compare-and-swap", async () => {
        const client = await freshRedis(redisUrl!);
        const { t, store: db } = await database(combo.kind);
        try {
          const store = createCachedDbStore(db, client, { decode: decodeTestEncoded });
          const key = newKey();
          const v1 = await store.save(key, makeRecord({ n: 1 }), null);
          const hit = (await store.load(key, new Date()))!;
          expect(hit.data).toBeDefined();
          expect(v1.ok && hit.version === v1.version).toBe(true);
          // Another server writes the database directly (cache untouched): the stale hit's save must conflict.
          const other = await db.save(key, makeRecord({ n: 2 }), hit.version);
          expect(other.ok).toBe(true);
          expect(await store.save(key, makeRecord({ n: 3 }), hit.version)).toEqual({ ok: false, reason: "conflict" });
          expect(loadedData((await store.load(key, new Date()))!)).toEqual({ n: 2 });
          // A Django-written entry without the version key is a miss, not a hit.
          await client.del(`sessionscope:cached_db:version:${key}`);
          expect((await store.load(key, new Date()))!.encoded).toBeDefined();
        } finally {
          client.disconnect();
          await t.dispose();
        }
      });

      it("falls back to the database when Redis is unreachable, reporting each failure", async () => {
        const port = await closedPort();
        const dead = new Redis({ host: "127.0.0.1", port: Number(port), enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });
        dead.on("error", () => {});
        const { t, store: db } = await database(combo.kind);
        try {
          const errors: string[] = [];
          const store = createCachedDbStore(db, dead, { decode: decodeTestEncoded, onCacheError: (_e, op) => errors.push(op) });
          const key = newKey();
          const v1 = await store.save(key, makeRecord({ n: 1 }), null);
          expect(v1.ok).toBe(true);
          const loaded = (await store.load(key, new Date()))!;
          expect(loadedData(loaded)).toEqual({ n: 1 });
          expect((await store.save(key, makeRecord({ n: 2 }), loaded.version)).ok).toBe(true);
          await store.delete(key);
          expect(await store.load(key, new Date())).toBeNull();
          expect(errors.length).toBeGreaterThanOrEqual(4);
          expect(errors).toContain("load");
          expect(errors).toContain("save");
        } finally {
          dead.disconnect();
          await t.dispose();
        }
      });
    });
  }
}

