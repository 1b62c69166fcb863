import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { closeBrowsersAfterEach, keepScreenshot, rowsOf, signedIn } from "./support/admin";

// No serious or critical axe-core violation on any admin page, in the light
// and the dark colour scheme (chosen as the theme toggle does: by its cookie).

closeBrowsersAfterEach();

async function expectAccessible(page: Page, what: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.help}\n  ${violation.nodes.map((node) => node.target.join(" ")).join("\n  ")}`);
  expect(serious, `axe on ${what}`).toEqual([]);
}

for (const theme of ["light", "dark"] as const) {
  test(`every admin page passes axe in the ${theme} scheme`, async ({ browser, baseURL }) => {
    test.slow(); // two logins, six pages and six axe runs
    const cookies = [{ name: "sessionscope-theme", value: theme, url: `${baseURL}/admin` }];
    const withTheme = async (username: string) => {
      const page = await signedIn(browser, username, { viewport: { width: 1400, height: 900 } });
      await page.context().addCookies(cookies);
      return page;
    };
    const admin = await withTheme("admin");
    await admin.goto("/admin");
    await expect(admin.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();
    await expect(admin.locator(".recharts-bar-rectangle").first()).toBeAttached();
    await expectAccessible(admin, "the overview");
    await keepScreenshot(admin, test.info(), `overview-${theme}`, { fullPage: true });

    await admin.goto("/admin/sessions");
    await expect(admin.locator("#admin-root")).toHaveClass(new RegExp(`\\b${theme}\\b`));
    await expect(rowsOf(admin, "admin").first()).toBeVisible();
    await expectAccessible(admin, "the sessions list");
    await keepScreenshot(admin, test.info(), `sessions-${theme}`);

    await rowsOf(admin, "admin").first().getByRole("link", { name: /^Open session/ }).click();
    await expect(admin.getByRole("heading", { name: "Session of admin" })).toBeVisible();
    await expect(admin.locator("[data-marker=now]")).toBeVisible();
    await expectAccessible(admin, "a session's detail");
    await keepScreenshot(admin, test.info(), `detail-${theme}`, { fullPage: true });

    await admin.goto("/admin/audit");
    await expect(admin.getByRole("heading", { name: "Audit log", level: 1 })).toBeVisible();
    await expect(admin.locator("tbody[aria-busy]")).toHaveCount(0);
    await expectAccessible(admin, "the audit log");

    await admin.goto("/admin/users");
    await expect(admin.getByRole("button", { name: "Change role of admin" })).toBeVisible();
    await expectAccessible(admin, "the users page");

    await admin.goto("/admin/policy");
    await expect(admin.getByTestId("impact-summary")).toBeVisible();
    await expectAccessible(admin, "the policy page");
    await keepScreenshot(admin, test.info(), `policy-${theme}`, { fullPage: true });

    const alice = await withTheme("alice");
    await alice.goto("/admin");
    await expect(alice.getByRole("heading", { name: "403: not for this account" })).toBeVisible();
    await expectAccessible(alice, "the 403 page");
  });
}
