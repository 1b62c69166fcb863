// Every answer carries the security headers: a nonce-based Content-Security-Policy
// on pages (which still load and work with no violation), no framing, no sniffing,
// a referrer policy, and no caching of anything read from the session.
import { expect, test, type Page, type Response } from "@playwright/test";
import { addFromCatalogue, logIn } from "./shop-helpers";

/** Records CSP violations as the page reports them (events and console), from before its first script. */
async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  const consoleErrors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy/i.test(message.text())) consoleErrors.push(message.text());
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __violations: string[] }).__violations = seen;
    document.addEventListener("securitypolicyviolation", (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`));
  });
  return async () => [...consoleErrors, ...(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations))];
}

function expectPageHeaders(response: Response | null, path: string): void {
  expect(response, path).not.toBeNull();
  const headers = response!.headers();
  const policy = headers["content-security-policy"] ?? "";
  const scripts = policy.split(";").map((part) => part.trim()).find((part) => part.startsWith("script-src")) ?? "";
  expect(scripts, path).toMatch(/'nonce-[A-Za-z0-9+/=]{20,}'/);
  expect(scripts, path).not.toContain("unsafe-inline");
  expect(scripts, path).not.toContain("unsafe-eval");
  expect(policy, path).toContain("frame-ancestors 'none'");
  expect(policy, path).toContain("object-src 'none'");
  expect(headers["x-frame-options"], path).toBe("DENY");
  expect(headers["x-content-type-options"], path).toBe("nosniff");
  expect(headers["referrer-policy"], path).toBe("same-origin");
  expect(headers["cache-control"], path).toContain("no-store");
}

test("every page loads under its Content-Security-Policy with no violation, and the shop still works", async ({ page }) => {
  const violations = await watchViolations(page);
  const nonces = new Set<string>();
  const visit = async (path: string) => {
    const response = await page.goto(path);
    expectPageHeaders(response, path);
    nonces.add(/'nonce-([^']+)'/.exec(response!.headers()["content-security-policy"]!)![1]!);
  };

  await visit("/");
  await addFromCatalogue(page, "Signed Mug"); // hydrated: the client bundle ran under the policy
  await visit("/products/cookie-jar");
  await expect(page.getByRole("heading", { name: "Cookie Jar", level: 1 })).toBeVisible();
  await visit("/cart");
  await expect(page.getByRole("row", { name: /Signed Mug/ })).toBeVisible();
  await visit("/login");
  await logIn(page, "viewer");
  await visit("/account");
  await expect(page.getByRole("heading", { name: "Your sessions", level: 1 })).toBeVisible();
  await visit("/account/password");
  await expect(page.getByRole("heading", { name: "Change password", level: 1 })).toBeVisible();
  const missing = await page.goto("/no-such-page");
  expect(missing?.status()).toBe(404);
  expectPageHeaders(missing, "/no-such-page");

  expect(await violations()).toEqual([]);
  expect(nonces.size).toBe(6); // a fresh nonce for every response
});

test("the dashboard's dialogs and menus open under the same policy with no violation", async ({ page }) => {
  const violations = await watchViolations(page);
  await logIn(page, "security", "demo-security");
  await page.goto("/admin/sessions?user=security");
  await page.getByRole("button", { name: /End sessions issued before/ }).click();
  const dialog = page.getByRole("alertdialog");
  await expect(dialog).toBeVisible();
  // The dialog locks the page's scrolling with a <style> it adds: admitted by the nonce.
  await expect(page.locator("style[nonce]")).not.toHaveCount(0);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  expect(await violations()).toEqual([]);
});

test("markup injected into a page cannot run script", async ({ page }) => {
  const violations = await watchViolations(page);
  // A stored cross-site scripting flaw, simulated: the page's real answer, its headers included,
  // with attacker markup spliced into the HTML.
  await page.route("**/", async (route) => {
    const response = await route.fetch();
    const html = (await response.text()).replace(
      "<main",
      '<script>window.__injected = "inline script"</script><img src="data:," onload="window.__injected = \'inline handler\'"><main',
    );
    await route.fulfill({ response, body: html });
  });
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Catalogue", level: 1 })).toBeVisible();
  await addFromCatalogue(page, "Cookie Jar"); // Next's own scripts, which carry the nonce, still run
  expect(await page.evaluate(() => (window as unknown as { __injected?: string }).__injected)).toBeUndefined();
  const blocked = await violations();
  expect(blocked.filter((line) => /script-src/.test(line)).length).toBeGreaterThanOrEqual(2);
});

test("no other site can frame the shop", async ({ page, baseURL }) => {
  // Another origin (localhost rather than 127.0.0.1) whose page puts the shop in an iframe, as clickjacking does.
  const other = baseURL!.replace("127.0.0.1", "localhost");
  await page.route(`${other}/framing`, (route) =>
    route.fulfill({ contentType: "text/html", body: `<iframe id="shop" src="${baseURL}/login" width="800" height="600"></iframe>` }),
  );
  await page.goto(`${other}/framing`); // waits for the iframe to load too
  // Chromium shows its error page in place of a document that refuses to be framed.
  expect(page.frames().map((frame) => frame.url())).toEqual([`${other}/framing`, "chrome-error://chromewebdata/"]);
  await expect(page.frameLocator("#shop").getByRole("heading", { name: "Log in" })).toHaveCount(0);
  await expect(page.frameLocator("#shop").getByLabel("Password")).toHaveCount(0);
});

test("answers read from the session are never stored; the public catalogue may be", async ({ request, baseURL }) => {
  const origin = { Origin: baseURL!, "Content-Type": "application/json" };
  const answers = {
    "GET /api/cart": await request.get("/api/cart"),
    "POST /api/cart/items": await request.post("/api/cart/items", { headers: origin, data: { productId: 1 } }),
    "DELETE /api/cart/items/1": await request.delete("/api/cart/items/1", { headers: origin }),
    "GET /api/auth/me": await request.get("/api/auth/me"),
    "POST /api/auth/login": await request.post("/api/auth/login", { headers: origin, data: { username: "viewer", password: "demo-viewer" } }),
    "GET /api/account/sessions": await request.get("/api/account/sessions"),
    "POST /api/auth/logout": await request.post("/api/auth/logout", { headers: origin }),
    "GET /api/account/sessions (401)": await request.get("/api/account/sessions"),
  };
  for (const [name, response] of Object.entries(answers)) {
    expect(response.status(), name).toBeLessThan(500);
    expect(response.headers()["cache-control"], name).toContain("no-store");
    expect(response.headers()["content-security-policy"], name).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(response.headers()["x-content-type-options"], name).toBe("nosniff");
  }
  const catalogue = await request.get("/api/products");
  expect(catalogue.headers()["cache-control"] ?? "").not.toContain("no-store");
});
