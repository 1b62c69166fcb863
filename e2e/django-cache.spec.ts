// Django's cache session engine on Redis, and SessionScope attached to the
// Django site: the site (Django 3.2 with django-redis, Django 4.2 with its own
// RedisCache) keeps its sessions only in Redis, under a non-default
// KEY_PREFIX and VERSION; SessionScope runs in attach mode on the database
// Django migrated, with SESSION_ENGINE=cache and the same Redis settings.
// A session only Django ever touched is listed in the dashboard with its user
// and decoded data within seconds, a kill there ends it under Django's key,
// and a SessionScope login is a Django login with the same cookie.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "@playwright/test";
import { Redis } from "ioredis";
// @ts-expect-error: plain JavaScript module shared with scripts/test.mjs
import { startRedis } from "../test/services/services.mjs";
import { createEmptyDatabase, migrateDjangoSite, type DjangoDatabase } from "../test/helpers/django-database";
import { DJANGO_VERSIONS, djangoSiteAvailable, startDjangoSite, type DjangoSite, type DjangoVersion } from "../test/helpers/django-site";
import { closeBrowsersAfterEach, fetchFromPage, newBrowser, rowsOf } from "./support/admin";
import { logInOnDjango, whoAmI, type Service } from "./support/django";
import { startAppServer, type AppServer } from "./support/app-server";
import { logIn } from "./shop-helpers";

const SECRET_KEY = "django-cache-spec-secret-0123456789-abcdefghijklmnopqrstuvwxyz-shared";
const PASSWORD = "correct-horse-battery-7";
/** SessionScope's PBKDF2 work factor: neither side re-hashes a password at login. */
const ITERATIONS = 600_000;
const KEY_PREFIX = "site-eu";
const VERSION = 7;
const djangoKey = (sessionKey: string) => `${KEY_PREFIX}:${VERSION}:django.contrib.sessions.cache${sessionKey}`;
const ADMIN = "cache-admin";
const root = fileURLToPath(new URL("..", import.meta.url));

test.describe.configure({ mode: "serial" });
closeBrowsersAfterEach();

test.describe("Django's cache engine on Redis, SessionScope attached", () => {
  const started: Service[] = [];
  const sites = new Map<DjangoVersion, DjangoSite>();
  let app: AppServer | undefined;
  let database: DjangoDatabase | undefined;
  let redis: Redis | undefined;
  let users = 0;

  test.beforeAll(async () => {
    test.setTimeout(240_000);
    let redisUrl = process.env.SESSIONSCOPE_TEST_REDIS_URL;
    if (!redisUrl) {
      const server = (await startRedis()) as Service | null;
      if (!server && process.env.CI === "true") throw new Error("CI=true: redis-server must be installed");
      test.skip(!server, "redis-server is not installed");
      started.push(server!);
      redisUrl = server!.url;
    }
    // Redis database 14: apart from the other specs' (5, 6, 10-13).
    const cacheUrl = `${redisUrl}/14`;
    redis = new Redis(cacheUrl);
    await redis.flushdb();
    database = await createEmptyDatabase("sqlite");
    migrateDjangoSite(database);
    const env = {
      DATABASE_URL: database.url,
      SESSIONSCOPE_ATTACH: "django",
      // The login form lives in the reference shop.
      SESSIONSCOPE_ATTACH_SHOP: "1",
      SESSION_SECRET_KEY: SECRET_KEY,
      SESSION_ENGINE: "django.contrib.sessions.backends.cache",
      REDIS_URL: cacheUrl,
      CACHE_KEY_PREFIX: KEY_PREFIX,
      CACHE_VERSION: String(VERSION),
    };
    for (const version of DJANGO_VERSIONS) {
      if (!djangoSiteAvailable(version)) continue;
      sites.set(version, await startDjangoSite({ version, databaseUrl: database.url, secretKey: SECRET_KEY, engine: "cache", cacheUrl, cacheKeyPrefix: KEY_PREFIX, cacheVersion: VERSION, pbkdf2Iterations: ITERATIONS }));
    }
    const first = sites.values().next().value;
    test.skip(!first, "no Django version is available");
    // The dashboard's admin is one of the Django site's users, given the role as an operator would.
    first!.createUser(ADMIN, PASSWORD);
    app = await startAppServer(env);
    const grant = spawnSync(process.execPath, [join(root, "bin", "sessionscope.js"), "role", "grant", ADMIN, "admin"], { cwd: root, env: { ...process.env, ...env }, encoding: "utf8" });
    if (grant.status !== 0) throw new Error(`role grant failed: ${grant.stderr}`);
  });

  test.afterAll(async () => {
    await Promise.all([...sites.values()].map((site) => site.stop()));
    await app?.stop();
    redis?.disconnect();
    await database?.dispose();
    for (const service of started) service.stop();
  });

  for (const version of DJANGO_VERSIONS) {
    const site = () => {
      const found = sites.get(version);
      test.skip(!found, `Django ${version} is not available`);
      return found!;
    };
    const newUser = (django: DjangoSite) => {
      const username = `djcache${version.replace(".", "")}-${++users}`;
      django.createUser(username, PASSWORD);
      return username;
    };

    test(`Django ${version}: a session only Django touched is listed with its user and data, and a kill there signs it out of Django`, async ({ browser }) => {
      const django = site();
      const username = newUser(django);
      const user = await newBrowser(browser, { baseURL: app!.url });
      await logInOnDjango(user, django, username, PASSWORD);
      const { session_key: sessionKey } = await whoAmI(user, django);
      expect(await redis!.exists(djangoKey(sessionKey!))).toBe(1);

      const admin = await newBrowser(browser, { baseURL: app!.url });
      await logIn(admin, ADMIN, PASSWORD);
      // Listing runs the cache index's pass first: the session shows up within seconds, not at the next minute.
      let id = "";
      await expect
        .poll(
          async () => {
            const { json } = await fetchFromPage(admin, "GET", `/api/admin/sessions?user=${username}`);
            id = (json as { items: Array<{ id: string }> }).items[0]?.id ?? "";
            return id;
          },
          { timeout: 5_000 },
        )
        .not.toBe("");
      await admin.goto(`/admin/sessions?user=${username}`);
      await expect(rowsOf(admin, username)).toHaveCount(1);
      const detail = await fetchFromPage(admin, "GET", `/api/admin/sessions/${id}`);
      expect(detail.json).toMatchObject({
        engine: "cache",
        user: { username },
        flags: [],
        signature: { state: "unsigned_cache_entry" },
        data: { _auth_user_id: expect.any(String), _auth_user_backend: "django.contrib.auth.backends.ModelBackend" },
      });

      const killed = await fetchFromPage(admin, "DELETE", `/api/admin/sessions/${id}`);
      expect(killed).toMatchObject({ status: 200, json: { revoked: 1 } });
      expect(await redis!.exists(djangoKey(sessionKey!))).toBe(0);
      expect(await whoAmI(user, django)).toMatchObject({ authenticated: false, username: null });
    });

    test(`Django ${version}: a SessionScope login is accepted by Django with the same cookie`, async ({ browser }) => {
      const django = site();
      const username = newUser(django);
      const user = await newBrowser(browser, { baseURL: app!.url });
      await logIn(user, username, PASSWORD);
      const cookie = (await user.context().cookies()).find((c) => c.name === "sessionid")?.value;
      expect(await redis!.exists(djangoKey(cookie!))).toBe(1);
      expect(await whoAmI(user, django)).toEqual({ authenticated: true, username, session_key: cookie, django: expect.stringMatching(new RegExp(`^${version}\\.`)) });
    });
  }
});
