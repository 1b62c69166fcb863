import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL(".", import.meta.url));

/**
 * Integration files that time something (a login's wait, the event loop's delay, a timeout, a
 * policy change's arrival, another process's lock): they run alone, after the rest.
 */
const TIMED = [
  "test/integration/login-timing.test.ts",
  "test/integration/sqlite-reader-loop.test.ts",
  "test/integration/sqlite-processes.test.ts",
  "test/integration/database-timeout.test.ts",
  "test/integration/events-policy.test.ts",
  "test/integration/cli-seed.test.ts",
  "test/integration/cache-outage.test.ts",
];

/** What both integration projects share: real services (test/services/global-setup.ts) and their time limits. */
const integration = {
  environment: "node",
  globalSetup: ["test/services/global-setup.ts"],
  testTimeout: 60_000,
  hookTimeout: 60_000,
};

export default defineConfig({
  // Modules marked server-only load in unit tests as they do on Next's server
  // (the package's "react-server" entry is an empty module).
  resolve: { alias: { "@": root, "server-only": `${root}node_modules/server-only/empty.js` } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "components/**/*.test.ts", "cli/**/*.test.ts", "scripts/**/*.test.ts", "bench/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          exclude: TIMED,
          ...integration,
          // Two files at a time: each test has its own database, each worker its own Redis and
          // Memcached (test/services/global-setup.ts).
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: "integration-timed",
          include: TIMED,
          ...integration,
          // After the others, one file at a time: these measure waits and delays.
          fileParallelism: false,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
