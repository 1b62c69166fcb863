// `sessionscope seed` writes sessions as the framework writes them: the site
// loads them, logged-in ones are logged in, expiry follows the live policy and
// Redis TTLs count from now. Its progress bar shows on a terminal, never in a pipe.
import { spawnSync } from "node:child_process";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDataContext, type DataContext } from "../../cli/context.ts";
import type { CliIo } from "../../cli/io.ts";
import { runSeed } from "../../cli/seed.ts";
import { CATALOGUE } from "../../lib/node/db/catalogue.ts";
import { CART_KEY, FLASH_KEY } from "../../lib/node/shop-keys.ts";
import {
  AUTH_BACKEND_KEY, CREATED_KEY, createSessionCodec, getSessionUser, AUTH_HASH_KEY, loadsPickle, MODEL_BACKEND, Session, AUTH_USER_ID_KEY, toSessionPolicy,
} from "../../lib/session/index.ts";
import { createSqliteDatabase, type TestDatabase } from "../helpers/databases.ts";
import { serviceUrl } from "../helpers/services.ts";

const SECRET = "cli-seed-test-secret-key";
const DAY_MS = 86_400_000;

function captureIo() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (line) => out.push(line), stderr: (line) => err.push(line), now: () => new Date() };
  return { io, out, err };
}

async function seed(env: Record<string, string>, argv: string[]): Promise<void> {
  const { io, out, err } = captureIo();
  expect(await runSeed(argv, env, io)).toBe(0);
  expect(err).toEqual([]);
  expect(out).toHaveLength(1);
}

function sqliteRows(t: TestDatabase): Array<{ session_key: string; expire_date: string }> {
  if (t.db.provider !== "sqlite") throw new Error("expected SQLite");
  return t.db.sqlite.prepare("SELECT session_key, expire_date FROM django_session").all() as Array<{ session_key: string; expire_date: string }>;
}

describe("seeded sessions through the framework (SQLite)", () => {
  let t: TestDatabase;
  let env: Record<string, string>;
  let context: DataContext;
  beforeAll(async () => {
    t = await createSqliteDatabase();
    env = { DATABASE_URL: t.url, SESSION_SECRET_KEY: SECRET };
    await seed(env, ["--sessions", "300", "--users", "5", "--expired", "20"]);
    context = await openDataContext(env);
  });
  afterAll(async () => {
    await context?.close();
    await t?.dispose();
  });

  it("loads the live ones with the shop's and the auth's keys, logged in as their seed user", async () => {
    const codec = createSessionCodec({ secretKey: SECRET });
    const users = new Map((await context.db.prisma.authUser.findMany()).map((u) => [String(u.id), u]));
    let live = 0;
    let loggedIn = 0;
    let carts = 0;
    let flashes = 0;
    for (const { session_key: key } of sqliteRows(t)) {
      const session = new Session({ key, store: context.store, codec, policy: toSessionPolicy(context.config) });
      await session.load();
      if (session.isEmpty()) continue;
      live++;
      expect(typeof session.get(CREATED_KEY)).toBe("number");
      expect(session.keys().every((k) => [CREATED_KEY, CART_KEY, FLASH_KEY, AUTH_USER_ID_KEY, AUTH_BACKEND_KEY, AUTH_HASH_KEY].includes(k))).toBe(true);
      const cart = session.get(CART_KEY) as { items: Array<{ productId: number; quantity: number }> } | undefined;
      if (cart) {
        carts++;
        expect(cart.items.every((i) => i.productId >= 1 && i.productId <= CATALOGUE.length && i.quantity >= 1)).toBe(true);
      }
      if (session.has(FLASH_KEY)) flashes++;
      if (session.has(AUTH_USER_ID_KEY)) {
        expect(session.get(AUTH_BACKEND_KEY)).toBe(MODEL_BACKEND);
        const user = await getSessionUser(session, async (id) => users.get(id) ?? null, { secretKey: SECRET }, { readOnly: true });
        expect(user?.username).toMatch(/^seed-user-000[1-5]$/);
        loggedIn++;
      }
    }
    // 20% expired: the other 240 load; about 60% of sessions are logged in, some have carts and flash messages.
    expect(live).toBe(240);
    expect(loggedIn).toBeGreaterThan(100);
    expect(loggedIn).toBeLessThan(200);
    expect(carts).toBeGreaterThan(100);
    expect(flashes).toBeGreaterThan(10);
  });
});

describe("seed follows the live policy", () => {
  let t: TestDatabase;
  afterAll(async () => {
    await t?.dispose();
  });

  it("expires sessions by the dashboard's cookie age, not the environment's", async () => {
    t = await createSqliteDatabase();
    await t.db.prisma.sessionPolicy.create({
      data: { id: 1, cookieAge: 3600, idleTimeoutSeconds: null, absoluteLifetimeSeconds: null, expireAtBrowserClose: false, updatedAt: new Date() },
    });
    const started = Date.now();
    await seed({ DATABASE_URL: t.url, SESSION_SECRET_KEY: SECRET }, ["--sessions", "200", "--users", "0", "--expired", "25"]);
    const expiries = sqliteRows(t).map((r) => Date.parse(r.expire_date.replace(" ", "T") + "Z"));
    expect(expiries).toHaveLength(200);
    expect(expiries.filter((e) => e <= started)).toHaveLength(50);
    expect(Math.max(...expiries)).toBeLessThanOrEqual(Date.now() + 3600_000);
    // Expired ones expired at most a week ago, as with the default policy.
    expect(Math.min(...expiries)).toBeGreaterThan(started - 7 * DAY_MS - 1000);
  });
});

describe.skipIf(serviceUrl("redis") === null)("seed on the cache engine (Redis)", () => {
  let t: TestDatabase;
  let redis: Redis;
  beforeAll(async () => {
    t = await createSqliteDatabase();
    redis = new Redis(serviceUrl("redis")!, { maxRetriesPerRequest: 1 });
    await redis.flushdb();
  });
  afterAll(async () => {
    redis?.disconnect();
    await t?.dispose();
  });

  it("gives each entry a TTL counted from now: the rest of its life, or nothing for an expired one", async () => {
    const env = { DATABASE_URL: t.url, SESSION_SECRET_KEY: SECRET, SESSION_ENGINE: "cache", REDIS_URL: serviceUrl("redis")! };
    await seed(env, ["--sessions", "200", "--users", "3", "--expired", "50"]);
    const keys = await redis.keys(":1:django.contrib.sessions.cache*");
    let live = 0;
    for (const key of keys) {
      const [bytes, pttl] = await Promise.all([redis.getBuffer(key), redis.pttl(key)]);
      if (bytes === null) continue; // an expired one, gone already
      const created = loadsPickle(bytes).get(CREATED_KEY) as number;
      const remaining = created * 1000 + 1_209_600_000 - Date.now();
      if (remaining <= 0) {
        expect(pttl).toBeLessThanOrEqual(1000);
        continue;
      }
      live++;
      expect(Math.abs(pttl - remaining)).toBeLessThan(3000);
    }
    expect(live).toBe(100);
  });
});

describe("progress on the command line", () => {
  let t: TestDatabase;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    t = await createSqliteDatabase();
    env = { ...process.env, DATABASE_URL: t.url, SESSION_SECRET_KEY: SECRET };
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it("prints only the final line into a pipe", () => {
    const result = spawnSync("node", ["bin/sessionscope.js", "seed", "--sessions", "300", "--users", "0"], { encoding: "utf8", env });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(/^Wrote 300 sessions to the db engine in [\d.]+ s \(0 users, 10% expired\)\.\n$/);
  });

  it("draws the bar on a terminal, then the same final line", () => {
    // script(1) runs the command on a real pseudo-terminal.
    const result = spawnSync("script", ["-qec", "node bin/sessionscope.js seed --sessions 300 --users 0", "/dev/null"], { encoding: "utf8", env });
    expect(result.status, result.stdout).toBe(0);
    expect(result.stdout).toMatch(/Seeding sessions \[[#.]{30}\] +\d+% [\d,]+/);
    expect(result.stdout).toMatch(/\x1b\[2KWrote 300 sessions to the db engine in [\d.]+ s \(0 users, 10% expired\)\.\r?\n$/);
  });
});
