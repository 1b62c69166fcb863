import { expect, test } from "@playwright/test";
import { addFromCatalogue, attachScreenshot, logIn, sessionCookie } from "./shop-helpers";

test("logging in keeps the anonymous cart and rotates the session key", async ({ page, context }, testInfo) => {
  await page.goto("/");
  await addFromCatalogue(page, "Expiry Hourglass");
  const anonymousKey = await sessionCookie(context);
  expect(anonymousKey).toBeTruthy();

  await page.goto("/login");
  await expect(page.getByRole("heading", { name: "Demo accounts" })).toBeVisible();
  await attachScreenshot(page, testInfo, "login");
  await logIn(page, "alice");

  const loggedInKey = await sessionCookie(context);
  expect(loggedInKey).toBeTruthy();
  expect(loggedInKey).not.toBe(anonymousKey); // cycle_key: session fixation defeated
  await expect(page.getByText("Hi, Alice")).toBeVisible();
  await expect(page.getByTestId("cart-count")).toHaveText("1");
  await page.goto("/cart");
  await expect(page.getByRole("row", { name: /Expiry Hourglass/ })).toBeVisible();
});

test("?next= brings the user back where they were going", async ({ page }) => {
  await page.goto("/account/password");
  await expect(page).toHaveURL(/\/login\?next=%2Faccount%2Fpassword$/);
  await page.getByLabel("Username").fill("alice");
  await page.getByLabel("Password").fill("demo-alice");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(/\/account\/password$/);
  await expect(page.getByRole("heading", { name: "Change password", level: 1 })).toBeVisible();
});

test("logging out empties the session and deletes the cookie", async ({ page, context }) => {
  await logIn(page, "security");
  await page.goto("/");
  await addFromCatalogue(page, "Flush Notebook");
  expect(await sessionCookie(context)).toBeTruthy();

  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page.getByRole("link", { name: "Log in" })).toBeVisible();
  await expect(page.getByTestId("cart-count")).toHaveText("0");
  expect(await sessionCookie(context)).toBeUndefined();
  await page.goto("/cart");
  await expect(page.getByText("Your cart is empty.")).toBeVisible();
});

test("wrong passwords get one message, then the rate limit's", async ({ page }) => {
  // A made-up account: failures count per account (5) and per IP (20), and no other test uses it.
  await page.goto("/login");
  await page.getByLabel("Username").fill("mallory");
  for (let attempt = 1; attempt <= 5; attempt++) {
    await page.getByLabel("Password").fill(`guess-${attempt}`);
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page.getByRole("main").getByRole("alert")).toHaveText("Invalid username or password.");
    await expect(page.getByRole("button", { name: "Log in" })).toBeEnabled();
  }
  await page.getByLabel("Password").fill("guess-6");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toHaveText(/^Too many failed logins\. Try again in \d+ minutes?\.$/);
});
