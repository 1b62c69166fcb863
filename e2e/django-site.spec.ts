// A real Django site (3.2 and 4.2) and SessionScope on one database, one Redis,
// one secret key and one cookie name, both on 127.0.0.1 (cookies are per host,
// not per port, so one browser carries its session to both). On SQLite and
// PostgreSQL, with Django's db and cached_db engines.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test, type Page } from "@playwright/test";
// @ts-expect-error: plain JavaScript module shared with scripts/test.mjs
import { startPostgres, startRedis } from "../test/services/services.mjs";
import { DJANGO_VERSIONS, djangoSiteAvailable, startDjangoSite, type DjangoSite, type DjangoVersion } from "../test/helpers/django-site";
import { closeBrowsersAfterEach, expectSignedOut, fetchFromPage, newBrowser, rowsOf } from "./support/admin";
import { createPostgresDatabase, startAppServer, type AppServer } from "./support/app-server";
import { addFromCatalogue, logIn } from "./shop-helpers";

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

const SECRET_KEY = "django-site-spec-secret-0123456789-abcdefghijklmnopqrstuvwxyz-shared";
const PASSWORD = "correct-horse-battery-1";
/** SessionScope's PBKDF2 work factor; Django 3.2's own (260000) would re-hash at every login on each side. */
const ITERATIONS = 600_000;

test.describe.configure({ mode: "serial" });
closeBrowsersAfterEach();

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

const setups = [
  { database: "sqlite", engine: "db" },
  { database: "sqlite", engine: "cached_db" },
  { database: "postgresql", engine: "db" },
  { database: "postgresql", engine: "cached_db" },
] as const;

for (const [index, { database, engine }] of setups.entries()) {
  test.describe(`Django and SessionScope on ${database}, ${engine} engine`, () => {
    const started: Service[] = [];
    const sites = new Map<DjangoVersion, DjangoSite>();
    let app: AppServer;
    let dropDatabase = async () => {};
    let folder: string | undefined;
    let users = 0;

    test.beforeAll(async () => {
      test.setTimeout(240_000);
      const needsPostgres = database === "postgresql";
      const needsRedis = engine === "cached_db";
      let pgUrl = process.env.SESSIONSCOPE_TEST_PG_URL;
      let redisUrl = process.env.SESSIONSCOPE_TEST_REDIS_URL;
      if (needsPostgres && !pgUrl) {
        const postgres = (await startPostgres()) as Service | null;
        if (!postgres && process.env.CI === "true") throw new Error("CI=true: postgresql must be installed");
        test.skip(!postgres, "postgresql is not installed");
        started.push(postgres!);
        pgUrl = postgres!.url;
      }
      if (needsRedis && !redisUrl) {
        const redis = (await startRedis()) as Service | null;
        if (!redis && process.env.CI === "true") throw new Error("CI=true: redis-server must be installed");
        test.skip(!redis, "redis-server is not installed");
        started.push(redis!);
        redisUrl = redis!.url;
      }
      const env: Record<string, string> = { SESSION_SECRET_KEY: SECRET_KEY, SESSION_ENGINE: engine };
      if (needsPostgres) {
        const created = await createPostgresDatabase(pgUrl!);
        dropDatabase = created.drop;
        env.DATABASE_URL = created.url;
      } else {
        folder = mkdtempSync(join(tmpdir(), "sessionscope-django-"));
        env.DATABASE_URL = `file:${join(folder, "shared.db")}`;
      }
      // Redis databases 10-13: apart from the other specs' (5, 6).
      const cacheUrl = needsRedis ? `${redisUrl}/${10 + index}` : undefined;
      if (cacheUrl) env.REDIS_URL = cacheUrl;
      app = await startAppServer(env);
      const databaseUrl = env.DATABASE_URL;
      for (const version of DJANGO_VERSIONS) {
        if (!djangoSiteAvailable(version)) continue;
        sites.set(version, await startDjangoSite({ version, databaseUrl, secretKey: SECRET_KEY, engine, cacheUrl, pbkdf2Iterations: ITERATIONS }));
      }
    });

    test.afterAll(async () => {
      await Promise.all([...sites.values()].map((site) => site.stop()));
      await app?.stop();
      await dropDatabase().catch(() => {});
      if (folder) rmSync(folder, { recursive: true, force: true });
      for (const service of started) service.stop();
    });

    /** A new user, made by Django (its ORM and hasher) in the shared auth_user. */
    function newUser(site: DjangoSite): string {
      const username = `dj${site.version.replace(".", "")}-${engine.replace("_", "")}-${++users}`;
      site.createUser(username, PASSWORD);
      return username;
    }

    for (const version of DJANGO_VERSIONS) {
      const site = () => {
        const found = sites.get(version);
        test.skip(!found, `Django ${version} is not available`);
        return found!;
      };

      test(`Django ${version}: a Django login killed in the dashboard is anonymous on Django's next request`, async ({ browser }) => {
        const django = site();
        const username = newUser(django);
        const user = await newBrowser(browser, { baseURL: app.url });
        await logInOnDjango(user, django, username);
        // Until the metadata backfill, SessionScope lists a Django-made session once it has saved it.
        await user.goto("/");
        await addFromCatalogue(user, "Signed Mug");
        expect(await whoAmI(user, django)).toMatchObject({ authenticated: true, username });

        const admin = await newBrowser(browser, { baseURL: app.url });
        await logIn(admin, "admin");
        await admin.goto(`/admin/sessions?user=${username}`);
        await expect(rowsOf(admin, username)).toHaveCount(1);
        const { json } = await fetchFromPage(admin, "GET", `/api/admin/sessions?user=${username}`);
        const [item] = (json as { items: Array<{ id: string }> }).items;
        const killed = await fetchFromPage(admin, "DELETE", `/api/admin/sessions/${item!.id}`);
        expect(killed).toMatchObject({ status: 200, json: { revoked: 1 } });

        expect(await whoAmI(user, django)).toMatchObject({ authenticated: false, username: null });
      });

      test(`Django ${version}: a SessionScope login is accepted by Django with the same cookie`, async ({ browser }) => {
        const django = site();
        const username = newUser(django);
        const user = await newBrowser(browser, { baseURL: app.url });
        await logIn(user, username, PASSWORD);
        const cookie = (await user.context().cookies()).find((c) => c.name === "sessionid")?.value;
        expect(await whoAmI(user, django)).toEqual({ authenticated: true, username, session_key: cookie, django: expect.stringMatching(new RegExp(`^${version}\\.`)) });
      });

      test(`Django ${version}: a password changed on Django signs out the user's SessionScope sessions`, async ({ browser }) => {
        const django = site();
        const username = newUser(django);
        const onShop = await newBrowser(browser, { baseURL: app.url });
        await logIn(onShop, username, PASSWORD);
        const onDjango = await newBrowser(browser, { baseURL: app.url });
        await logInOnDjango(onDjango, django, username);
        await onShop.goto("/account");
        await expect(onShop).toHaveURL(/\/account$/); // both logins live side by side

        const changed = await onDjango.context().request.post(`${django.url}/password/`, { form: { old_password: PASSWORD, new_password: "a-new-django-password-2" } });
        expect(await changed.json()).toMatchObject({ authenticated: true, username });

        await expectSignedOut(onShop);
        expect(await whoAmI(onDjango, django)).toMatchObject({ authenticated: true, username });
      });

      test(`Django ${version}: a password changed on SessionScope signs out the user's Django sessions`, async ({ browser }) => {
        const django = site();
        const username = newUser(django);
        const onDjango = await newBrowser(browser, { baseURL: app.url });
        await logInOnDjango(onDjango, django, username);
        const onShop = await newBrowser(browser, { baseURL: app.url });
        await logIn(onShop, username, PASSWORD);
        expect(await whoAmI(onDjango, django)).toMatchObject({ authenticated: true, username }); // both logins live side by side

        await onShop.goto("/account/password");
        await onShop.getByLabel("Current password").fill(PASSWORD);
        await onShop.getByLabel("New password", { exact: true }).fill("a-new-shop-password-3");
        await onShop.getByLabel("Confirm new password").fill("a-new-shop-password-3");
        await onShop.getByRole("button", { name: "Change password" }).click();
        await expect(onShop.getByRole("status")).toContainText("other sessions were signed out; this one was kept");

        expect(await whoAmI(onDjango, django)).toMatchObject({ authenticated: false, username: null });
        expect(await whoAmI(onShop, django)).toMatchObject({ authenticated: true, username });
      });
    }
  });
}
