import { expect, test, type Page } from "@playwright/test";
import { addFromCatalogue, logIn, sessionCookie } from "./shop-helpers";

// The shop's "your session right now" panel, inside every "how this works"
// panel: the visitor's own session as the store holds it, refreshed after
// each action, and never its key.

const panel = (page: Page) => page.getByRole("region", { name: "Your session right now" });
const entry = (page: Page, key: string) => panel(page).getByRole("term").filter({ hasText: new RegExp(`^${key}$`) });

test("a first visit has no session; the first add to cart creates one, and the panel shows it without its key", async ({ page, context }, testInfo) => {
  await page.goto("/");
  await expect(panel(page)).toContainText("This browser has no session yet");

  await addFromCatalogue(page, "Signed Mug");
  await expect(entry(page, "cart")).toBeVisible();
  await expect(panel(page)).toContainText(/"items":\[\{"productId":\d+,"quantity":1\}\]/);
  await expect(panel(page)).toContainText(/ends in 13 days 23 h: cookie age/);
  // scripts/e2e-server.mjs: the db engine on SQLite, or cached_db on PostgreSQL with Redis in front.
  await expect(panel(page)).toContainText(
    testInfo.project.name === "sqlite" ? "a row in django_session on SQLite" : "(:1:django.contrib.sessions.cached_db…) in front of a row in django_session on PostgreSQL",
  );

  const key = (await sessionCookie(context))!;
  expect(key).toBeTruthy();
  expect(await page.content()).not.toContain(key);
  const response = await page.request.get("/api/session");
  expect(response.headers()["cache-control"]).toBe("no-store");
  const json = await response.text();
  expect(json).not.toContain(key);
  const view = JSON.parse(json) as { session: { publicId: string } };
  await expect(panel(page)).toContainText(view.session.publicId);
});

test("an action the page takes without reloading shows in the panel: removing the last line empties the cart", async ({ page }) => {
  await page.goto("/");
  await addFromCatalogue(page, "Base62 Socks");
  await page.goto("/cart");
  await page.getByRole("button", { name: "Remove Base62 Socks" }).click();
  await expect(panel(page)).toContainText('{"items":[]}');
});

test("the flash message a checkout leaves is gone from the panel once the page has shown it", async ({ page }) => {
  await logIn(page, "bob");
  await page.goto("/");
  await addFromCatalogue(page, "zlib Tote");
  await page.goto("/cart");
  await page.getByRole("button", { name: "Check out" }).click();
  await expect(page.getByRole("list", { name: "Messages" })).toBeVisible();
  await expect(entry(page, "cart")).toHaveCount(0);
  await expect(entry(page, "_flash")).toHaveCount(0);
  await expect(entry(page, "_auth_user_id")).toBeVisible();
});

test("a shopper sees the framework's keys explained and the hash masked, and no dashboard link", async ({ page }) => {
  await logIn(page, "alice");
  await expect(entry(page, "_auth_user_id")).toBeVisible();
  await expect(panel(page)).toContainText("Who is logged in: alice.");
  const hash = panel(page).getByRole("definition").filter({ hasText: "An HMAC of your password hash" });
  await expect(hash).toContainText(/"••••[0-9a-f]{4}"/);
  await expect(panel(page).getByRole("link", { name: "Open this session in the dashboard" })).toHaveCount(0);
});

test("a visitor with a dashboard role gets a link to the same session in /admin", async ({ page }) => {
  await logIn(page, "viewer");
  const view = (await (await page.request.get("/api/session")).json()) as { session: { publicId: string } };
  const link = panel(page).getByRole("link", { name: "Open this session in the dashboard" });
  await expect(link).toHaveAttribute("href", `/admin/sessions/${view.session.publicId}`);
  await link.click();
  await expect(page.getByRole("heading", { name: "Session of viewer" })).toBeVisible();
  await expect(page.getByText(view.session.publicId).first()).toBeVisible();
});
