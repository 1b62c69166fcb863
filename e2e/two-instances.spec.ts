// Two instances, one fleet: two `next start` on one PostgreSQL and one Redis
// (cached_db), as behind a load balancer. A kill on A ends the session when
// its browser next talks to B; a policy change on A is in force on B within
// 2 s; a login on B shows in a dashboard open on A within 2 s. Uses the run's
// PostgreSQL and Redis (npm test), or starts its own.
import { expect, test } from "@playwright/test";
import type { AdminPolicyView } from "../lib/admin-api";
// @ts-expect-error: plain JavaScript module shared with scripts/test.mjs
import { startPostgres, startRedis } from "../test/services/services.mjs";
import { closeBrowsersAfterEach, expectSignedOut, fetchFromPage, newBrowser } from "./support/admin";
import { createPostgresDatabase, startAppServer, type AppServer } from "./support/app-server";
import { expectLive, matchingSessions, matchingText } from "./support/live";
import { logIn } from "./shop-helpers";

interface Service {
  readonly url: string;
  stop(): void;
}

closeBrowsersAfterEach();

test.describe("two instances on one PostgreSQL and one Redis", () => {
  const started: Service[] = [];
  let database: { url: string; drop(): Promise<void> };
  let redisUrl: string;
  let a: AppServer;
  let b: AppServer;

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    let pgUrl = process.env.SESSIONSCOPE_TEST_PG_URL;
    redisUrl = process.env.SESSIONSCOPE_TEST_REDIS_URL ?? "";
    if (!pgUrl || !redisUrl) {
      const postgres = (await startPostgres()) as Service | null;
      const redis = (await startRedis()) as Service | null;
      started.push(...[postgres, redis].filter((service): service is Service => service !== null));
      test.skip((!postgres || !redis) && process.env.CI !== "true", "postgresql and redis-server are not installed");
      if (!postgres || !redis) throw new Error("CI=true: postgresql and redis-server must be installed");
      pgUrl = postgres.url;
      redisUrl = redis.url;
    }
    database = await createPostgresDatabase(pgUrl);
    const env = { DATABASE_URL: database.url, SESSION_ENGINE: "cached_db", REDIS_URL: `${redisUrl}/6` };
    a = await startAppServer(env);
    b = await startAppServer(env); // its set-up finds the database migrated and seeded
  });

  test.afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await database?.drop().catch(() => {});
    for (const service of started) service.stop();
  });

  test("a session killed on A is over when its browser next talks to B", async ({ browser }) => {
    const alice = await newBrowser(browser, { baseURL: b.url });
    await logIn(alice, "alice");
    const { json } = await fetchFromPage(alice, "GET", "/api/auth/me");
    const aliceId = (json as { user: { id: number } }).user.id;

    const admin = await newBrowser(browser, { baseURL: a.url });
    await logIn(admin, "admin");
    const killed = await fetchFromPage(admin, "POST", "/api/admin/sessions/revoke", { userId: aliceId });
    expect(killed).toMatchObject({ status: 200, json: { revoked: expect.any(Number) } });
    expect((killed.json as { revoked: number }).revoked).toBeGreaterThanOrEqual(1);

    await expectSignedOut(alice);
  });

  test("a login on B shows in a sessions list open on A within 2 s", async ({ browser }) => {
    const admin = await newBrowser(browser, { baseURL: a.url });
    await logIn(admin, "security");
    await admin.goto("/admin/sessions?user=bob");
    await expectLive(admin);
    const before = await matchingSessions(admin);

    const bob = await newBrowser(browser, { baseURL: b.url });
    await logIn(bob, "bob");
    await expect(admin.getByText(matchingText(before + 1))).toBeVisible({ timeout: 2_000 });
  });

  test("a policy change saved on A is in force on B within 2 s", async ({ browser, request }) => {
    const cookieMaxAge = async () => {
      const response = await request.post(`${b.url}/api/auth/login`, {
        data: { username: "viewer", password: "demo-viewer" },
        headers: { Origin: b.url },
      });
      expect(response.status()).toBe(200);
      return Number(/Max-Age=(\d+)/i.exec(response.headers()["set-cookie"] ?? "")?.[1]);
    };
    expect(await cookieMaxAge()).toBe(1_209_600); // B has read (and cached) the default policy

    const admin = await newBrowser(browser, { baseURL: a.url });
    await logIn(admin, "admin");
    const original = (await fetchFromPage(admin, "GET", "/api/admin/policy")).json as AdminPolicyView;
    const saved = await fetchFromPage(admin, "PUT", "/api/admin/policy", { ...original.policy, cookieAge: 600, version: original.version });
    expect(saved.status).toBe(200);
    const changedAt = Date.now();
    try {
      await expect.poll(cookieMaxAge, { timeout: 2_000, intervals: [100] }).toBe(600);
      expect(Date.now() - changedAt).toBeLessThan(2_000);
    } finally {
      const now = (await fetchFromPage(admin, "GET", "/api/admin/policy")).json as AdminPolicyView;
      await fetchFromPage(admin, "PUT", "/api/admin/policy", { ...original.policy, version: now.version });
    }
  });
});
