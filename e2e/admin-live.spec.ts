import { expect, test } from "@playwright/test";
import { closeBrowsersAfterEach, keepScreenshot, newBrowser, signedIn } from "./support/admin";
import { expectLive, liveIndicator, matchingSessions, matchingText } from "./support/live";
import { logIn } from "./shop-helpers";

// Live updates on one instance: an open dashboard follows logins and logouts
// made elsewhere without a reload, and its indicator says whether it is
// listening. alice logs in and out here; nobody's sessions are ended.

closeBrowsersAfterEach();

test("the sessions list counts a login made in another browser within 2 s, without a reload", async ({ browser }, testInfo) => {
  const admin = await signedIn(browser, "admin");
  await admin.goto("/admin/sessions?user=alice");
  await expectLive(admin);
  const before = await matchingSessions(admin);
  let reloaded = false;
  admin.on("framenavigated", (frame) => {
    if (frame === admin.mainFrame()) reloaded = true;
  });

  const alice = await newBrowser(browser);
  await logIn(alice, "alice");
  await expect(admin.getByText(matchingText(before + 1))).toBeVisible({ timeout: 2_000 });

  await alice.getByRole("button", { name: "Log out" }).first().click();
  await expect(admin.getByText(matchingText(before))).toBeVisible({ timeout: 2_000 });
  expect(reloaded).toBe(false);
  await keepScreenshot(admin, testInfo, "live-indicator");
});

test("the indicator says Live, then Paused when paused (nothing refreshes), and catches up on resume", async ({ browser }) => {
  const admin = await signedIn(browser, "security");
  await admin.goto("/admin/sessions?user=alice");
  await expectLive(admin);
  const before = await matchingSessions(admin);

  await admin.getByRole("button", { name: "Pause live updates" }).click();
  await expect(liveIndicator(admin)).toHaveText(/Paused$/);
  await expect(admin.getByRole("button", { name: "Resume live updates" })).toHaveAttribute("aria-pressed", "true");
  const alice = await newBrowser(browser);
  await logIn(alice, "alice");
  // Paused: a second is ample time for a live dashboard to have counted it.
  await admin.waitForTimeout(1_500);
  await expect(admin.getByText(matchingText(before))).toBeVisible();

  await admin.getByRole("button", { name: "Resume live updates" }).click();
  await expectLive(admin);
  await expect(admin.getByText(matchingText(before + 1))).toBeVisible({ timeout: 2_000 });
});

test("a hidden tab closes its stream and says Paused; shown again, it is Live and catches up", async ({ browser }) => {
  const admin = await signedIn(browser, "viewer");
  await admin.goto("/admin/sessions?user=alice");
  await expectLive(admin);
  const before = await matchingSessions(admin);
  const setVisibility = (state: "hidden" | "visible") =>
    admin.evaluate((value) => {
      Object.defineProperty(document, "visibilityState", { value, configurable: true });
      document.dispatchEvent(new Event("visibilitychange"));
    }, state);

  await setVisibility("hidden");
  await expect(liveIndicator(admin)).toHaveText(/Paused$/);
  const alice = await newBrowser(browser);
  await logIn(alice, "alice");
  await setVisibility("visible");
  await expectLive(admin);
  await expect(admin.getByText(matchingText(before + 1))).toBeVisible({ timeout: 2_000 });
});
