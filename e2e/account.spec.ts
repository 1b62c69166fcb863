import { expect, test } from "@playwright/test";
import { attachScreenshot, logIn, twoBrowsers } from "./shop-helpers";

test("the account page needs a login", async ({ page }) => {
  await page.goto("/account");
  await expect(page).toHaveURL(/\/login\?next=%2Faccount$/);
});

test("mismatched new passwords are caught before anything is sent", async ({ page }) => {
  await logIn(page, "alice");
  await page.goto("/account/password");
  await page.getByLabel("Current password").fill("demo-alice");
  await page.getByLabel("New password", { exact: true }).fill("alice-password-1");
  await page.getByLabel("Confirm new password").fill("alice-password-2");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("The two new passwords do not match.");
});

test("'Sign out all other sessions' signs out another browser", async ({ browser }, testInfo) => {
  const { a, b, close } = await twoBrowsers(browser, "admin");
  await a.reload();
  const rows = a.getByRole("table", { name: "Your sessions" }).getByRole("row");
  await expect(rows).toHaveCount(3); // header + two sessions
  await expect(a.getByRole("row", { name: /This session/ })).toHaveCount(1);
  await attachScreenshot(a, testInfo, "account");

  await a.getByRole("button", { name: "Sign out all other sessions" }).click();
  await expect(a.getByText("Signed out 1 other session.")).toBeVisible();
  await expect(rows).toHaveCount(2);

  await b.goto("/account");
  await expect(b).toHaveURL(/\/login\?next=%2Faccount$/);
  await a.reload();
  await expect(a.getByRole("heading", { name: "Your sessions" })).toBeVisible();
  await close();
});

test("'Sign out' on one row ends that session; on this session it is a logout", async ({ browser }) => {
  const { a, b, close } = await twoBrowsers(browser, "viewer");
  await a.reload();
  const other = a.getByRole("row").filter({ has: a.getByRole("button", { name: /^Sign out .* session$/ }) }).filter({ hasNotText: "This session" });
  await expect(other).toHaveCount(1);
  await other.getByRole("button", { name: "Sign out" }).click();
  await expect(other).toHaveCount(0);

  await b.goto("/account");
  await expect(b).toHaveURL(/\/login\?next=%2Faccount$/);

  await a.getByRole("button", { name: "Sign out this session" }).click();
  await expect(a).toHaveURL(/\/login\?next=%2Faccount$/);
  await expect(a.getByRole("link", { name: "Log in" })).toBeVisible();
  await close();
});
