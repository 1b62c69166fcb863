import { expect, test } from "@playwright/test";
import { addFromCatalogue, attachScreenshot, sessionCookie } from "./shop-helpers";

test("an anonymous visitor fills a cart and sees the right total", async ({ page, context }, testInfo) => {
  await page.goto("/");
  await expect(page.getByTestId("cart-count")).toHaveText("0");
  await addFromCatalogue(page, "Signed Mug"); // $14.00
  await addFromCatalogue(page, "Cookie Jar"); // $24.00
  expect(await sessionCookie(context)).toBeTruthy();

  await page.getByRole("link", { name: /^Cart/ }).click();
  await expect(page.getByRole("heading", { name: "Your cart", level: 1 })).toBeVisible();
  await expect(page.getByRole("row", { name: /Signed Mug/ })).toContainText("$14.00");
  await expect(page.getByRole("row", { name: /Cookie Jar/ })).toContainText("$24.00");
  await expect(page.getByTestId("cart-total")).toHaveText("$38.00");
  await expect(page.getByRole("complementary", { name: "How this works" })).toContainText("session.modify()");
  await attachScreenshot(page, testInfo, "cart");

  await page.getByRole("button", { name: "Remove Signed Mug" }).click();
  await expect(page.getByRole("row", { name: /Signed Mug/ })).toHaveCount(0);
  await expect(page.getByTestId("cart-total")).toHaveText("$24.00");
  await expect(page.getByTestId("cart-count")).toHaveText("1");
});

test("the product page adds a chosen quantity", async ({ page }, testInfo) => {
  await page.goto("/");
  await page.getByRole("link", { name: "Middleware Hoodie" }).click();
  await expect(page).toHaveURL(/\/products\/middleware-hoodie$/);
  await expect(page.getByRole("heading", { name: "Middleware Hoodie", level: 1 })).toBeVisible();
  await page.getByLabel("Quantity").fill("3");
  await page.getByRole("button", { name: "Add to cart" }).click();
  await expect(page.getByRole("status")).toContainText("3 items");
  await expect(page.getByTestId("cart-count")).toHaveText("3");
  await attachScreenshot(page, testInfo, "product");

  await page.goto("/cart");
  await expect(page.getByTestId("cart-total")).toHaveText("$156.00");
});

test("the API's refusal is shown: no more than 99 of one product", async ({ page }) => {
  await page.goto("/products/zlib-tote");
  await page.getByLabel("Quantity").fill("99");
  await page.getByRole("button", { name: "Add to cart" }).click();
  await expect(page.getByTestId("cart-count")).toHaveText("99");
  await page.getByLabel("Quantity").fill("1");
  await page.getByRole("button", { name: "Add to cart" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("At most 99 of one product fit in the cart.");
});

test("an unknown product is a 404 page", async ({ page }) => {
  const response = await page.goto("/products/no-such-thing");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
});

test("an empty cart says so", async ({ page }) => {
  await page.goto("/cart");
  await expect(page.getByText("Your cart is empty.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Check out" })).toHaveCount(0);
});
