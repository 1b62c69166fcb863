import { expect, test } from "@playwright/test";
import { addFromCatalogue, attachScreenshot } from "./shop-helpers";

test("checkout shows a flash message once; a reload no longer shows it", async ({ page }, testInfo) => {
  await page.goto("/");
  await addFromCatalogue(page, "Base62 Socks");
  await page.goto("/cart");

  const ack = page.waitForResponse((response) => response.url().endsWith("/api/messages/ack") && response.request().method() === "POST");
  await page.getByRole("button", { name: "Check out" }).click();
  await expect(page).toHaveURL(/\/$/);
  const message = page.getByRole("list", { name: "Messages" }).getByRole("status");
  await expect(message).toContainText(/Order #\d+ placed: \$12\.00/);
  await expect(page.getByTestId("cart-count")).toHaveText("0");
  expect((await ack).status()).toBe(200);
  await attachScreenshot(page, testInfo, "flash-after-checkout");

  await page.reload();
  await expect(page.getByRole("heading", { name: "Catalogue", level: 1 })).toBeVisible();
  await expect(page.getByRole("list", { name: "Messages" })).toHaveCount(0);
});
