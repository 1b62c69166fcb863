// A real Django site (3.2 and 4.2) and SessionScope attached to its database
// (SESSIONSCOPE_ATTACH=django): an empty database migrated by Django's own
// `manage.py migrate`, SessionScope adding only its own tables, a dashboard
// admin who is a Django user. One secret key, one cookie name, both on
// 127.0.0.1 (cookies are per host, not per port, so one browser carries its
// session to both). On SQLite and PostgreSQL, with Django's db and cached_db
// engines; each Django at its own PBKDF2 work factor, SessionScope set to match.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test, type Page } from "@playwright/test";
// @ts-expect-error: plain JavaScript module shared with scripts/test.mjs
import { startPostgres, startRedis } from "../test/services/services.mjs";
import { DJANGO_PBKDF2_ITERATIONS, DJANGO_VERSIONS, djangoSiteAvailable, migrateWithDjango, startDjangoSite, type DjangoSite, type DjangoVersion } from "../test/helpers/django-site";
import type { AdminSessionDetail, AdminSessionPage } from "../lib/admin-api";
import { closeBrowsersAfterEach, expectSignedOut, fetchFromPage, keepScreenshot, newBrowser, rowsOf } from "./support/admin";
import { createPostgresDatabase, startAppServer, type AppServer } from "./support/app-server";
import { logIn } from "./shop-helpers";

interface Service {
  readonly url: string;
  stop(): void;
}
interface WhoAmI {
  authenticated: boolean;
  username: string | null;
  session_key: string | null;
  django: string;
}

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SECRET_KEY = "django-site-spec-secret-0123456789-abcdefghijklmnopqrstuvwxyz-shared";
const PASSWORD = "correct-horse-battery-1";
const COOKIE_AGE_MS = 1_209_600_000; // Django's SESSION_COOKIE_AGE, both sides' default

test.describe.configure({ mode: "serial" });
closeBrowsersAfterEach();

/** `npx sessionscope …` with the attached SessionScope's variables. */
function sessionscope(args: string[], env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(ROOT, "bin", "sessionscope.js"), ...args], {
    cwd: ROOT,
    env: { NODE_ENV: "test", PATH: process.env.PATH, NEXT_TELEMETRY_DISABLED: "1", CHECKPOINT_DISABLE: "1", ...env },
    encoding: "utf8",
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Logs in through the Django site's form; the browser keeps the cookie for both sites. */
async function logInOnDjango(page: Page, site: DjangoSite, username: string, password = PASSWORD): Promise<void> {
  await page.goto(`${site.url}/login/`);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in to Django" }).click();
  await expect(page.locator("body")).toContainText(`"username": "${username}"`);
}

async function whoAmI(page: Page, site: DjangoSite): Promise<WhoAmI> {
  const response = await page.context().request.get(`${site.url}/whoami/`);
  expect(response.ok()).toBe(true);
  return (await response.json()) as WhoAmI;
}

/** Changes the password (from PASSWORD) on SessionScope's account page; this session is kept. */
async function changePasswordOnSessionScope(page: Page, newPassword: string): Promise<void> {
  await page.goto("/account/password");
  await page.getByLabel("Current password").fill(PASSWORD);
  await page.getByLabel("New password", { exact: true }).fill(newPassword);
  await page.getByLabel("Confirm new password").fill(newPassword);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByRole("status")).toContainText("other sessions were signed out; this one was kept");
}

type Check = "listed-and-killed" | "login-accepted" | "password-on-django" | "password-on-sessionscope";
const EVERY_CHECK: readonly Check[] = ["listed-and-killed", "login-accepted", "password-on-django", "password-on-sessionscope"];

/**
 * Every check on SQLite with the db engine, under both Djangos (with the `django check` and
 * no-shop tests): what differs between 3.2 and 4.2 (hashes, work factors) does not depend on the
 * database or the engine, and the integration suite reads 3.2's cache entries. Elsewhere, under
 * 4.2, the checks the database or the engine changes: the dashboard's reading and killing of
 * Django's sessions and Django accepting SessionScope's, on both, and a password change on
 * SessionScope ending Django's sessions, where cached_db must also drop them from the cache. A
 * password changed on Django is checked by SessionScope against auth_user on its next request,
 * the same on every engine. The run's time stays in bounds.
 */
const setups = [
  { database: "sqlite", engine: "db", versions: DJANGO_VERSIONS, checks: EVERY_CHECK },
  { database: "postgresql", engine: "db", versions: ["4.2"], checks: ["listed-and-killed", "login-accepted"] },
  { database: "postgresql", engine: "cached_db", versions: ["4.2"], checks: ["listed-and-killed", "login-accepted", "password-on-sessionscope"] },
] as const satisfies ReadonlyArray<{ database: string; engine: string; versions: readonly string[]; checks: readonly Check[] }>;

for (const [index, { database, engine, versions, checks }] of setups.entries()) {
  const runs = (check: Check) => (checks as readonly Check[]).includes(check);
  for (const [versionIndex, version] of DJANGO_VERSIONS.entries()) {
    if (!(versions as readonly string[]).includes(version)) continue;
    test.describe(`Django ${version} and SessionScope attached on ${database}, ${engine} engine`, () => {
      const started: Service[] = [];
      let django: DjangoSite | undefined;
      let app: AppServer;
      let env: Record<string, string>;
      let dropDatabase = async () => {};
      let folder: string | undefined;
      let users = 0;
      const admin = `djadmin${version.replace(".", "")}`;

      test.beforeAll(async () => {
        test.setTimeout(240_000);
        test.skip(!djangoSiteAvailable(version as DjangoVersion), `Django ${version} is not available`);
        const needsPostgres = database === "postgresql";
        const needsRedis = engine === "cached_db";
        /** The test run's server, or one started for this suite (missing: a failure under CI=true, else a skip). */
        const service = async (given: string | undefined, name: string, start: () => Promise<unknown>): Promise<string> => {
          if (given) return given;
          const running = (await start()) as Service | null;
          if (!running && process.env.CI === "true") throw new Error(`CI=true: ${name} must be installed`);
          test.skip(!running, `${name} is not installed`);
          started.push(running!);
          return running!.url;
        };
        const pgUrl = needsPostgres ? await service(process.env.SESSIONSCOPE_TEST_PG_URL, "postgresql", startPostgres) : undefined;
        const redisUrl = needsRedis ? await service(process.env.SESSIONSCOPE_TEST_REDIS_URL, "redis-server", startRedis) : undefined;
        let databaseUrl: string;
        if (needsPostgres) {
          const created = await createPostgresDatabase(pgUrl!);
          dropDatabase = created.drop;
          databaseUrl = created.url;
        } else {
          folder = mkdtempSync(join(tmpdir(), "sessionscope-django-"));
          databaseUrl = `file:${join(folder, "db.sqlite3")}`;
        }
        // The site's database as Django makes it: SessionScope has never touched it.
        migrateWithDjango(version, databaseUrl);
        // Redis databases 10-15 (of 0-15): apart from the other specs' (5, 6).
        const cacheUrl = needsRedis ? `${redisUrl}/${8 + index * 2 + versionIndex}` : undefined;
        env = {
          SESSIONSCOPE_ATTACH: "django",
          DATABASE_URL: databaseUrl,
          SESSION_SECRET_KEY: SECRET_KEY,
          SESSION_ENGINE: engine,
          PASSWORD_PBKDF2_ITERATIONS: String(DJANGO_PBKDF2_ITERATIONS[version]),
          ...(cacheUrl && { REDIS_URL: cacheUrl }),
        };
        django = await startDjangoSite({ version, databaseUrl, secretKey: SECRET_KEY, engine, cacheUrl });
        app = await startAppServer(env);
        // The dashboard's admin is a Django user, given the role from the command line.
        django.createUser(admin, PASSWORD);
        const granted = sessionscope(["role", "grant", admin, "admin"], env);
        expect(granted.stderr).toBe("");
        expect(granted.status).toBe(0);
      });

      test.afterAll(async () => {
        await django?.stop();
        await app?.stop();
        await dropDatabase().catch(() => {});
        if (folder) rmSync(folder, { recursive: true, force: true });
        for (const service of started) service.stop();
      });

      /** A new user, made by Django (its ORM and its default hasher) in the shared auth_user. */
      function newUser(): string {
        const username = `dj${version.replace(".", "")}-${engine.replace("_", "")}-${++users}`;
        django!.createUser(username, PASSWORD);
        return username;
      }

      async function adminBrowser(browser: Parameters<typeof newBrowser>[0], options: Parameters<typeof newBrowser>[1] = {}): Promise<Page> {
        const page = await newBrowser(browser, { baseURL: app.url, ...options });
        await logIn(page, admin, PASSWORD);
        return page;
      }

      if (runs("listed-and-killed")) test("a session only Django touched is listed with its user, data, expiry and estimated creation; killed, Django sees the next request as anonymous", async ({ browser }, testInfo) => {
        const username = newUser();
        const user = await newBrowser(browser, { baseURL: app.url });
        const loggedInAt = Date.now();
        await logInOnDjango(user, django!, username);
        const { session_key: key } = await whoAmI(user, django!);

        const dashboard = await adminBrowser(browser);
        await dashboard.goto(`/admin/sessions?user=${username}`);
        await expect(rowsOf(dashboard, username)).toHaveCount(1);
        await expect(rowsOf(dashboard, username).locator("time[data-estimated]")).toHaveText(/^≈ /);

        const { json: page } = await fetchFromPage(dashboard, "GET", `/api/admin/sessions?user=${username}`);
        const [row] = (page as AdminSessionPage).items;
        expect(row).toMatchObject({ user: { username }, engine, status: "active", createdEstimated: true, ip: null, device: null, flags: [] });
        // Django's expiry, and the creation estimated from it (the cookie age before).
        const expiresAt = Date.parse(row!.expiresAt);
        expect(expiresAt).toBeGreaterThanOrEqual(loggedInAt + COOKIE_AGE_MS - 5_000);
        expect(expiresAt).toBeLessThanOrEqual(Date.now() + COOKIE_AGE_MS + 5_000);
        expect(Date.parse(row!.createdAt!)).toBe(expiresAt - COOKIE_AGE_MS);

        const { json: detail } = await fetchFromPage(dashboard, "GET", `/api/admin/sessions/${row!.id}`);
        expect(detail).toMatchObject({ createdEstimated: true, signature: { state: "valid" }, data: { _auth_user_id: expect.stringMatching(/^\d+$/), _auth_user_backend: "django.contrib.auth.backends.ModelBackend" } });
        expect((detail as AdminSessionDetail).timeline.find((marker) => marker.kind === "created")).toMatchObject({ estimated: true });
        expect(JSON.stringify(detail)).not.toContain(key!);

        if (index === 0 && versionIndex === DJANGO_VERSIONS.length - 1) {
          for (const theme of ["light", "dark"] as const) {
            const shot = await adminBrowser(browser, theme === "dark" ? { colorScheme: "dark" } : {});
            if (theme === "dark") await shot.context().addCookies([{ name: "sessionscope-theme", value: "dark", url: app.url }]);
            await shot.goto(`/admin/sessions?user=${username}`);
            await expect(rowsOf(shot, username)).toHaveCount(1);
            await keepScreenshot(shot, testInfo, `django-session-list-${theme}`);
            await shot.goto(`/admin/sessions/${encodeURIComponent(row!.id)}`);
            await expect(shot.getByText("Created (estimated)")).toBeVisible();
            await keepScreenshot(shot, testInfo, `django-session-detail-${theme}`, { fullPage: true });
          }
        }

        const killed = await fetchFromPage(dashboard, "DELETE", `/api/admin/sessions/${row!.id}`);
        expect(killed).toMatchObject({ status: 200, json: { revoked: 1 } });
        expect(await whoAmI(user, django!)).toMatchObject({ authenticated: false, username: null });
      });

      if (runs("login-accepted")) test("a SessionScope login is accepted by Django with the same cookie", async ({ browser }) => {
        const username = newUser();
        const user = await newBrowser(browser, { baseURL: app.url });
        await logIn(user, username, PASSWORD);
        const cookie = (await user.context().cookies()).find((c) => c.name === "sessionid")?.value;
        expect(await whoAmI(user, django!)).toEqual({ authenticated: true, username, session_key: cookie, django: expect.stringMatching(new RegExp(`^${version}\\.`)) });
      });

      if (runs("password-on-django")) test("a password changed on Django signs out the user's SessionScope sessions", async ({ browser }) => {
        const username = newUser();
        const onShop = await newBrowser(browser, { baseURL: app.url });
        await logIn(onShop, username, PASSWORD);
        const onDjango = await newBrowser(browser, { baseURL: app.url });
        await logInOnDjango(onDjango, django!, username);
        // Both logins live side by side: the work factors match, so neither login re-hashed the password.
        await onShop.goto("/account");
        await expect(onShop).toHaveURL(/\/account$/);

        const changed = await onDjango.context().request.post(`${django!.url}/password/`, { form: { old_password: PASSWORD, new_password: "a-new-django-password-2" } });
        expect(await changed.json()).toMatchObject({ authenticated: true, username });

        await expectSignedOut(onShop);
        expect(await whoAmI(onDjango, django!)).toMatchObject({ authenticated: true, username });
      });

      if (runs("password-on-sessionscope")) test("a password changed on SessionScope signs out the user's Django sessions", async ({ browser }) => {
        const username = newUser();
        const onDjango = await newBrowser(browser, { baseURL: app.url });
        await logInOnDjango(onDjango, django!, username);
        const onShop = await newBrowser(browser, { baseURL: app.url });
        await logIn(onShop, username, PASSWORD);
        expect(await whoAmI(onDjango, django!)).toMatchObject({ authenticated: true, username }); // both logins live side by side

        await changePasswordOnSessionScope(onShop, "a-new-shop-password-3");

        expect(await whoAmI(onDjango, django!)).toMatchObject({ authenticated: false, username: null });
        expect(await whoAmI(onShop, django!)).toMatchObject({ authenticated: true, username });
      });

      if (index === 0) {
        test("django check reports the site's PBKDF2 work factor and warns when SessionScope's differs", async () => {
          const mismatched = version === "4.2" ? "260000" : "600000";
          const wrong = sessionscope(["django", "check"], { ...env, PASSWORD_PBKDF2_ITERATIONS: mismatched });
          expect(wrong.stdout).toMatch(new RegExp(`PBKDF2 iterations: \\d+ at ${DJANGO_PBKDF2_ITERATIONS[version]}; SessionScope hashes with ${mismatched}`));
          expect(wrong.stdout).toContain(`set PASSWORD_PBKDF2_ITERATIONS=${DJANGO_PBKDF2_ITERATIONS[version]}`);
          expect(wrong.status).toBe(0);
          const right = sessionscope(["django", "check"], env);
          expect(right.stdout).toContain("OK: ready to attach.");
          expect(right.stdout).not.toContain("warning");
          expect(right.status).toBe(0);
        });
      }

      if (index === 0 && versionIndex === 0) {
        test("without the shop's tables, login, account and the dashboard work and the shop says it is not installed", async ({ browser }) => {
          const visitor = await newBrowser(browser, { baseURL: app.url });
          // The front page leads to the login; the catalogue, a product and the cart explain themselves.
          await visitor.goto("/");
          await expect(visitor).toHaveURL(/\/login$/);
          for (const path of ["/products/signed-mug", "/cart"]) {
            const response = await visitor.goto(path);
            expect(response?.status()).toBe(404);
            await expect(visitor.getByTestId("shop-not-installed")).toContainText("SESSIONSCOPE_ATTACH_SHOP=1");
          }
          for (const [method, path, body] of [
            ["GET", "/api/products", undefined],
            ["GET", "/api/cart", undefined],
            ["POST", "/api/cart/items", { productId: 1, quantity: 1 }],
            ["DELETE", "/api/cart/items/1", undefined],
            ["POST", "/api/cart/checkout", undefined],
          ] as const) {
            const answer = await fetchFromPage(visitor, method, path, body);
            expect({ path, ...answer }).toMatchObject({ path, status: 404, json: { error: { code: "shop_not_installed", message: expect.stringContaining("SESSIONSCOPE_ATTACH_SHOP=1") } } });
          }

          // A Django user: login, "your sessions", password change and logout need only auth_user and the sessions.
          const username = newUser();
          await logIn(visitor, username, PASSWORD);
          await expect(visitor.getByRole("heading", { name: "Your sessions" })).toBeVisible();
          await expect(visitor.getByRole("navigation", { name: "Main" })).not.toContainText("Cart");
          await visitor.goto("/");
          await expect(visitor).toHaveURL(/\/account$/);
          await changePasswordOnSessionScope(visitor, "another-password-45");
          await visitor.getByRole("button", { name: "Log out" }).click();
          await expectSignedOut(visitor);

          // The admin lands on the dashboard.
          const dashboard = await adminBrowser(browser);
          await dashboard.goto("/");
          await expect(dashboard).toHaveURL(/\/admin$/);
        });
      }
    });
  }
}
