import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import type { AdminUserList, RevokeResult } from "@/lib/admin-api";
import { addFromCatalogue } from "./shop-helpers";
import { closeBrowsersAfterEach, expectSignedOut, fetchFromPage, keepScreenshot, rowsOf, sessionsTable, signedIn } from "./support/admin";

// The kills as the shopper and the auditor see them: a bulk kill removes the
// rows at once and empties the shopper's open cart, each kill is in the audit
// log with its count and in its CSV export, and the kill dialog works from the
// keyboard alone.

closeBrowsersAfterEach();

async function userId(admin: Page, username: string): Promise<number> {
  const { json } = await fetchFromPage(admin, "GET", `/api/admin/users?q=${username}`);
  const user = (json as AdminUserList).items.find((item) => item.username === username);
  expect(user, username).toBeDefined();
  return user!.id;
}

test("security ends every selected session of bob: the rows go before the server answers, and bob's open cart is gone", async ({ browser }) => {
  const bob = await signedIn(browser, "bob");
  await bob.goto("/");
  await addFromCatalogue(bob, "Signed Mug");
  await addFromCatalogue(bob, "Cookie Jar");
  await signedIn(browser, "bob"); // a second browser of bob's

  const security = await signedIn(browser, "security");
  await security.goto("/admin/sessions?user=bob");
  const rows = rowsOf(security, "bob");
  await expect(rows.nth(1)).toBeVisible();
  const count = await rows.count();
  await security.getByRole("checkbox", { name: "Select every session on this page" }).check();
  await expect(security.getByText(`${count} selected`)).toBeVisible();
  await security.getByRole("button", { name: `End ${count} sessions` }).click();
  const dialog = security.getByRole("alertdialog", { name: `End ${count} sessions of bob?` });

  // The server's answer waits until the list has been checked: the rows must go on the click alone.
  let answer = () => {};
  const held = new Promise<void>((resolve) => (answer = resolve));
  await security.route("**/api/admin/sessions/revoke", async (route) => {
    await held;
    await route.continue();
  });
  await dialog.getByRole("button", { name: `End ${count} sessions` }).click();
  await expect(rows).toHaveCount(0);
  answer();
  await expect(security.getByText(`Ended ${count} sessions`, { exact: true })).toBeVisible();

  // Bob's next click finds his session gone and his cart empty; a page load shows him signed out.
  await bob.getByRole("link", { name: /^Cart/ }).click();
  await expect(bob.getByRole("heading", { name: "Your cart", level: 1 })).toBeVisible();
  await expect(bob.getByText("Your cart is empty.")).toBeVisible();
  await expect(bob.getByRole("region", { name: "Your session right now" })).toContainText("This browser has no session yet");
  await bob.reload();
  await expect(bob.getByRole("link", { name: "Log in" })).toBeVisible();
  await expect(bob.getByTestId("cart-count")).toHaveText("0");
  await expectSignedOut(bob);
});

test("a refused bulk kill puts the rows back and says so", async ({ browser }) => {
  await signedIn(browser, "alice");
  const security = await signedIn(browser, "security");
  await security.goto("/admin/sessions?user=alice");
  const rows = rowsOf(security, "alice");
  await expect(rows.first()).toBeVisible();
  const count = await rows.count();
  await security.route("**/api/admin/sessions/revoke", (route) =>
    route.fulfill({ status: 503, contentType: "application/json", body: JSON.stringify({ error: { code: "unavailable", message: "The session store is unavailable." } }) }),
  );
  await security.getByRole("checkbox", { name: "Select every session on this page" }).check();
  await security.getByRole("button", { name: /^End [\d,]+ sessions?$/ }).click();
  await security.getByRole("alertdialog").getByRole("button", { name: /^End / }).click();
  await expect(security.getByText("No session was ended", { exact: true })).toBeVisible();
  await expect(rows).toHaveCount(count);
});

test("the audit log lists an admin's kills with their counts, and its CSV export holds them", async ({ browser }) => {
  await signedIn(browser, "alice");
  await signedIn(browser, "alice");
  // A moment after alice's logins and before the admin's (the API takes milliseconds, the stores keep seconds).
  await new Promise((resolve) => setTimeout(resolve, 1100));
  const moment = new Date(Math.ceil(Date.now() / 1000) * 1000);
  await new Promise((resolve) => setTimeout(resolve, 1100));
  const admin = await signedIn(browser, "admin");
  await admin.goto("/admin/audit");

  const ofAlice = await fetchFromPage(admin, "POST", "/api/admin/sessions/revoke", { userId: await userId(admin, "alice") });
  expect(ofAlice.status).toBe(200);
  const userKill = ofAlice.json as RevokeResult;
  expect(userKill.revoked).toBeGreaterThanOrEqual(2);
  const before = await fetchFromPage(admin, "POST", "/api/admin/sessions/revoke", { issuedBefore: moment.toISOString() });
  expect(before.status).toBe(200);
  const beforeKill = before.json as RevokeResult;

  await admin.goto("/admin/audit?actor=admin");
  const table = admin.getByRole("table", { name: "Admin actions, newest first" });
  const entry = (text: string) => table.getByRole("row").filter({ hasText: text }).first();
  const ofAliceRow = entry(`Ended ${userKill.revoked} sessions of alice`);
  await expect(ofAliceRow.getByRole("cell").nth(0)).toHaveText("admin");
  await expect(ofAliceRow.getByRole("cell").nth(3)).toHaveText(String(userKill.revoked));
  const beforeRow = entry("Ended every session issued before");
  await expect(beforeRow.getByRole("cell").nth(3)).toHaveText(beforeKill.revoked.toLocaleString("en-US"));
  await keepScreenshot(admin, test.info(), "audit");

  const [download] = await Promise.all([admin.waitForEvent("download"), admin.getByRole("link", { name: "Export CSV" }).click()]);
  expect(download.suggestedFilename()).toMatch(/\.csv$/);
  const csv = readFileSync(await download.path(), "utf8");
  const lines = csv.split("\r\n");
  expect(lines[0]).toMatch(/^id,/);
  expect(lines.find((line) => line.startsWith(`${userKill.auditId},`))).toMatch(new RegExp(`,admin,sessions\\.kill_user,[^,]*,${userKill.revoked},`));
  expect(lines.find((line) => line.startsWith(`${beforeKill.auditId},`))).toMatch(new RegExp(`,admin,sessions\\.kill_issued_before,[^,]*,${beforeKill.revoked},`));
});

test("the kill dialog works from the keyboard: it opens, keeps the focus inside, and Escape cancels", async ({ browser }) => {
  const admin = await signedIn(browser, "admin");
  await admin.goto("/admin/sessions?user=admin");
  const rows = rowsOf(admin, "admin");
  await expect(rows.first()).toBeVisible();
  const count = await rows.count();
  await keepScreenshot(admin, test.info(), "sessions");

  const select = rows.first().getByRole("checkbox");
  await select.focus();
  await admin.keyboard.press("Space");
  await expect(select).toBeChecked();
  const trigger = admin.getByRole("button", { name: "End 1 session" });
  await trigger.focus();
  await admin.keyboard.press("Enter");

  const dialog = admin.getByRole("alertdialog", { name: "End 1 session of admin?" });
  await expect(dialog).toBeVisible();
  const cancel = dialog.getByRole("button", { name: "Cancel" });
  const confirm = dialog.getByRole("button", { name: "End 1 session" });
  await expect(cancel).toBeFocused();
  await keepScreenshot(admin, test.info(), "kill-dialog");
  await admin.keyboard.press("Tab");
  await expect(confirm).toBeFocused();
  await admin.keyboard.press("Tab");
  await expect(cancel).toBeFocused();
  await admin.keyboard.press("Shift+Tab");
  await expect(confirm).toBeFocused();

  await admin.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);
  await expect(trigger).toBeFocused();
  await expect(sessionsTable(admin)).toBeVisible();
  await expect(rows).toHaveCount(count);
});
