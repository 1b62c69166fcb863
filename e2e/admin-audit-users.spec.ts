import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { logIn } from "./shop-helpers";

// The Users page and the audit log, as an admin and a viewer would use them,
// against the real API and store. Only bob's role changes here, and it is
// withdrawn again at the end of the test that grants it.

const contexts: BrowserContext[] = [];
test.afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});

async function signedIn(browser: Browser, username: string): Promise<Page> {
  const context = await browser.newContext();
  contexts.push(context);
  const page = await context.newPage();
  await logIn(page, username);
  return page;
}

/** Sets a role through the API, as the page does (the request carries the page's origin and cookie). */
async function setRole(page: Page, username: string, role: string | null): Promise<void> {
  const users = (await (await page.request.get(`/api/admin/users?q=${username}`)).json()) as { items: Array<{ id: number; username: string }> };
  const id = users.items.find((user) => user.username === username)!.id;
  const origin = new URL(page.url()).origin;
  expect((await page.request.put(`/api/admin/users/${id}/role`, { data: { role }, headers: { Origin: origin } })).ok()).toBe(true);
}

const userRow = (page: Page, username: string) => page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: new RegExp(`^${username}\\b`) }) });
const auditTable = (page: Page) => page.getByRole("table", { name: "Admin actions, newest first" });

test("an admin makes bob security: the dialog names what ends, bob's browser is signed out, and the log shows both", async ({ browser }) => {
  const bob = await signedIn(browser, "bob");
  const admin = await signedIn(browser, "admin");
  await admin.goto("/admin/users");
  await expect(userRow(admin, "bob").getByRole("cell").nth(2)).toHaveText("1");

  await admin.getByRole("button", { name: "Change role of bob" }).click();
  await admin.getByRole("menuitemradio", { name: /^Security/ }).click();
  const dialog = admin.getByRole("alertdialog", { name: "Make bob security?" });
  await expect(dialog).toContainText("Their 1 session ends, so the new role starts with a fresh login.");
  await dialog.getByRole("button", { name: "Make security" }).click();
  await expect(admin.getByText("bob is now security", { exact: true })).toBeVisible();
  await expect(admin.getByText("1 session ended.", { exact: true })).toBeVisible();
  await expect(userRow(admin, "bob")).toContainText("security");

  await bob.goto("/account");
  await expect(bob).toHaveURL(/\/login\?next=%2Faccount$/);

  await admin.goto("/admin/audit");
  await expect(auditTable(admin)).toContainText("Granted security to bob");
  await expect(auditTable(admin)).toContainText("Ended 1 session of bob (role change)");

  await setRole(admin, "bob", null);
});

test("the last admin cannot drop their own role: the error toast says why, and nothing changes", async ({ browser }) => {
  const admin = await signedIn(browser, "admin");
  await admin.goto("/admin/users");
  await admin.getByRole("button", { name: "Change role of admin" }).click();
  await admin.getByRole("menuitemradio", { name: /^No role/ }).click();
  const dialog = admin.getByRole("alertdialog", { name: "Withdraw the admin role of admin?" });
  await expect(dialog).toContainText("you will be asked to log in again");
  await dialog.getByRole("button", { name: "Withdraw role" }).click();
  await expect(admin.getByText("The role of admin was not changed", { exact: true })).toBeVisible();
  await expect(admin.getByText(/admin is the last admin/).first()).toBeVisible();
  await expect(userRow(admin, "admin")).toContainText("admin");
  await expect(admin.getByRole("button", { name: "Change role of admin" })).toBeFocused();
});

test("the audit log's filters live in the URL, and the CSV export carries the same filters", async ({ browser }) => {
  const admin = await signedIn(browser, "admin");
  await setRole(admin, "bob", "viewer");
  await setRole(admin, "bob", null);
  const security = await signedIn(browser, "security");
  await security.goto("/admin/audit");
  await security.getByLabel("Action").selectOption({ label: "Granted or changed a role" });
  await expect(security).toHaveURL(/\/admin\/audit\?action=role\.grant$/);
  await expect(auditTable(security)).toContainText("Granted viewer to bob");
  for (const row of await auditTable(security).locator("tbody tr").all()) await expect(row).toContainText(/Granted|Changed/);

  const href = await security.getByRole("link", { name: "Export CSV" }).getAttribute("href");
  expect(href).toBe("/api/admin/audit?action=role.grant&format=csv");
  const csv = await security.request.get(href!);
  expect(csv.headers()["content-type"]).toMatch(/^text\/csv/);
  const lines = (await csv.text()).trim().split(/\r?\n/);
  expect(lines[0]).toMatch(/^id,at,actor_id,actor,action,/);
  expect(lines.length).toBeGreaterThan(1);
  for (const line of lines.slice(1)) expect(line).toContain(",role.grant,");

  await security.goto("/admin/audit?action=role.grant&actor=nobody-at-all");
  await expect(security.getByRole("heading", { name: "No entry matches these filters" })).toBeVisible();
});

test("a viewer reads the audit log but is offered no Users page, and gets a 403 there", async ({ browser }) => {
  const viewer = await signedIn(browser, "viewer");
  await viewer.goto("/admin/audit");
  await expect(viewer.getByRole("heading", { name: "Audit log", level: 1 })).toBeVisible();
  await expect(viewer.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Users" })).toHaveCount(0);
  await viewer.goto("/admin/users");
  await expect(viewer.getByRole("heading", { name: "403: not for this account" })).toBeVisible();
  expect((await viewer.request.get("/api/admin/users")).status()).toBe(403);
});
