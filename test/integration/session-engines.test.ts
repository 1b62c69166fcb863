// The Session API on every engine, as an application uses it: the expiry
// rules (Django's, plus idle timeout and absolute lifetime) and the
// no-lost-update guarantee hold whatever stores the session.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createCachedDbStore, createFileStore, createPostgresStore, createRedisStore, createSessionCodec, createSignedCookieStore, createSqliteStore, DEFAULT_SESSION_POLICY, Session, type SessionPolicy, type SessionStore } from "../../lib/session/index.ts";
import { createPostgresDatabase, createSqliteDatabase } from "../helpers/databases.ts";
import { serviceUrl } from "../helpers/services.ts";

const SECRET = "session-engines-test-secret";
/** Registers a test only where it applies (signed cookies cannot merge; Redis expiry runs on its own clock). */
const itIf = (condition: boolean): typeof it => (condition ? it : ((() => {}) as unknown as typeof it));
const codec = createSessionCodec({ secretKey: SECRET });
const pgUrl = serviceUrl("postgresql");
const redisUrl = serviceUrl("redis");

interface Engine {
  readonly name: string;
  readonly available: boolean;
  /** Compare-and-swap saves (false for signed cookies, which hold the data client-side). */
  readonly atomic: boolean;
  /** Expiry runs on the server's own clock (Redis TTLs): these tests wait for real instead of moving an injected clock. */
  readonly realTime?: boolean;
  open(): Promise<{ store: SessionStore; dispose(): Promise<void> }>;
}

async function redis(db: number): Promise<Redis> {
  const client = new Redis(`${redisUrl}/${db}`, { maxRetriesPerRequest: 1 });
  await client.flushdb();
  return client;
}

const decode = (encoded: string) => {
  const result = codec.decode(encoded, new Date());
  return result.ok ? result.data : null;
};

const ENGINES: Engine[] = [
  {
    name: "db on SQLite",
    available: true,
    atomic: true,
    async open() {
      const t = await createSqliteDatabase();
      if (t.db.provider !== "sqlite") throw new Error("expected SQLite");
      return { store: createSqliteStore(t.db.sqlite), dispose: () => t.dispose() };
    },
  },
  {
    name: "db on PostgreSQL",
    available: pgUrl !== null,
    atomic: true,
    async open() {
      const t = await createPostgresDatabase(pgUrl!);
      if (t.db.provider !== "postgresql") throw new Error("expected PostgreSQL");
      return { store: createPostgresStore(t.db.pool), dispose: () => t.dispose() };
    },
  },
  {
    name: "cache on Redis",
    available: redisUrl !== null,
    atomic: true,
    realTime: true,
    async open() {
      const client = await redis(6);
      return { store: createRedisStore(client), dispose: async () => void client.disconnect() };
    },
  },
  {
    name: "cached_db on PostgreSQL + Redis",
    available: pgUrl !== null && redisUrl !== null,
    atomic: true,
    realTime: true,
    async open() {
      const t = await createPostgresDatabase(pgUrl!);
      if (t.db.provider !== "postgresql") throw new Error("expected PostgreSQL");
      const client = await redis(7);
      const store = createCachedDbStore(createPostgresStore(t.db.pool, { metaEngine: "cached_db" }), client, { decode });
      return { store, dispose: async () => (client.disconnect(), await t.dispose()) };
    },
  },
  {
    name: "file",
    available: true,
    atomic: true,
    async open() {
      const directory = await mkdtemp(join(tmpdir(), "sessionscope-session-files-"));
      return { store: createFileStore({ directory, cookieName: "sessionid", cookieAge: 1209600 }), dispose: () => rm(directory, { recursive: true, force: true }) };
    },
  },
  {
    name: "signed cookies",
    available: true,
    atomic: false,
    async open() {
      return { store: createSignedCookieStore({ secretKey: SECRET, maxAge: 1209600 }), dispose: async () => {} };
    },
  },
];

if (ENGINES.some((e) => !e.available)) {
  console.warn(`\n*** session-engines: SKIPPED ${ENGINES.filter((e) => !e.available).map((e) => e.name).join(", ")} (service not installed) ***\n`);
}

for (const engine of ENGINES.filter((e) => e.available)) {
  describe(`Session on ${engine.name}`, () => {
    let store: SessionStore;
    let dispose: () => Promise<void>;
    let now: number;
    const clock = () => new Date(now);
    const open = (key: string | null, policy: SessionPolicy = DEFAULT_SESSION_POLICY) =>
      new Session({ key, store, codec, policy, clock });
    // Real-time engines run the same scenarios 25 times faster, on the real clock.
    const scale = engine.realTime ? 20 : 1;
    const advance = async (seconds: number) => {
      if (engine.realTime) await new Promise((resolve) => setTimeout(resolve, (seconds * 1000) / scale));
      now = engine.realTime ? Date.now() : now + seconds * 1000;
    };

    beforeEach(async () => {
      ({ store, dispose } = await engine.open());
      now = Date.now();
    });
    afterEach(async () => {
      await dispose();
    });

    async function create(policy: SessionPolicy, values: Record<string, unknown>): Promise<string> {
      const session = await open(null, policy).load();
      session.update(values);
      await session.save();
      return session.key!;
    }

    it("ends a session after its absolute lifetime, however active it is", async () => {
      // Whole seconds: a lifetime of 100 (5 when real-time), activity every 30 (1.5).
      const policy = { ...DEFAULT_SESSION_POLICY, absoluteLifetimeSeconds: 100 / scale };
      let key = await create(policy, { user: "alice" });
      for (let step = 0; step < (engine.realTime ? 2 : 3); step++) {
        await advance(30);
        const session = await open(key, policy).load();
        expect(session.get("user")).toBe("alice");
        session.set("step", step);
        await session.save();
        key = session.key!;
      }
      await advance(engine.realTime ? 50 : 11); // past the lifetime
      const late = await open(key, policy).load();
      expect(late.key).toBeNull();
      expect(late.get("user")).toBeUndefined();
    });

    it("ends an idle session, and keeps a used one alive", async () => {
      const policy = { ...DEFAULT_SESSION_POLICY, idleTimeoutSeconds: engine.realTime ? 4 : 60 };
      let key = await create(policy, { user: "bob" });
      for (let step = 0; step < 3; step++) {
        await advance(engine.realTime ? 37.5 : 50);
        const session = await open(key, policy).load();
        expect(session.get("user")).toBe("bob");
        // A read-only request still records activity when the idle timeout is on.
        expect(session.needsSave()).toBe(true);
        await session.save();
        key = session.key!;
      }
      await advance(engine.realTime ? 100 : 61);
      expect((await open(key, policy).load()).get("user")).toBeUndefined();
    });

    itIf(!engine.realTime)("honours set_expiry: a shorter per-session age ends it sooner", async () => {
      const session = await open(null).load();
      session.set("user", "carol");
      session.setExpiry(30);
      await session.save();
      await advance(29);
      expect((await open(session.key).load()).get("user")).toBe("carol");
      await advance(2);
      const expired = await open(session.key).load();
      // Signed cookies ignore set_expiry on load, exactly as Django's backend (ticket #19201).
      expect(expired.get("user")).toBe(engine.atomic ? undefined : "carol");
    });

    itIf(engine.atomic)("loses no update: 50 concurrent requests that modify one session all persist", async () => {
      const key = await create(DEFAULT_SESSION_POLICY, { cart: { items: [] } });
      await Promise.all(
        Array.from({ length: 50 }, async (_, i) => {
          const session = await open(key).load();
          session.modify<{ items: number[] }>("cart", (cart) => ({ items: [...(cart?.items ?? []), i] }));
          session.set(`visited-${i % 5}`, true);
          await session.save();
        }),
      );
      const final = await open(key).load();
      expect((final.get("cart") as { items: number[] }).items.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
      expect(final.keys().filter((k) => k.startsWith("visited-")).sort()).toEqual(["visited-0", "visited-1", "visited-2", "visited-3", "visited-4"]);
    });
  });
}
