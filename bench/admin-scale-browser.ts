/**
 * The browser at a million sessions: does the first page of the sessions list
 * show as fast as at a thousand (within 1.5x)? For each seeded SQLite file,
 * starts `next start` on it (the build must exist: NODE_ENV=production npx
 * next build), signs in as the demo admin in Chromium, and times navigation
 * to /admin/sessions until the first row is on screen. The two sizes run in
 * alternation, each with its own server and browser.
 *
 * Part of `npm run bench:scale -- --browser`, or on its own (seeds SQLite at
 * both sizes, writes the section "admin-scale-browser" of docs/benchmarks.md):
 *   node --import ./bench/ts-as-built.mjs --import ./bench/server-only.mjs bench/admin-scale-browser.ts [--sizes 1000,1000000] [--runs 30]
 * or on two SQLite files seeded already (by the scale benchmark, say), copies of which it uses:
 *   … bench/admin-scale-browser.ts --files small.db,large.db --sizes 1000,1000000
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "@playwright/test";
import BetterSqlite3 from "better-sqlite3";
import { openDatabase } from "../lib/node/db/connection.ts";
import { migrateDatabase } from "../lib/node/db/setup.ts";
import type { BrowserTiming } from "./admin-scale-report.ts";
import { BENCH_SECRET, timeSeed } from "./admin-scale-seed.ts";
import { percentile } from "./common.ts";
import { utcStamp } from "./report/format.ts";
import { writeDocSection } from "./report/doc-section.ts";
import { killGroup, Teardown } from "./runner/services.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** This benchmark's port (the project's e2e ports are given out per engineer). */
const PORT = Number(process.env.E2E_PORT ?? 3465);
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

function serverEnv(url: string): NodeJS.ProcessEnv {
  return {
    ...process.env, NODE_ENV: "production", SESSIONSCOPE_DEMO: "1", DATABASE_URL: url, SESSION_SECRET_KEY: BENCH_SECRET,
    NEXT_TELEMETRY_DISABLED: "1", CHECKPOINT_DISABLE: "1",
  };
}

async function waitForServer(child: ChildProcess): Promise<void> {
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode})`);
    const ok = await fetch(`http://127.0.0.1:${PORT}/login`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error("next start did not answer within 2 minutes");
}

interface Running {
  readonly server: ChildProcess;
  readonly browser: Browser;
  readonly page: Page;
}

/** `next start` on the file (its demo accounts added), and Chromium signed in as the admin. */
async function open(url: string, teardown: Teardown): Promise<Running> {
  const env = serverEnv(url);
  const setup = spawnSync(join(ROOT, "node_modules", ".bin", "tsx"), [join(ROOT, "scripts", "setup.ts")], { cwd: ROOT, env, stdio: "inherit" });
  if (setup.status !== 0) throw new Error("scripts/setup.ts failed");
  const server = spawn(join(ROOT, "node_modules", ".bin", "next"), ["start", "-H", "127.0.0.1", "-p", String(PORT)], { cwd: ROOT, env, stdio: "ignore", detached: true });
  teardown.trackChild(server);
  await waitForServer(server);
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
  const page = await browser.newPage({ baseURL: `http://127.0.0.1:${PORT}` });
  await page.goto("/login");
  await page.getByLabel("Username").fill("admin");
  await page.getByLabel("Password").fill("demo-admin");
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL(/\/account$/);
  return { server, browser, page };
}

async function close({ server, browser }: Running, teardown: Teardown): Promise<void> {
  await browser.close();
  killGroup(server);
  teardown.forgetChild(server);
  await new Promise((resolve) => (server.exitCode !== null ? resolve(null) : server.once("exit", resolve)));
}

/** Navigation to the list until its first row is visible; ms. */
async function firstPage(page: Page): Promise<number> {
  const started = performance.now();
  await page.goto("/admin/sessions");
  await page.getByRole("table", { name: "Sessions" }).locator("tbody tr").first().waitFor({ state: "visible" });
  return performance.now() - started;
}

/**
 * Each size's server in turn, a few rounds of `runs / rounds` loads each, so that a noisy stretch
 * of the machine falls on both sizes. Null when the app is not built.
 */
export async function measureBrowser(urls: readonly [string, string], runs: number, teardown = new Teardown()): Promise<[BrowserTiming, BrowserTiming] | null> {
  if (!existsSync(join(ROOT, ".next", "BUILD_ID"))) {
    console.log("  browser: skipped, no build (NODE_ENV=production npx next build)");
    return null;
  }
  const rounds = 3;
  const times: [number[], number[]] = [[], []];
  for (let round = 0; round < rounds; round++) {
    for (const [index, url] of urls.entries()) {
      const running = await open(url, teardown);
      try {
        for (let i = 0; i < 2; i++) await firstPage(running.page);
        for (let i = 0; i < Math.ceil(runs / rounds); i++) times[index]!.push(await firstPage(running.page));
      } finally {
        await close(running, teardown);
      }
    }
  }
  const timing = (values: number[]): BrowserTiming => {
    const sorted = [...values].sort((a, b) => a - b);
    return { p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), runs: sorted.length };
  };
  const result: [BrowserTiming, BrowserTiming] = [timing(times[0]), timing(times[1])];
  console.log(`  browser, first page: p50 ${result[0].p50.toFixed(0)} / p95 ${result[0].p95.toFixed(0)} ms | p50 ${result[1].p50.toFixed(0)} / p95 ${result[1].p95.toFixed(0)} ms`);
  return result;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const value = (name: string) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : undefined);
  const sizes = (value("sizes") ?? "1000,1000000").split(",").map(Number) as [number, number];
  const runs = Number(value("runs") ?? 30);
  const teardown = new Teardown();
  teardown.install();
  const dir = mkdtempSync(join(tmpdir(), "sessionscope-scale-browser-"));
  teardown.addFolder(dir);
  try {
    const now = new Date(Math.floor(Date.now() / 1000) * 1000);
    const urls: string[] = [];
    const files = value("files")?.split(",");
    if (files) {
      for (const [index, file] of files.entries()) {
        const copy = join(dir, `browser-${sizes[index]}.db`);
        // A consistent copy (the original may be open elsewhere), its WAL folded in.
        const source = new BetterSqlite3(file, { readonly: true });
        await source.backup(copy);
        source.close();
        urls.push(`file:${copy}`);
      }
    }
    for (const sessions of files ? [] : sizes) {
      const url = `file:${join(dir, `browser-${sessions}.db`)}`;
      const db = openDatabase(url);
      await migrateDatabase(db);
      await db.close();
      console.log(`  seeding ${sessions.toLocaleString("en-US")} sessions: ${((await timeSeed(url, sessions, now)) / 1000).toFixed(1)} s`);
      urls.push(url);
    }
    const result = await measureBrowser(urls as [string, string], runs, teardown);
    if (!result) return;
    const [small, big] = result;
    const ratio = big.p95 / small.p95;
    writeDocSection("admin-scale-browser", [
      "### The browser: first page of the sessions list",
      "",
      `Generated by \`bench/admin-scale-browser.ts\` on ${utcStamp(now)}. Chromium (Playwright, Debian's build) against \`next start\``,
      "(production build) on a SQLite file seeded by `sessionscope seed`, signed in as the demo admin: time from navigation",
      `to /admin/sessions until the first row of the list is visible (server rendering with the data included), ${small.runs} loads`,
      "per size after two warm-ups, the sizes taking turns in three rounds. Target: p95 at the large size within 1.5× of the small.",
      "",
      `| sessions | p50 (ms) | p95 (ms) |`,
      "|---:|---:|---:|",
      `| ${sizes[0].toLocaleString("en-US")} | ${small.p50.toFixed(0)} | ${small.p95.toFixed(0)} |`,
      `| ${sizes[1].toLocaleString("en-US")} | ${big.p50.toFixed(0)} | ${big.p95.toFixed(0)} |`,
      "",
      `Ratio of the p95s: ${ratio.toFixed(2)}× (${ratio <= 1.5 ? "within" : "**over**"} the 1.5× target); of the medians: ${(big.p50 / small.p50).toFixed(2)}×.`,
    ]);
    console.log("bench: wrote the section \"admin-scale-browser\" of docs/benchmarks.md");
  } finally {
    teardown.run();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main();
  process.exit(0);
}
