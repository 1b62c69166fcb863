// A cookie that cannot be a session key never reaches Redis: no lease, no
// lookup, no key holding what the cookie held (cache and cached_db engines).
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCachedDbStore, createRedisStore, createSessionCodec, createSqliteStore, Session, type SessionStore } from "../../lib/session/index.ts";
import { createSqliteDatabase, type TestDatabase } from "../helpers/databases.ts";
import { serviceUrl } from "../helpers/services.ts";

const redisUrl = serviceUrl("redis");
const codec = createSessionCodec({ secretKey: "session-key-shape-integration" });
const MARKER = "zqjunkmarker";
const JUNK = [`${MARKER}-with-dash`, `${MARKER}*`, `{${MARKER}}`, `${MARKER}\r\nFLUSHALL`, `${MARKER}`.toUpperCase() + "X", `${MARKER}${"9".repeat(40)}`];

describe.skipIf(redisUrl === null)("impossible session keys on a real Redis", () => {
  let redis: Redis;
  let sqlite: TestDatabase;
  let engines: Array<[string, SessionStore]>;

  beforeAll(async () => {
    redis = new Redis(`${redisUrl}/12`, { maxRetriesPerRequest: 1 });
    sqlite = await createSqliteDatabase();
    if (sqlite.db.provider !== "sqlite") throw new Error("expected SQLite");
    const db = createSqliteStore(sqlite.db.sqlite, { metaEngine: "cached_db" });
    engines = [
      ["cache", createRedisStore(redis)],
      ["cached_db", createCachedDbStore(db, redis, { decode: () => null })],
    ];
  });
  afterAll(async () => {
    redis.disconnect();
    await sqlite.dispose();
  });

  const keysWithMarker = async () => (await redis.keys("*")).filter((k) => k.toLowerCase().includes(MARKER));

  it("loading them touches no Redis key and gives an empty session", async () => {
    for (const [name, store] of engines) {
      await redis.flushdb();
      for (const key of JUNK) {
        const session = await new Session({ key, store, codec }).load();
        expect(session.key, `${name} ${JSON.stringify(key)}`).toBeNull();
      }
      expect(await keysWithMarker(), name).toEqual([]);
      expect(await redis.dbsize(), name).toBe(0);
    }
  });

  it("a well-formed unknown key does reach cached_db, which leases it (the check above can see keys)", async () => {
    await redis.flushdb();
    const store = engines.find(([name]) => name === "cached_db")![1];
    const key = `${MARKER}0123456789`;
    expect((await new Session({ key, store, codec }).load()).key).toBeNull();
    expect(await keysWithMarker()).toEqual([`sessionscope:cached_db:lease:${key}`]);
  });
});
