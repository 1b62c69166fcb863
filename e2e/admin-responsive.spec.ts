// The dashboard's heavy reads do not stop the shop. `next start` on a SQLite
// file seeded with 150,000 sessions (`sessionscope seed`): an admin previews a
// policy, which reads every live session (seconds at this size), and while it
// runs the shop's catalogue (/api/products) keeps answering, each answer in a
// small fraction of the preview's time. Before the SQLite reader, the preview
// ran on the request thread and every request waited for it. The preview is
// asked for an exact count (?count=exact): above 20,000 sessions it is
// otherwise estimated from a snapshot, which reads far less.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "@playwright/test";
import type { AdminPolicyView, PolicyImpact } from "../lib/admin-api";
import { closeBrowsersAfterEach, fetchFromPage, newBrowser } from "./support/admin";
import { startAppServer, type AppServer } from "./support/app-server";
import { logIn } from "./shop-helpers";

const root = fileURLToPath(new URL("..", import.meta.url));
const SESSIONS = 150_000;

closeBrowsersAfterEach();

/** `sessionscope seed` against the server's database, as an operator would run it. */
function seed(env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, "bin", "sessionscope.js"), "seed", "--sessions", String(SESSIONS)], {
      cwd: root,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", CHECKPOINT_DISABLE: "1", NODE_ENV: "production", SESSIONSCOPE_DEMO: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`seed failed (${code}):\n${output}`))));
  });
}

test.describe(`a SQLite site with ${SESSIONS.toLocaleString("en-US")} sessions`, () => {
  let dir: string;
  let server: AppServer;

  test.beforeAll(async () => {
    test.setTimeout(600_000);
    dir = mkdtempSync(join(tmpdir(), "sessionscope-e2e-responsive-"));
    const env = { DATABASE_URL: `file:${join(dir, "app.db")}` };
    server = await startAppServer(env);
    await seed(env);
  });

  test.afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test("the shop's catalogue keeps answering while an admin previews a policy over every session", async ({ browser }) => {
    test.setTimeout(180_000);
    const admin = await newBrowser(browser, { baseURL: server.url });
    await logIn(admin, "admin");
    const { policy } = (await fetchFromPage(admin, "GET", "/api/admin/policy")).json as AdminPolicyView;
    const products = async () => {
      const started = Date.now();
      const response = await fetch(`${server.url}/api/products`);
      expect(response.status).toBe(200);
      await response.arrayBuffer();
      return Date.now() - started;
    };
    await products(); // compiled and warm

    const started = Date.now();
    let finished = 0;
    const preview = fetchFromPage(admin, "POST", "/api/admin/policy/preview?count=exact", { ...policy, absoluteLifetime: 86_400, idleTimeout: 3_600 }).then((answer) => {
      finished = Date.now();
      return answer;
    });
    // The catalogue, asked again and again until the preview answers: each time measured.
    const during: number[] = [];
    while (!finished) {
      const ms = await products();
      if (!finished) during.push(ms);
    }
    const answer = await preview;
    const previewMs = finished - started;
    console.info(`preview ${previewMs} ms; /api/products answered ${during.length} times meanwhile, slowest ${Math.max(...during)} ms`);

    expect(answer.status).toBe(200);
    const impact = answer.json as PolicyImpact;
    expect(impact.available).toBe(true);
    if (impact.available) {
      expect(impact.total).toBeGreaterThanOrEqual(SESSIONS * 0.9);
      expect(impact.estimatedFrom).toBeNull(); // counted, not estimated
    }
    // Answered again and again during the preview: had it held the process, the first request would
    // have waited for its end and none would follow. And each one short next to it.
    expect(during.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...during)).toBeLessThan(previewMs / 2);
  });
});
