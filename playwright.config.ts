import { defineConfig, devices } from "@playwright/test";

// Playwright drives Debian's Chromium (npx playwright install cannot run here)
// against `next start`, prepared by scripts/e2e-server.mjs on throw-away databases:
// - "sqlite": the default setup (db engine on SQLite);
// - "postgres-redis": PostgreSQL with Redis in front (cached_db engine), when npm test
//   has started those servers. The shop specs run against both.
const sqlitePort = Number(process.env.E2E_PORT ?? 3210);
const postgresPort = sqlitePort + 1;
const withPostgres = Boolean(process.env.SESSIONSCOPE_TEST_PG_URL && process.env.SESSIONSCOPE_TEST_REDIS_URL);
if (!withPostgres && process.env.CI === "true") {
  throw new Error("CI=true: the PostgreSQL + Redis end-to-end project needs SESSIONSCOPE_TEST_PG_URL and SESSIONSCOPE_TEST_REDIS_URL (npm test sets them)");
}

const server = (port: number, mode: string) => ({
  command: `node scripts/e2e-server.mjs ${port} ${mode}`,
  url: `http://127.0.0.1:${port}/api/products`,
  timeout: 60_000,
  reuseExistingServer: false,
  // SIGTERM lets scripts/e2e-server.mjs stop next by its PID and delete its database.
  gracefulShutdown: { signal: "SIGTERM" as const, timeout: 10_000 },
  stdout: "pipe" as const,
  stderr: "pipe" as const,
});

const chromium = { ...devices["Desktop Chrome"], channel: undefined };

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results/e2e",
  fullyParallel: false,
  // One worker: the specs of a project share its server and database. Two projects side by side
  // (one worker each) were tried: on two cores, two servers and two Chromiums starved each other's
  // pages and specs timed out.
  workers: 1,
  forbidOnly: process.env.CI === "true",
  retries: 0,
  reporter: [["list"], ["html", { outputFolder: "playwright-report", open: "never" }]],
  timeout: 30_000,
  // Two cores shared with other work: a page may take longer than the default 5 s to settle.
  expect: { timeout: 10_000 },
  use: {
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  projects: [
    { name: "sqlite", use: { ...chromium, baseURL: `http://127.0.0.1:${sqlitePort}` } },
    ...(withPostgres
      ? [
          {
            name: "postgres-redis",
            use: { ...chromium, baseURL: `http://127.0.0.1:${postgresPort}` },
            // The specs whose behaviour depends on the engine: login and logout, the cart and "your sessions" on
            // cached_db, a tampered cookie, a password change, and a kill reaching a browser through the cache.
            // The rest test pages and rules that do not (the lists, filters, overview and policy are the same
            // SQL, which the integration suite runs on PostgreSQL; the session panel reads the same session),
            // or start servers of their own: the sqlite project covers them once. Live events through Redis
            // pub/sub are two-instances' subject (PostgreSQL and Redis, two servers). This keeps the CI run
            // inside its 30 minutes.
            testMatch: /\/(auth|account|cart|tampered-cookie|shop-password-change|admin-actions)\.spec\.ts$/,
          },
        ]
      : []),
  ],
  webServer: [server(sqlitePort, "sqlite"), ...(withPostgres ? [server(postgresPort, "postgres-redis")] : [])],
});
