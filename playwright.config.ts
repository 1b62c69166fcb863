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
            // These specs start their own servers; once is enough. The accessibility, role, header and
            // login-redirect specs test pages and rules that do not depend on the engine: the sqlite
            // project covers them (the run has a 30-minute budget).
            testIgnore: /(concurrency|outage|faults-[a-z-]+|two-instances|admin-policy-estimate|django-site|django-cache|memcached|admin-responsive|admin-a11y|admin-roles|headers|login-redirect)\.spec\.ts/,
          },
        ]
      : []),
  ],
  webServer: [server(sqlitePort, "sqlite"), ...(withPostgres ? [server(postgresPort, "postgres-redis")] : [])],
});
