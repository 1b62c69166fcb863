import { expect, test } from "@playwright/test";

test("the home page lists the seeded products", async ({ page }, testInfo) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Catalogue", level: 1 })).toBeVisible();
  const products = page.getByRole("article");
  await expect(products).toHaveCount(8);
  await expect(page.getByRole("article", { name: "Signed Mug" })).toContainText("$14.00");
  await expect(page.getByRole("article", { name: "Middleware Hoodie" })).toContainText("$52.00");
  await page.screenshot({ path: testInfo.outputPath("catalogue.png"), fullPage: true });
  await testInfo.attach("catalogue", { path: testInfo.outputPath("catalogue.png"), contentType: "image/png" });
});

test("browsing the catalogue sets no session cookie", async ({ page, context }) => {
  await page.goto("/");
  await expect(page.getByRole("article")).toHaveCount(8);
  expect((await context.cookies()).map((c) => c.name)).not.toContain("sessionid");
});

test("the products API returns the catalogue as JSON", async ({ request }) => {
  const response = await request.get("/api/products");
  expect(response.ok()).toBe(true);
  const body = (await response.json()) as { items: Array<{ name: string; price: number }> };
  expect(body.items).toHaveLength(8);
  expect(body.items[0]).toMatchObject({ name: "Signed Mug", price: 14 });
});
