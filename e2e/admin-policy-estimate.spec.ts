// The policy preview above the snapshot size: an app of its own, filled by
// `sessionscope seed` past 20,000 live sessions, answers the preview from its
// once-a-minute histogram of the live sessions, says so, and counts every
// session when the admin asks.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "@playwright/test";
import { closeBrowsersAfterEach, keepScreenshot, newBrowser } from "./support/admin";
import { startAppServer, type AppServer } from "./support/app-server";
import { logIn } from "./shop-helpers";

const root = fileURLToPath(new URL("..", import.meta.url));

closeBrowsersAfterEach();

test.describe("the policy preview at 25,000 sessions", () => {
  let dir: string;
  let app: AppServer;

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    dir = mkdtempSync(join(tmpdir(), "sessionscope-e2e-estimate-"));
    const env = { DATABASE_URL: `file:${join(dir, "app.db")}` };
    app = await startAppServer(env);
    // Beside the running app, as an operator would: no expired ones, so all 25,000 are live.
    const seed = spawnSync(process.execPath, [join(root, "bin", "sessionscope.js"), "seed", "--sessions", "25000", "--users", "500", "--expired", "0"], {
      cwd: root,
      env: { ...process.env, ...env, NODE_ENV: "production", SESSIONSCOPE_DEMO: "1", SESSION_ENGINE: "db" },
      encoding: "utf8",
    });
    if (seed.status !== 0) throw new Error(`seed failed: ${seed.stderr}`);
  });

  test.afterAll(async () => {
    await app?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test("is estimated from the snapshot, says so and how old it is, and counts every session on request", async ({ browser }) => {
    const admin = await newBrowser(browser, { baseURL: app.url, viewport: { width: 1400, height: 1000 } });
    await logIn(admin, "admin");
    await admin.goto("/admin/policy");
    const summary = admin.getByTestId("impact-summary");
    const note = admin.getByTestId("impact-estimate");
    const panel = admin.getByRole("region", { name: "Impact on today's sessions" });
    await expect(note).toContainText("Estimated from the live sessions as of");
    await expect(summary).toContainText(/Estimated over about 25,0\d\d live sessions/);

    // An absolute lifetime of a week: the seed's sessions are up to two weeks old, the older ones end at once.
    await admin.getByRole("checkbox", { name: "Absolute lifetime on" }).check();
    await admin.getByLabel("Absolute lifetime", { exact: true }).fill("7");
    await admin.getByRole("combobox", { name: "Absolute lifetime unit" }).selectOption("days");
    await expect(panel).toHaveAttribute("aria-busy", "false");
    await expect(summary).toContainText(/Ends about [\d,]+ sessions at once, signing out about [\d,]+ users/);
    const estimated = Number((await summary.textContent())!.match(/Ends about ([\d,]+) sessions/)![1]!.replaceAll(",", ""));
    expect(estimated).toBeGreaterThan(1_000);
    await keepScreenshot(admin, test.info(), "policy-preview-estimate");
    await admin.emulateMedia({ colorScheme: "dark" });
    await keepScreenshot(admin, test.info(), "policy-preview-estimate-dark");
    await admin.emulateMedia({ colorScheme: "light" });

    await note.getByRole("button", { name: "Count exactly" }).click();
    await expect(summary).toContainText(/Counted over 25,0\d\d live sessions/, { timeout: 15_000 });
    await expect(note).toHaveCount(0);
    await expect(panel).toHaveAttribute("aria-busy", "false");
    const exact = Number((await summary.textContent())!.match(/Ends ([\d,]+) sessions/)![1]!.replaceAll(",", ""));
    // The estimate was within 3 % of the live sessions of the exact count.
    expect(Math.abs(exact - estimated)).toBeLessThanOrEqual(750);
    await keepScreenshot(admin, test.info(), "policy-preview-exact");

    // The next change is estimated again.
    await admin.getByLabel("Absolute lifetime", { exact: true }).fill("3");
    await expect(note).toBeVisible();
    await expect(summary).toContainText(/Ends about [\d,]+ sessions at once/);
  });
});
