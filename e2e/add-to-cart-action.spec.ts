// The add-to-cart forms are server actions: they work the same without JavaScript
// (a plain form POST that Next answers with the page, the cookie and the result).
import { expect, test } from "@playwright/test";
import { sessionCookie } from "./shop-helpers";

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the product page's form adds to the cart and reports the action's answer", async ({ page, context }) => {
    await page.goto("/products/flush-notebook");
    await page.getByLabel("Quantity").fill("2");
    await page.getByRole("button", { name: "Add to cart" }).click();
    await expect(page.getByRole("status")).toHaveText("Added. Your cart now holds 2 items.");
    await expect(page.getByTestId("cart-count")).toHaveText("2");
    expect(await sessionCookie(context)).toMatch(/^[a-z0-9]{32}$/);

    await page.getByLabel("Quantity").fill("98");
    await page.getByRole("button", { name: "Add to cart" }).click();
    await expect(page.getByRole("main").getByRole("alert")).toHaveText("At most 99 of one product fit in the cart.");
    await expect(page.getByTestId("cart-count")).toHaveText("2");

    await page.goto("/cart");
    await expect(page.getByTestId("cart-total")).toHaveText("$22.00");
  });

  test("a catalogue card adds one", async ({ page }) => {
    await page.goto("/");
    await page.getByRole("button", { name: "Add Base62 Socks to cart" }).click();
    await expect(page.getByTestId("cart-count")).toHaveText("1");
    await expect(page.getByRole("article", { name: "Base62 Socks" })).toContainText("Added.");
  });
});
