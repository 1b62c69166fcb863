import { expect, test, type Page } from "@playwright/test";
import type { AdminPolicyView } from "../lib/admin-api";
import { closeBrowsersAfterEach, fetchFromPage, keepScreenshot, newBrowser, signedIn } from "./support/admin";
import { logIn } from "./shop-helpers";

// The live policy page: an admin previews a change (the chart and its table
// redraw before anything is saved), saves it behind a dialog that states the
// impact, and the shop's very next cookie follows it; a viewer cannot save.

closeBrowsersAfterEach();

/** Puts the policy back as it was before the test, so the specs after this one see the defaults. */
async function restorePolicy(page: Page, original: AdminPolicyView): Promise<void> {
  const now = (await fetchFromPage(page, "GET", "/api/admin/policy")).json as AdminPolicyView;
  if (now.version === original.version) return;
  const answer = await fetchFromPage(page, "PUT", "/api/admin/policy", { ...original.policy, version: now.version });
  expect(answer.status).toBe(200);
}

test("an admin previews a shorter cookie age, saves it, and the shop's next cookie carries the new Max-Age", async ({ browser }) => {
  test.slow(); // five logins, a dozen previews and a save
  // A few shoppers signed in, so that the preview has sessions to count.
  for (const username of ["alice", "bob", "alice"]) await signedIn(browser, username);
  const admin = await signedIn(browser, "admin", { viewport: { width: 1400, height: 1000 } });
  await admin.goto("/admin/policy");
  const original = (await fetchFromPage(admin, "GET", "/api/admin/policy")).json as AdminPolicyView;
  try {
    await expect(admin.getByRole("heading", { name: "Session policy", level: 1 })).toBeVisible();
    await expect(admin.getByRole("link", { name: "Policy" })).toHaveAttribute("aria-current", "page");
    const summary = admin.getByTestId("impact-summary");
    await expect(summary).toContainText("Ends no session at once");

    // An absolute lifetime of one hour would end every session of this run within the hour: the preview says so before any save.
    await admin.getByRole("checkbox", { name: "Absolute lifetime on" }).check();
    await admin.getByLabel("Absolute lifetime", { exact: true }).fill("1");
    await admin.getByRole("combobox", { name: "Absolute lifetime unit" }).selectOption("hours");
    const withinHour = admin.getByRole("row", { name: /^Within 1 hour/ });
    await expect(withinHour.getByRole("cell").nth(0)).toHaveText("0");
    await expect(withinHour.getByRole("cell").nth(1)).toHaveText(/^([4-9]|\d\d+)$/);
    await expect(summary).toContainText("Ends no session at once");
    await expect(admin.getByTestId("impact-chart").locator(".recharts-bar-rectangle").first()).toBeVisible();
    await keepScreenshot(admin, test.info(), "policy-preview");
    // On a phone the preview sits below the form, at the page's width: no sideways scrolling.
    await admin.setViewportSize({ width: 390, height: 844 });
    await expect(admin.getByTestId("impact-chart").locator(".recharts-bar-rectangle").first()).toBeVisible();
    expect(await admin.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await keepScreenshot(admin, test.info(), "policy-preview-narrow", { fullPage: true });
    await admin.setViewportSize({ width: 1400, height: 1000 });

    // Back to no lifetime, and a one-hour cookie age instead: nothing ends, stored expiries shorten at their next save.
    await admin.getByRole("checkbox", { name: "Absolute lifetime on" }).uncheck();
    await expect(summary).toContainText("Ends no session at once");
    await admin.getByLabel("Cookie age", { exact: true }).fill("1");
    await admin.getByRole("combobox", { name: "Cookie age unit" }).selectOption("hours");
    await expect(admin.getByText("= 3,600 s")).toBeVisible();
    await expect(admin.getByText(/further away than the new cookie age/)).toBeVisible();
    expect((await fetchFromPage(admin, "GET", "/api/admin/policy")).json).toMatchObject({ version: original.version, policy: { cookieAge: original.policy.cookieAge } });

    await admin.getByRole("button", { name: "Save policy" }).click();
    const dialog = admin.getByRole("alertdialog", { name: "Save the new session policy?" });
    await expect(dialog).toContainText("Ends no session at once.");
    await expect(dialog).toContainText("Changes: Cookie age.");
    await dialog.getByRole("button", { name: "Save policy" }).click();
    await expect(admin.getByText("Session policy saved", { exact: true })).toBeVisible();
    await expect(admin.getByText(/^Saved by admin on /)).toBeVisible();

    // A shopper's next login: the cookie the shop sets lives one hour.
    const shopper = await newBrowser(browser);
    const login = shopper.waitForResponse((response) => response.url().endsWith("/api/auth/login") && response.request().method() === "POST");
    await logIn(shopper, "alice");
    expect(await (await login).headerValue("set-cookie")).toMatch(/^sessionid=\w+;.*Max-Age=3600;/);
  } finally {
    await restorePolicy(admin, original);
  }
});

test("a viewer cannot open the policy page nor save a policy", async ({ browser }) => {
  const viewer = await signedIn(browser, "viewer");
  await viewer.goto("/admin/sessions");
  await expect(viewer.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Sessions" })).toBeVisible();
  await expect(viewer.getByRole("link", { name: "Policy" })).toHaveCount(0);
  await viewer.goto("/admin/policy");
  await expect(viewer.getByRole("heading", { name: "403: not for this account" })).toBeVisible();
  const view = (await fetchFromPage(viewer, "GET", "/api/admin/policy")).json as AdminPolicyView;
  expect(view.canEdit).toBe(false);
  const answer = await fetchFromPage(viewer, "PUT", "/api/admin/policy", { ...view.policy, cookieAge: 3600, version: view.version });
  expect(answer).toMatchObject({ status: 403, json: { error: { code: "forbidden" } } });
});
