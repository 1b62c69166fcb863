import { expect, test } from "@playwright/test";
import { SESSION_COOKIE, addFromCatalogue, sessionCookie } from "./shop-helpers";

for (const [label, tamper] of [
  ["a modified key", (value: string) => `${value.slice(0, -4)}${value.slice(-4) === "aaaa" ? "bbbb" : "aaaa"}`],
  ["garbage", () => "not-a-session%00<script>"],
] as const) {
  test(`a session cookie holding ${label} gives a fresh, working session`, async ({ page, context, baseURL }) => {
    await page.goto("/");
    await addFromCatalogue(page, "Rotation Key Ring");
    const original = await sessionCookie(context);
    expect(original).toBeTruthy();

    await context.addCookies([{ name: SESSION_COOKIE, value: tamper(original!), url: baseURL! }]);
    const response = await page.goto("/");
    expect(response?.status()).toBe(200);
    await expect(page.getByRole("heading", { name: "Catalogue", level: 1 })).toBeVisible();
    await expect(page.getByTestId("cart-count")).toHaveText("0");
    await page.goto("/cart");
    await expect(page.getByText("Your cart is empty.")).toBeVisible();

    await page.goto("/");
    await addFromCatalogue(page, "Signed Mug");
    const fresh = await sessionCookie(context);
    expect(fresh).toBeTruthy();
    expect(fresh).not.toBe(original);
    await page.goto("/cart");
    await expect(page.getByRole("row", { name: /Signed Mug/ })).toBeVisible();
    await expect(page.getByRole("row", { name: /Rotation Key Ring/ })).toHaveCount(0);
  });
}
