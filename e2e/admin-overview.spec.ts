import { expect, test, type Page } from "@playwright/test";
import { closeBrowsersAfterEach, fetchFromPage, keepScreenshot, newBrowser, rowsOf, sessionsTable, signedIn } from "./support/admin";

// The overview at /admin and anomalies: numbers that follow what happens in
// the shop, charts a screen reader can read too, and a shopper's cookie
// replayed from another device flagged in the list and the detail.

closeBrowsersAfterEach();

const IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";

/** The big number of one of the overview's four cards. */
async function cardValue(page: Page, label: string): Promise<number> {
  const card = page.locator("dl > div").filter({ has: page.locator("dt", { hasText: label }) });
  const text = await card.locator("dd > span").first().textContent();
  return Number(text?.replace(/,/g, ""));
}

test("the overview shows today's numbers and charts, and a login raises 'logins in 24 h'", async ({ browser }) => {
  const admin = await signedIn(browser, "admin", { viewport: { width: 1440, height: 1000 } });
  await admin.goto("/admin");
  await expect(admin.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();
  await expect(admin.getByRole("link", { name: "Overview" })).toHaveAttribute("aria-current", "page");
  const logins = await cardValue(admin, "Logins in 24 h");
  expect(logins).toBeGreaterThanOrEqual(1);
  expect(await cardValue(admin, "Active now")).toBeGreaterThan(0);
  // Each card says how it moved in words, not by colour alone.
  await expect(admin.locator("dl > div").filter({ hasText: "Logins in 24 h" }).getByText(/^(up|down) [\d,]+ from [\d,]+ the day before|same as the day before/)).toBeVisible();

  // Both charts are drawn, and each has a table with the same numbers for screen readers.
  await expect(admin.locator(".recharts-bar-rectangle").first()).toBeAttached();
  await expect(admin.locator(".series-logins .recharts-line-curve")).toBeAttached();
  await expect(admin.getByRole("table", { name: /Live sessions ending each day, today and the next 14 days/ }).locator("tbody tr")).toHaveCount(15);
  await expect(admin.getByRole("table", { name: /Logins, kills and logouts per hour/ }).locator("tbody tr")).toHaveCount(24);
  await expect(admin.getByRole("region", { name: "Flagged sessions" })).toBeVisible();

  await signedIn(browser, "bob");
  await admin.reload();
  await expect.poll(() => cardValue(admin, "Logins in 24 h")).toBe(logins + 1);

  // A top user links to that user's sessions.
  const top = admin.getByRole("region", { name: "Most sessions" }).getByRole("link").first();
  const username = (await top.textContent())!.trim();
  await top.click();
  await expect(admin).toHaveURL(new RegExp(`/admin/sessions\\?user=${username}$`));
  await expect(rowsOf(admin, username).first()).toBeVisible();

  await admin.goto("/admin");
  await expect(admin.locator(".recharts-bar-rectangle").first()).toBeAttached();
  await keepScreenshot(admin, test.info(), "overview", { fullPage: true });
});

test("a shopper's cookie replayed from another device is flagged in the list and the detail", async ({ browser }) => {
  const shopper = await signedIn(browser, "bob");
  const thief = await newBrowser(browser, { userAgent: IPHONE });
  await thief.context().addCookies(await shopper.context().cookies());
  await thief.goto("/account");
  await expect(thief).toHaveURL(/\/account$/);
  // The shop's JSON API, called as the page would: the request that records where the session is used from.
  expect((await fetchFromPage(thief, "GET", "/api/auth/me")).status).toBe(200);

  const security = await signedIn(browser, "security", { viewport: { width: 1440, height: 1000 } });
  // The overview lists it among the flagged sessions.
  await security.goto("/admin");
  await expect(security.getByRole("region", { name: "Flagged sessions" }).getByRole("link", { name: /^bob session / }).first()).toBeVisible();

  await security.goto("/admin/sessions?user=bob");
  await security.getByLabel("Anomalies").selectOption({ label: "Only flagged: IP or device changed" });
  await expect(security).toHaveURL(/flagged=1/);
  const row = rowsOf(security, "bob").filter({ hasText: "flagged: IP/device" }).first();
  await expect(row).toBeVisible();
  await expect(row).toContainText("Safari 18 on iOS");

  await row.getByRole("link", { name: /^Open session/ }).click();
  await expect(security.getByRole("heading", { name: "Session of bob" })).toBeVisible();
  const seen = security.getByRole("region", { name: "Seen from" });
  await expect(seen).toBeVisible();
  const history = seen.getByRole("table").locator("tbody tr");
  await expect(history).toHaveCount(2);
  await expect(history.nth(1)).toContainText("Safari on iOS (mobile)");
  await expect(history.nth(1)).toContainText("changed");
  await expect(history.nth(0)).not.toContainText("changed");
  await keepScreenshot(security, test.info(), "flagged-session", { fullPage: true });

  // The unflagged sessions are one click away.
  await security.goto("/admin/sessions?user=bob");
  await expect(sessionsTable(security)).toBeVisible();
});
