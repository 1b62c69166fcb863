import { expect, test, type Page } from "@playwright/test";
import { closeBrowsersAfterEach, expectSignedOut, newBrowser, rowsOf, sessionsTable, signedIn } from "./support/admin";

// The sessions list and the session detail, driven as each role would, against
// the real API and store. Only alice's sessions are ended here (and, in the
// last test, everything older than a moment): other specs log in afresh.

closeBrowsersAfterEach();

/** Selects the user's most recently active session and presses "End 1 session"; returns its public id. */
async function selectAndEndLatestOf(page: Page, username: string): Promise<string | null> {
  await page.goto(`/admin/sessions?user=${username}&sort=-activity`);
  const row = rowsOf(page, username).first();
  const id = await row.getAttribute("data-session-id");
  await row.getByRole("checkbox").check();
  await page.getByRole("button", { name: "End 1 session" }).click();
  return id;
}

test("a viewer reads the list and a session but is offered no way to end one", async ({ browser }) => {
  await signedIn(browser, "alice");
  const viewer = await signedIn(browser, "viewer");
  await viewer.goto("/admin/sessions?user=alice");
  await expect(rowsOf(viewer, "alice").first()).toBeVisible();
  await expect(viewer.getByRole("checkbox")).toHaveCount(0);
  await expect(viewer.getByRole("button", { name: /^End / })).toHaveCount(0);

  await rowsOf(viewer, "alice").first().getByRole("link", { name: /^Open session/ }).click();
  await expect(viewer.getByRole("heading", { name: "Session of alice" })).toBeVisible();
  await expect(viewer.getByRole("button", { name: /^End / })).toHaveCount(0);
  await expect(viewer.getByRole("button", { name: "Reveal" })).toHaveCount(0);
});

test("filters live in the URL: a link reproduces the view, and clearing them shows every session", async ({ browser }) => {
  await signedIn(browser, "alice");
  const admin = await signedIn(browser, "admin");
  await admin.goto("/admin/sessions");
  await admin.getByLabel("User", { exact: true }).fill("alice");
  await admin.getByLabel("User", { exact: true }).press("Enter");
  await expect(admin).toHaveURL(/[?&]user=alice\b/);
  await expect(admin.getByText(/^\d[\d,]* sessions? match(es)? these filters/)).toBeVisible();
  const users = sessionsTable(admin).locator("tbody tr td:nth-child(3)");
  await expect(users.first()).toHaveText("alice");
  expect(new Set(await users.allTextContents())).toEqual(new Set(["alice"]));

  const link = admin.url();
  const other = await newBrowser(browser, { storageState: await admin.context().storageState() });
  await other.goto(link);
  await expect(other.getByLabel("User", { exact: true })).toHaveValue("alice");
  await expect(rowsOf(other, "alice").first()).toBeVisible();

  await admin.getByRole("button", { name: "Clear filters" }).click();
  await expect(admin).toHaveURL(/\/admin\/sessions$/);
  await expect(rowsOf(admin, "admin").first()).toBeVisible();
});

test("security ends a selected session: the row goes at once, the toast counts it, and its browser is signed out", async ({ browser }) => {
  const alice = await signedIn(browser, "alice");
  const security = await signedIn(browser, "security");
  const id = await selectAndEndLatestOf(security, "alice");

  const dialog = security.getByRole("alertdialog", { name: "End 1 session of alice?" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  await dialog.getByRole("button", { name: "End 1 session" }).click();

  await expect(security.locator(`tr[data-session-id="${id}"]`)).toHaveCount(0);
  await expect(security.getByText("Ended 1 session", { exact: true })).toBeVisible();
  await expectSignedOut(alice);
});

test("a kill the server refuses puts the row back and says so", async ({ browser, baseURL }) => {
  await signedIn(browser, "alice");
  const security = await signedIn(browser, "security");
  const admin = await signedIn(browser, "admin");
  const id = await selectAndEndLatestOf(security, "alice");

  // Meanwhile an admin ends every session of the security user, so this browser's kill is refused (401).
  const { items } = (await (await admin.request.get("/api/admin/sessions?user=security")).json()) as { items: Array<{ userId: number }> };
  const revoke = await admin.request.post("/api/admin/sessions/revoke", { data: { userId: items[0]!.userId }, headers: { Origin: new URL(baseURL!).origin } });
  expect(revoke.ok()).toBe(true);

  await security.getByRole("alertdialog").getByRole("button", { name: "End 1 session" }).click();
  await expect(security.getByText("No session was ended", { exact: true })).toBeVisible();
  await expect(security.locator(`tr[data-session-id="${id}"]`)).toBeVisible();
  await expect(security.getByRole("heading", { name: "You are signed out" })).toBeVisible();
});

test("the detail explains the data and the timeline, and 'End this session' leaves it shown as ended", async ({ browser }) => {
  const alice = await signedIn(browser, "alice");
  const admin = await signedIn(browser, "admin");
  await admin.goto("/admin/sessions?user=alice&sort=-activity");
  await rowsOf(admin, "alice").first().getByRole("link", { name: /^Open session/ }).click();
  await expect(admin.getByRole("heading", { name: "Session of alice" })).toBeVisible();

  await expect(admin.getByText("Signed-in user: alice")).toBeVisible();
  const hash = admin.locator("dd").filter({ hasText: "Derived from the user's password" }).locator("code");
  await expect(hash).toHaveText(/^••••.{4}$/);
  await admin.getByRole("button", { name: "Reveal" }).click();
  await expect(hash).not.toHaveText(/•/);

  const now = admin.locator("[data-marker=now]");
  await now.focus();
  await expect(admin.getByRole("tooltip")).toContainText("Now");
  await expect(admin.locator("[data-marker=created]")).toHaveAttribute("aria-label", /^Created: /);

  await admin.getByRole("button", { name: "End this session" }).click();
  await admin.getByRole("alertdialog", { name: "End this session of alice?" }).getByRole("button", { name: "End this session" }).click();
  await expect(admin.getByText("This session has ended")).toBeVisible();
  await expect(admin.getByText("ended", { exact: true })).toBeVisible();
  await expectSignedOut(alice);

  await admin.reload();
  await expect(admin.getByRole("heading", { name: "This session does not exist or has ended" })).toBeVisible();
});

test("'End all sessions of alice' signs out each of her browsers", async ({ browser }) => {
  const first = await signedIn(browser, "alice");
  const second = await signedIn(browser, "alice");
  const admin = await signedIn(browser, "admin");
  await admin.goto("/admin/sessions?user=alice");
  await expect(rowsOf(admin, "alice")).not.toHaveCount(0);
  const count = await rowsOf(admin, "alice").count();
  await rowsOf(admin, "alice").first().getByRole("link", { name: /^Open session/ }).click();

  const label = `End all ${count} sessions of alice`;
  await admin.getByRole("button", { name: label }).click();
  await admin.getByRole("alertdialog", { name: `End ${count} sessions of alice?` }).getByRole("button", { name: `End ${count} sessions` }).click();
  await expect(admin.getByText("This session has ended")).toBeVisible();
  await expectSignedOut(first);
  await expectSignedOut(second);
  await admin.goto("/admin/sessions?user=alice");
  await expect(admin.getByRole("heading", { name: "No session matches these filters" })).toBeVisible();
});

test("an unknown session id says so instead of failing", async ({ browser }) => {
  const admin = await signedIn(browser, "admin");
  await admin.goto("/admin/sessions/no-such-session");
  await expect(admin.getByRole("heading", { name: "This session does not exist or has ended" })).toBeVisible();
  await expect(admin.getByRole("link", { name: "Back to sessions" })).toBeVisible();
});

test("'End sessions issued before…' names the moment and ends the older sessions only", async ({ browser }) => {
  const alice = await signedIn(browser, "alice");
  // A moment after alice's login and before the admin's (the input takes seconds).
  await new Promise((resolve) => setTimeout(resolve, 1100));
  const moment = new Date(Math.ceil(Date.now() / 1000) * 1000);
  await new Promise((resolve) => setTimeout(resolve, 1100));
  const admin = await signedIn(browser, "admin");
  await admin.goto("/admin/sessions");

  await admin.getByRole("button", { name: "End sessions issued before…" }).click();
  await admin.getByLabel("Created before (UTC)").fill(moment.toISOString().slice(0, 19));
  const time = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(moment);
  const dialog = admin.getByRole("alertdialog", { name: `End every session created before ${time} UTC?` });
  await expect(dialog).toContainText("on every engine");
  await dialog.getByRole("button", { name: "End these sessions" }).click();
  await expect(admin.getByText(/^Ended [\d,]+ sessions?$/)).toBeVisible();

  await expectSignedOut(alice);
  await admin.goto("/admin/sessions");
  await expect(rowsOf(admin, "admin").first()).toBeVisible();
});
