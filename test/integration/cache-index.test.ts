// Sessions a Django site wrote into the shared Redis (the cache engine)
// join SessionScope's index: user, estimated creation, undecodable entries
// listed as such, the site's KEY_PREFIX and VERSION respected, passes that
// add nothing twice and lose nothing to entries expiring meanwhile; kills end
// them under Django's own keys, for cache and for cached_db.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { Redis } from "ioredis";
import { afterEach, beforeEach, expect, it } from "vitest";
import { runDjangoBackfill } from "../../cli/django.ts";
import type { CliIo } from "../../cli/io.ts";
import { createCacheIndexScheduler } from "../../lib/node/admin/cache-backfill.ts";
import { createDjangoCacheIndexer, createRedisStore, dumpsPickle, type DjangoCacheIndexOptions } from "../../lib/session/index.ts";
import { DATABASES, engines, openRedis, openSqlStore, TEST_CODEC } from "../helpers/backends.ts";
import { makeRecord, newKey } from "../contract/store-contract.ts";
import { createTestClock } from "../helpers/clock.ts";
import type { TestDatabase } from "../helpers/databases.ts";
import { describeWithServices } from "../helpers/register.ts";
import { requireServiceUrl } from "../helpers/services.ts";

const SITE = { keyPrefix: "shop-eu", version: 3 } as const;
const COOKIE_AGE = 1_209_600;
const OPTIONS: DjangoCacheIndexOptions = { ...SITE, cookieAge: COOKIE_AGE };
const djangoKey = (key: string, name = "cache", site: { keyPrefix: string; version: number } = SITE) =>
  `${site.keyPrefix}:${site.version}:django.contrib.sessions.${name}${key}`;
const HOUR = 3_600_000;

/** Writes a session entry the way Django's cache backend does: the pickled dict under Django's key, with its TTL. */
async function writeDjangoEntry(client: Redis, data: Record<string, unknown> | Buffer, ttlMs: number, key = newKey(), name = "cache"): Promise<string> {
  await client.set(djangoKey(key, name), Buffer.isBuffer(data) ? data : dumpsPickle(data), "PX", ttlMs);
  return key;
}

/** Python's own pickle of a session dict (protocol 5, as Django's RedisCache writes it), when /usr/bin/python3 is there. */
function pythonPickle(): Buffer | null {
  if (!existsSync("/usr/bin/python3")) return null;
  const code = "import pickle, sys; sys.stdout.buffer.write(pickle.dumps({'_auth_user_id': '7', 'cart': [1, 2.5, 'mug'], 'n': 2**70, 'ok': True, 'none': None}, 5))";
  const result = spawnSync("/usr/bin/python3", ["-c", code]);
  return result.status === 0 ? result.stdout : null;
}

describeWithServices("indexing the cache entries a Django site wrote", ["redis"], () => {
  let client: Redis;
  beforeEach(async () => {
    client = await openRedis();
  });
  afterEach(() => client.disconnect());

  it("lists them with their user, estimated creation and decoded data; undecodable ones are listed as such; other prefixes and versions are left alone", async () => {
    const ada = await writeDjangoEntry(client, { _auth_user_id: "42", cart: [3] }, 2 * HOUR);
    const anonymous = await writeDjangoEntry(client, { cart: [] }, 3 * HOUR);
    const broken = await writeDjangoEntry(client, Buffer.from("not a pickle at all"), HOUR);
    const fromPython = pythonPickle();
    const python = fromPython ? await writeDjangoEntry(client, fromPython, HOUR) : null;
    // Another site's prefix, another version, and this site's cached_db entries: not this engine's sessions.
    const otherSite = newKey();
    await client.set(djangoKey(otherSite, "cache", { keyPrefix: "", version: 1 }), dumpsPickle({ _auth_user_id: "1" }), "PX", HOUR);
    await client.set(djangoKey(otherSite, "cache", { ...SITE, version: 4 }), dumpsPickle({ _auth_user_id: "1" }), "PX", HOUR);
    await writeDjangoEntry(client, { _auth_user_id: "1" }, HOUR, otherSite, "cached_db");

    const store = createRedisStore(client, SITE);
    const before = Date.now();
    expect((await store.list({}, { limit: 10 }, new Date())).items).toEqual([]);

    const result = await createDjangoCacheIndexer(client, OPTIONS).run();
    const expected = python ? 4 : 3;
    expect(result).toEqual({ scanned: expected, indexed: expected, undecodable: 1, gone: 0, changed: 0, removed: 0 });

    const { items } = await store.list({}, { limit: 10 }, new Date());
    expect(new Set(items.map((i) => i.key))).toEqual(new Set([ada, anonymous, broken, ...(python ? [python] : [])]));
    const item = (key: string) => items.find((i) => i.key === key)!;
    expect(item(ada)).toMatchObject({ userId: "42", publicId: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/) });
    expect(item(anonymous).userId).toBeNull();
    // Creation is estimated as expiry minus SESSION_COOKIE_AGE (to the PTTL read's millisecond).
    const adaExpiry = item(ada).expireDate.getTime();
    expect(adaExpiry).toBeGreaterThanOrEqual(before + 2 * HOUR - 1000);
    expect(Math.abs(item(ada).createdAt!.getTime() - (adaExpiry - COOKIE_AGE * 1000))).toBeLessThan(1000);
    expect(await client.hget(`sessionscope:cache:meta:${ada}`, "e")).toBe("1");
    // The undecodable one is recorded as such and, as the dashboard tells it, does not load.
    expect(await client.hget(`sessionscope:cache:meta:${broken}`, "x")).toBe("1");
    expect(await store.load(broken, new Date())).toBeNull();
    expect(await store.exists(broken)).toBe(true);
    if (python) {
      expect(item(python).userId).toBe("7");
      expect(Object.fromEntries((await store.load(python, new Date()))!.data!)).toMatchObject({ _auth_user_id: "7", cart: [1, 2.5, "mug"], ok: true, none: null });
    }
    // The index entry lives exactly as long as Django's entry.
    expect(Math.abs((await client.pttl(`sessionscope:cache:meta:${ada}`)) - (await client.pttl(djangoKey(ada))))).toBeLessThan(1000);
    expect(await store.listByUser("42", new Date())).toHaveLength(1);

    // Django's entries are only read.
    expect(await client.getBuffer(djangoKey(ada))).toEqual(dumpsPickle({ _auth_user_id: "42", cart: [3] }));
    // A second pass finds nothing new.
    expect(await createDjangoCacheIndexer(client, OPTIONS).run()).toMatchObject({ scanned: expected, indexed: 0, undecodable: 0, removed: 0 });
    expect(await store.count({}, new Date())).toBe(expected);
  });

  it("skips entries that expire or change between the read and the indexing, and takes a changed one on the next pass", async () => {
    const keys = [];
    for (let i = 0; i < 5; i++) keys.push(await writeDjangoEntry(client, { _auth_user_id: String(i + 1) }, HOUR));
    const indexer = createDjangoCacheIndexer(client, OPTIONS);
    const read = await indexer.readUnindexed(keys);
    expect(read).toHaveLength(5);
    await client.del(djangoKey(keys[0]!)); // Django's logout
    await client.pexpire(djangoKey(keys[1]!), 1); // Redis's expiry
    await writeDjangoEntry(client, { _auth_user_id: "3", cart: [1] }, HOUR, keys[2]); // a request saved it again
    await new Promise((resolve) => setTimeout(resolve, 20));

    expect(await indexer.index(read)).toEqual({ indexed: 2, undecodable: 0, gone: 2, changed: 1 });
    const store = createRedisStore(client, SITE);
    expect((await store.list({}, { limit: 10 }, new Date())).items.map((i) => i.key).sort()).toEqual([keys[3], keys[4]].sort());
    expect(await client.exists(`sessionscope:cache:meta:${keys[0]}`, `sessionscope:cache:meta:${keys[1]}`)).toBe(0);
    expect(await client.zcard("sessionscope:cache:created")).toBe(2);

    expect(await indexer.run()).toMatchObject({ scanned: 3, indexed: 1 });
    expect((await store.listByUser("3", new Date())).map((i) => i.key)).toEqual([keys[2]]);
  });

  it("gives way to SessionScope's own save of the same session, and drops index entries of sessions Django deleted", async () => {
    const clock = createTestClock();
    const store = createRedisStore(client, { ...SITE, clock });
    const key = await writeDjangoEntry(client, { _auth_user_id: "5" }, HOUR);
    const indexer = createDjangoCacheIndexer(client, OPTIONS);
    const read = await indexer.readUnindexed([key]);
    // The cookie came to SessionScope meanwhile, which saved the session (and indexed it exactly).
    const loaded = await store.load(key, clock());
    expect((await store.save(key, makeRecord(clock(), { _auth_user_id: "5", seen: 1 }, { userId: "5", createdAt: new Date(clock().getTime() - 60_000) }), loaded!.version)).ok).toBe(true);
    const exact = await client.hgetall(`sessionscope:cache:meta:${key}`);
    expect(await indexer.index(read)).toMatchObject({ indexed: 0 });
    expect(await client.hgetall(`sessionscope:cache:meta:${key}`)).toEqual(exact);

    // Django's logout deletes its entry: the next pass drops the index entries with it.
    const other = await writeDjangoEntry(client, { _auth_user_id: "5" }, HOUR);
    await indexer.run();
    expect(await store.count({ userId: "5" }, clock())).toBe(2);
    await client.del(djangoKey(other));
    expect(await indexer.run()).toMatchObject({ removed: 1, indexed: 0 });
    expect(await client.smembers("sessionscope:cache:user:5")).toEqual([key]);
    expect(await client.zrange("sessionscope:cache:created", "0", "-1")).toEqual([key]);
  });

  it("kills a Django-written session under Django's key: by key, by user, and issued before a moment", async () => {
    const store = createRedisStore(client, SITE);
    const one = await writeDjangoEntry(client, { _auth_user_id: "8" }, HOUR);
    const two = await writeDjangoEntry(client, { _auth_user_id: "9" }, HOUR);
    const three = await writeDjangoEntry(client, { _auth_user_id: "9" }, 2 * HOUR);
    const old = await writeDjangoEntry(client, { _auth_user_id: "10" }, 60_000); // estimated creation: about two weeks ago
    await createDjangoCacheIndexer(client, OPTIONS).run();

    expect(await store.kill({ keys: [one] })).toMatchObject({ deleted: 1, keys: [one] });
    expect(await client.exists(djangoKey(one))).toBe(0);
    expect([...(await store.kill({ userId: "9" })).keys].sort()).toEqual([two, three].sort());
    expect(await client.exists(djangoKey(two), djangoKey(three))).toBe(0);
    expect(await store.kill({ issuedBefore: new Date(Date.now() - COOKIE_AGE * 1000 + 10 * 60_000) })).toMatchObject({ deleted: 1, keys: [old] });
    expect(await client.exists(djangoKey(old))).toBe(0);
    expect(await client.zcard("sessionscope:cache:created")).toBe(0);
  });

  it("runs one pass at a time, and a nudge right after a pass starts none", async () => {
    let passes = 0;
    const indexer = createDjangoCacheIndexer(client, OPTIONS);
    const scheduler = createCacheIndexScheduler({ run: () => (passes++, indexer.run()) }, { minGapMs: 60_000 });
    await writeDjangoEntry(client, { _auth_user_id: "1" }, HOUR);
    await Promise.all([scheduler.nudge(5_000), scheduler.nudge(5_000), scheduler.pass()]);
    expect(passes).toBe(1);
    expect(await client.zcard("sessionscope:cache:created")).toBe(1);
    await writeDjangoEntry(client, { _auth_user_id: "2" }, HOUR);
    await scheduler.nudge(5_000);
    expect(passes).toBe(1);
    await scheduler.pass();
    expect(await client.zcard("sessionscope:cache:created")).toBe(2);
  });

  it("sessionscope django backfill indexes the cache engine's Django entries", async () => {
    await writeDjangoEntry(client, { _auth_user_id: "4" }, HOUR);
    await writeDjangoEntry(client, Buffer.from([0x80, 0x05, 0x63]), HOUR); // a pickle that would import something: refused, never run
    const out: string[] = [];
    const io: CliIo = { stdout: (line) => out.push(line), stderr: (line) => out.push(`ERR ${line}`), now: () => new Date() };
    const url = new URL(requireServiceUrl("redis"));
    const env = {
      SESSION_SECRET_KEY: "cli-cache-index-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
      SESSION_ENGINE: "django.contrib.sessions.backends.cache",
      REDIS_URL: url.toString(),
      CACHE_KEY_PREFIX: SITE.keyPrefix,
      CACHE_VERSION: String(SITE.version),
      DATABASE_URL: "file:/nonexistent/never-opened.db",
    };
    expect(await runDjangoBackfill([], env, io)).toBe(0);
    expect(out).toEqual(["Indexed 2 cache sessions a Django site wrote (1 undecodable) of 2 entries scanned; removed 0 index entries of deleted sessions."]);
    expect(await createRedisStore(client, SITE).count({ userId: "4" }, new Date())).toBe(1);
  });
});

for (const database of DATABASES) {
  describeWithServices(`cached_db on ${database.name}: a kill deletes Django's cache entry under its KEY_PREFIX and VERSION`, [...database.needs, "redis"], () => {
    let client: Redis;
    let t: TestDatabase;
    beforeEach(async () => {
      client = await openRedis();
      t = await database.open();
    });
    afterEach(async () => {
      client.disconnect();
      await t.dispose();
    });

    it("by key and by user", async () => {
      const clock = createTestClock();
      const db = openSqlStore(t, { clock, metaEngine: "cached_db" });
      const decode = (encoded: string) => {
        const result = TEST_CODEC.decode(encoded, new Date());
        return result.ok ? result.data : null;
      };
      const store = engines.cachedDb(db, client, { decode, clock, ...SITE });
      const keys = [newKey(), newKey()];
      for (const key of keys) {
        expect((await store.save(key, makeRecord(clock(), { _auth_user_id: "21" }, { userId: "21" }), null)).ok).toBe(true);
        // The Django site read the session and cached it under its own key, as Django's cached_db does.
        await client.set(djangoKey(key, "cached_db"), dumpsPickle({ _auth_user_id: "21" }), "EX", 3600);
      }
      // The default prefix and version are another site's: left alone.
      await client.set(`:1:django.contrib.sessions.cached_db${keys[0]}`, "other", "EX", 3600);

      expect(await store.kill({ keys: [keys[0]!] })).toMatchObject({ deleted: 1 });
      expect(await client.exists(djangoKey(keys[0]!, "cached_db"))).toBe(0);
      expect(await client.get(`:1:django.contrib.sessions.cached_db${keys[0]}`)).toBe("other");
      expect(await store.kill({ userId: "21" })).toMatchObject({ deleted: 1 });
      expect(await client.exists(djangoKey(keys[1]!, "cached_db"))).toBe(0);
    });
  });
}
