import { expect, type Browser, type BrowserContext, type Page, type TestInfo } from "@playwright/test";

export const SESSION_COOKIE = "sessionid";

/** The browser's session cookie value, or undefined when it has none. */
export async function sessionCookie(context: BrowserContext): Promise<string | undefined> {
  return (await context.cookies()).find((cookie) => cookie.name === SESSION_COOKIE)?.value;
}

/** Logs in through the form and waits for the account page (or `landing`). */
export async function logIn(page: Page, username: string, password = `demo-${username}`, landing: RegExp = /\/account$/): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(landing);
}

/** Adds one of a product from the catalogue card and waits until the header counts it. */
export async function addFromCatalogue(page: Page, productName: string): Promise<void> {
  const before = Number(await page.getByTestId("cart-count").textContent());
  await page.getByRole("button", { name: `Add ${productName} to cart` }).click();
  await expect(page.getByTestId("cart-count")).toHaveText(String(before + 1));
}

/** One full-page screenshot, attached to the report. */
export async function attachScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: "image/png" });
}

/** Two separate browsers (contexts), both logged in as `username`. */
export async function twoBrowsers(browser: Browser, username: string, password?: string) {
  const first = await browser.newContext();
  const second = await browser.newContext();
  const a = await first.newPage();
  const b = await second.newPage();
  await logIn(a, username, password);
  await logIn(b, username, password);
  return { a, b, close: () => Promise.all([first.close(), second.close()]) };
}
