import { expect, test } from "@playwright/test";
import { attachScreenshot, twoBrowsers } from "./shop-helpers";

// bob's password changes for the rest of the run (the e2e database is fresh each run), so this file
// runs after every spec that logs bob in: specs run one at a time, in file-name order.

test("a password change signs out the user's other browser and keeps this one", async ({ browser }, testInfo) => {
  // demo-bob is too short for the new-password rules, so it cannot be set back through the form.
  const { a, b, close } = await twoBrowsers(browser, "bob");
  const keyBefore = (await a.context().cookies()).find((c) => c.name === "sessionid")?.value;

  await a.goto("/account/password");
  await a.getByLabel("Current password").fill("demo-bob");
  await a.getByLabel("New password", { exact: true }).fill("bob-rotated-2024");
  await a.getByLabel("Confirm new password").fill("bob-rotated-2024");
  await a.getByRole("button", { name: "Change password" }).click();
  await expect(a.getByRole("status")).toContainText("other sessions were signed out; this one was kept");
  await attachScreenshot(a, testInfo, "password");
  const keyAfter = (await a.context().cookies()).find((c) => c.name === "sessionid")?.value;
  expect(keyAfter).toBeTruthy();
  expect(keyAfter).not.toBe(keyBefore); // update_session_auth_hash cycles the key

  await b.goto("/account");
  await expect(b).toHaveURL(/\/login\?next=%2Faccount$/);

  await a.goto("/account");
  await expect(a.getByRole("heading", { name: "Your sessions" })).toBeVisible();
  await expect(a.getByText("Hi, Bob")).toBeVisible();
  await close();
});
