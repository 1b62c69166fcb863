// Helpers for the dashboard specs: browsers signed in as a given user (each a
// fresh context, closed after the test), the sessions table, and the check
// that a browser has been signed out.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { expect, test, type Browser, type BrowserContext, type Page, type TestInfo } from "@playwright/test";

// Every browser a test opens, closed after it (closing does not log out: the sessions stay in the store).
const contexts: BrowserContext[] = [];

/** Registers the after-each hook that closes the browsers a spec file's tests opened. */
export function closeBrowsersAfterEach(): void {
  test.afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });
}

export async function newBrowser(browser: Browser, options?: Parameters<Browser["newContext"]>[0]): Promise<Page> {
  const context = await browser.newContext(options);
  contexts.push(context);
  return context.newPage();
}

/**
 * A new browser signed in as `username` (password `demo-<username>`) through the login API, as the
 * login form's own script does, with the browser's user agent: a second and a half less than filling
 * the form, which the auth and login-redirect specs test. The page is left blank.
 */
export async function signedIn(browser: Browser, username: string, options?: Parameters<Browser["newContext"]>[0]): Promise<Page> {
  const page = await newBrowser(browser, options);
  const baseURL = options?.baseURL ?? test.info().project.use.baseURL;
  expect(baseURL, "signedIn needs a baseURL").toBeTruthy();
  const response = await page.request.post(new URL("/api/auth/login", baseURL).href, {
    data: { username, password: `demo-${username}` },
    headers: { origin: new URL(baseURL!).origin, "user-agent": await page.evaluate(() => navigator.userAgent) },
  });
  expect(response.status(), `login of ${username}: ${await response.text()}`).toBe(200);
  return page;
}

/** The browser has been signed out: its next page needing a login sends it to the login form. */
export async function expectSignedOut(page: Page): Promise<void> {
  await page.goto("/account");
  await expect(page).toHaveURL(/\/login\?next=%2Faccount$/);
}

export const sessionsTable = (page: Page) => page.getByRole("table", { name: "Sessions" });
export const rowsOf = (page: Page, username: string) =>
  sessionsTable(page)
    .locator("tbody tr")
    .filter({ has: page.getByRole("link", { name: username, exact: true }) });

/** A call to the admin API made by the page itself (fetch in the browser: its cookies, its Origin). */
export async function fetchFromPage(page: Page, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const response = await fetch(path, {
        method,
        headers: body === undefined ? {} : { "Content-Type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      let json: unknown = null;
      try {
        json = JSON.parse(text);
      } catch {
        json = text;
      }
      return { status: response.status, json };
    },
    { method, path, body },
  );
}

/**
 * A screenshot kept as an artifact of the run in test-results/screens/
 * (one per project), and attached to the report.
 */
export async function keepScreenshot(page: Page, testInfo: TestInfo, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  const dir = join(testInfo.project.outputDir, "..", "screens");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${testInfo.project.name}-${name}.png`);
  await page.screenshot({ path, fullPage: options.fullPage ?? false, animations: "disabled" });
  await testInfo.attach(name, { path, contentType: "image/png" });
}
