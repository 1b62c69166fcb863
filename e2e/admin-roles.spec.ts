import { expect, test, type Page } from "@playwright/test";
import type { AdminUserList } from "@/lib/admin-api";
import { logIn } from "./shop-helpers";
import { closeBrowsersAfterEach, expectSignedOut, fetchFromPage, newBrowser, rowsOf, signedIn } from "./support/admin";

// Who may do what, seen from each role's own browser: what the pages offer,
// what the API answers when called directly from that browser, and what a
// change of role does to the user's open sessions.

closeBrowsersAfterEach();

/** Every mutating admin route, each body form of the revoke route included. */
const MUTATIONS = [
  ["DELETE", "/api/admin/sessions/AAAAAAAAAAAAAAAAAAAAAA", undefined],
  ["POST", "/api/admin/sessions/revoke", { ids: ["AAAAAAAAAAAAAAAAAAAAAA"] }],
  ["POST", "/api/admin/sessions/revoke", { userId: 1 }],
  ["POST", "/api/admin/sessions/revoke", { issuedBefore: new Date().toISOString() }],
  ["PUT", "/api/admin/users/1/role", { role: "admin" }],
  ["PUT", "/api/admin/policy", { cookieAge: 3600, expireAtBrowserClose: false, saveEveryRequest: false, idleTimeout: null, absoluteLifetime: null, cookieSecure: false, cookieSameSite: "Lax", maxSessionsPerUser: null, version: 0 }],
] as const;

async function userId(admin: Page, username: string): Promise<number> {
  const { status, json } = await fetchFromPage(admin, "GET", `/api/admin/users?q=${username}`);
  expect(status).toBe(200);
  const user = (json as AdminUserList).items.find((item) => item.username === username);
  expect(user).toBeDefined();
  return user!.id;
}

test("a viewer reads every page it may open, is offered no kill or role control, and the API refuses its changes", async ({ browser }) => {
  const viewer = await signedIn(browser, "viewer");
  await viewer.goto("/admin/audit");
  await expect(viewer.getByRole("heading", { name: "Audit log", level: 1 })).toBeVisible();
  const nav = viewer.getByRole("navigation", { name: "Dashboard" });
  await expect(nav.getByRole("link")).toHaveText(["Overview", "Sessions", "Audit log"]);
  await expect(viewer.getByRole("button", { name: /^(End |Change role)/ })).toHaveCount(0);

  await viewer.goto("/admin/sessions");
  await expect(rowsOf(viewer, "viewer").first()).toBeVisible();
  await expect(viewer.getByRole("button", { name: /^End / })).toHaveCount(0);

  // The Policy and Users pages are for admins: the viewer gets the 403 page, not the form or the list.
  await viewer.goto("/admin/policy");
  await expect(viewer.getByRole("heading", { name: "403: not for this account" })).toBeVisible();
  await viewer.goto("/admin/users");
  await expect(viewer.getByRole("heading", { name: "403: not for this account" })).toBeVisible();
  await expect(viewer.getByRole("alert").filter({ hasText: "403" })).toContainText("signed in as viewer with the viewer role");
  await expect(viewer.getByRole("button", { name: /^Change role/ })).toHaveCount(0);

  for (const [method, path, body] of MUTATIONS) {
    const answer = await fetchFromPage(viewer, method, path, body);
    expect({ method, path, body, status: answer.status }).toEqual({ method, path, body, status: 403 });
    expect(answer.json).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
  }
  // Still signed in, and nothing was ended: the viewer's own session is still listed.
  await viewer.goto("/admin/sessions");
  await expect(rowsOf(viewer, "viewer").first()).toBeVisible();
});

test("a shopper gets 403 from the API and the 403 page at /admin; a signed-out browser gets 401", async ({ browser }) => {
  const alice = await signedIn(browser, "alice");
  await alice.goto("/admin");
  await expect(alice.getByRole("heading", { name: "403: not for this account" })).toBeVisible();
  await expect(alice.getByRole("alert").filter({ hasText: "403" })).toContainText("signed in as alice, who has no dashboard role");
  await expect(alice.getByRole("table")).toHaveCount(0);
  for (const path of ["/api/admin/sessions", "/api/admin/audit", "/api/admin/users"]) {
    expect((await fetchFromPage(alice, "GET", path)).status, path).toBe(403);
  }
  expect((await fetchFromPage(alice, "POST", "/api/admin/sessions/revoke", { ids: ["AAAAAAAAAAAAAAAAAAAAAA"] })).status).toBe(403);

  const anonymous = await newBrowser(browser);
  await anonymous.goto("/");
  for (const path of ["/api/admin/sessions", "/api/admin/audit", "/api/admin/users"]) {
    expect((await fetchFromPage(anonymous, "GET", path)).status, path).toBe(401);
  }
  for (const [method, path, body] of MUTATIONS) {
    expect((await fetchFromPage(anonymous, method, path, body)).status, `${method} ${path}`).toBe(401);
  }
});

test("signed out, a filtered /admin/sessions leads to the login page and back to the same view after the login", async ({ browser }) => {
  const page = await newBrowser(browser);
  await page.goto("/admin/sessions?user=security");
  await expect(page).toHaveURL(/\/login\?next=%2Fadmin%2Fsessions%3Fuser%3Dsecurity$/);
  await expect(page.getByRole("table", { name: "Sessions" })).toHaveCount(0);
  await page.getByLabel("Username").fill("security");
  await page.getByLabel("Password").fill("demo-security");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(/\/admin\/sessions\?user=security$/);
  await expect(rowsOf(page, "security").first()).toBeVisible();
  await expect(page.getByLabel("User", { exact: true })).toHaveValue("security");
});

test("granting bob a role on the Users page signs out the browser he has open", async ({ browser }) => {
  const bob = await signedIn(browser, "bob");
  const admin = await signedIn(browser, "admin");
  await admin.goto("/admin/users");
  const id = await userId(admin, "bob");
  try {
    const row = admin.getByRole("row").filter({ has: admin.getByRole("rowheader", { name: /^bob\b/ }) });
    await expect(row.getByRole("cell").first()).toHaveText("no role");
    await row.getByRole("button", { name: "Change role of bob" }).click();
    await admin.getByRole("menuitemradio", { name: /^Viewer/ }).click();
    const dialog = admin.getByRole("alertdialog", { name: "Make bob viewer?" });
    await expect(dialog).toContainText(/Their [\d,]+ sessions? ends?, so the new role starts with a fresh login/);
    await dialog.getByRole("button", { name: "Make viewer" }).click();
    await expect(admin.getByText("bob is now viewer", { exact: true })).toBeVisible();
    await expect(row.getByRole("cell").first()).toHaveText("viewer");

    // Bob's open browser is anonymous on its next request.
    await bob.goto("/");
    await expect(bob.getByRole("link", { name: "Log in" })).toBeVisible();
    await expectSignedOut(bob);

    // With a fresh login, the new role opens the dashboard.
    await logIn(bob, "bob");
    await bob.goto("/admin/sessions");
    await expect(rowsOf(bob, "bob").first()).toBeVisible();
  } finally {
    // Bob is a shopper again for the other specs.
    expect((await fetchFromPage(admin, "PUT", `/api/admin/users/${id}/role`, { role: null })).status).toBe(200);
  }
});
