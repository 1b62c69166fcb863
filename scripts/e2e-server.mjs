// Serves the built app for Playwright on 127.0.0.1:<port>, on a fresh,
// migrated and seeded database that is removed again at exit:
//   node scripts/e2e-server.mjs <port>                  SQLite in a temp folder, db engine
//   node scripts/e2e-server.mjs <port> postgres-redis   a new PostgreSQL database on
//       $SESSIONSCOPE_TEST_PG_URL's server, cached_db engine on $SESSIONSCOPE_TEST_REDIS_URL
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createPostgresDatabase } from "../test/services/postgres-database.mjs";

const root = join(fileURLToPath(new URL(".", import.meta.url)), "..");
const port = process.argv[2] ?? "3210";
const mode = process.argv[3] ?? "sqlite";
const dir = mkdtempSync(join(tmpdir(), "sessionscope-e2e-"));
const env = {
  ...process.env,
  NEXT_TELEMETRY_DISABLED: "1",
  CHECKPOINT_DISABLE: "1",
  NODE_ENV: "production",
  SESSIONSCOPE_DEMO: "1",
  DATABASE_URL: `file:${join(dir, "e2e.db")}`,
  // As npm start: SessionScope stops next on SIGTERM (lib/server/shutdown.ts).
  NEXT_MANUAL_SIG_HANDLE: "1",
};

let cleanup = async () => {};
if (mode === "postgres-redis") {
  const { SESSIONSCOPE_TEST_PG_URL: pgUrl, SESSIONSCOPE_TEST_REDIS_URL: redisUrl } = process.env;
  if (!pgUrl || !redisUrl) {
    console.error("e2e-server: postgres-redis needs SESSIONSCOPE_TEST_PG_URL and SESSIONSCOPE_TEST_REDIS_URL (npm test sets them)");
    process.exit(1);
  }
  const database = await createPostgresDatabase(pgUrl, `e2e_shop_${process.pid}`);
  cleanup = database.drop;
  Object.assign(env, { DATABASE_URL: database.url, SESSION_ENGINE: "cached_db", REDIS_URL: `${redisUrl}/5` });
}

const setup = spawnSync(join(root, "node_modules", ".bin", "tsx"), [join(root, "scripts", "setup.ts")], { cwd: root, env, stdio: "inherit" });
if (setup.status !== 0) {
  await cleanup();
  process.exit(setup.status ?? 1);
}

const server = spawn(join(root, "node_modules", ".bin", "next"), ["start", "-H", "127.0.0.1", "-p", port], { cwd: root, env, stdio: "inherit" });
const stop = () => {
  server.kill("SIGTERM");
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
server.on("exit", async (code) => {
  rmSync(dir, { recursive: true, force: true });
  await cleanup().catch(() => {});
  process.exit(code ?? 0);
});
