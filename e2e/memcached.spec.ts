// SessionScope on Memcached, in a browser against `next start`:
// - cached_db: a cart survives Memcached going away (the shop keeps serving from the database)
//   and coming back empty (the next requests fill it again);
// - cache: Memcached cannot list its keys, and the dashboard says so instead of showing nothing.
import { expect, test, type Browser, type Page } from "@playwright/test";
import { startAppServer, type AppServer } from "./support/app-server";
import { keepScreenshot } from "./support/admin";
import { memcachedHoldsSession, memcachedPid, startMemcached, type MemcachedServer } from "./support/cache-services";
import { addFromCatalogue, logIn, sessionCookie } from "./shop-helpers";

async function openShop(browser: Browser, app: AppServer, theme?: "light" | "dark"): Promise<Page> {
  const context = await browser.newContext({ baseURL: app.url });
  if (theme) await context.addCookies([{ name: "sessionscope-theme", value: theme, url: app.url }]);
  return context.newPage();
}

/** The cart page, answered without a server error, showing these lines and total. */
async function expectCart(page: Page, total: string, products: readonly string[]): Promise<void> {
  const response = await page.goto("/cart");
  expect(response?.status()).toBe(200);
  for (const product of products) await expect(page.getByRole("row", { name: new RegExp(product) })).toBeVisible();
  await expect(page.getByTestId("cart-total")).toHaveText(total);
}

/** A memcached and a `next start` on it with this engine, for the describe block's tests. */
function onMemcached(engine: "cache" | "cached_db"): { memcached: () => MemcachedServer; app: () => AppServer } {
  let memcached: MemcachedServer | undefined;
  let app: AppServer | undefined;
  test.beforeAll(async () => {
    memcached = await startMemcached();
    app = await startAppServer({ SESSION_ENGINE: engine, MEMCACHED_URL: memcached.url });
  });
  test.afterAll(async () => {
    await app?.stop();
    memcached?.stop();
  });
  const started = <T>(value: T | undefined, what: string): T => {
    if (!value) throw new Error(`${what} did not start`);
    return value;
  };
  return { memcached: () => started(memcached, "memcached"), app: () => started(app, "next start") };
}

test.describe("cached_db on Memcached", () => {
  const setup = onMemcached("cached_db");

  test("the cart survives Memcached stopping and restarting empty, and the cache fills again", async ({ browser }) => {
    const memcached = setup.memcached();
    const app = setup.app();
    const page = await openShop(browser, app);
    await page.goto("/");
    await addFromCatalogue(page, "Signed Mug"); // $14.00
    await addFromCatalogue(page, "Cookie Jar"); // $24.00
    await expectCart(page, "$38.00", ["Signed Mug", "Cookie Jar"]);
    const key = (await sessionCookie(page.context()))!;
    expect(await memcachedHoldsSession(memcached, key)).toBe(true);
    const firstProcess = await memcachedPid(memcached);

    // Memcached goes away: every page and API call is served from the database.
    memcached.down();
    await expectCart(page, "$38.00", ["Signed Mug", "Cookie Jar"]);
    await page.goto("/");
    await addFromCatalogue(page, "Middleware Hoodie"); // $52.00
    await expectCart(page, "$90.00", ["Signed Mug", "Cookie Jar", "Middleware Hoodie"]);

    // It comes back empty, as after a crash: the cart is still there, read from the database,
    // and the read puts the session back in Memcached.
    await memcached.up();
    // A new process, so empty when it started: memcached keeps nothing across a restart. (Its item count
    // is no proof: the app's requests may already be filling it again by the time the count is read.)
    expect(await memcachedPid(memcached)).not.toBe(firstProcess);
    await expectCart(page, "$90.00", ["Signed Mug", "Cookie Jar", "Middleware Hoodie"]);
    await expect.poll(() => memcachedHoldsSession(memcached, key)).toBe(true);
    await page.goto("/");
    await addFromCatalogue(page, "Signed Mug");
    await expectCart(page, "$104.00", ["Signed Mug", "Cookie Jar", "Middleware Hoodie"]);
    await page.context().close();
  });
});

test.describe("cache on Memcached: the dashboard", () => {
  const setup = onMemcached("cache");

  for (const theme of ["light", "dark"] as const) {
    test(`says Memcached cannot list sessions, and shows their number as unknown (${theme})`, async ({ browser }) => {
      const app = setup.app();
      const shopper = await openShop(browser, app);
      await logIn(shopper, "alice");
      const admin = await openShop(browser, app, theme);
      await logIn(admin, "admin");

      await admin.goto("/admin/sessions");
      const panel = admin.getByRole("heading", { name: "Memcached cannot list its sessions" }).locator("..");
      await expect(panel).toContainText("Memcached has no command that lists its keys");
      await expect(panel).toContainText("SESSION_ENGINE=cached_db");
      await expect(panel).toContainText("docs/engines.md");
      await expect(admin.getByRole("table", { name: "Sessions" })).toHaveCount(0);
      await keepScreenshot(admin, test.info(), `memcached-sessions-${theme}`);

      await admin.goto("/admin");
      const active = admin.getByRole("term").filter({ hasText: "Active now" }).locator("..");
      await expect(active).toContainText("—");
      await expect(active).toContainText("unknown");
      await expect(admin.getByRole("note")).toContainText("Memcached cannot list its keys");
      // Logins are recorded whatever the engine (alice's and the admin's at least).
      await expect(admin.getByRole("term").filter({ hasText: "Logins in 24 h" }).locator("..").locator("span").first()).toHaveText(/^[1-9]\d*$/);
      await expect(admin.getByRole("heading", { name: "Expirations, next 14 days" })).toHaveCount(0);
      await keepScreenshot(admin, test.info(), `memcached-overview-${theme}`, { fullPage: true });
      await Promise.all([shopper.context().close(), admin.context().close()]);
    });
  }
});
