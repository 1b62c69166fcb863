// Serves the built app for Playwright: a fresh SQLite database in a temp
// folder, migrated and seeded, then `next start` on 127.0.0.1:<port>.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(fileURLToPath(new URL(".", import.meta.url)), "..");
const port = process.argv[2] ?? "3210";
const dir = mkdtempSync(join(tmpdir(), "sessionscope-e2e-"));
const env = {
  ...process.env,
  NEXT_TELEMETRY_DISABLED: "1",
  CHECKPOINT_DISABLE: "1",
  NODE_ENV: "production",
  SESSIONSCOPE_DEMO: "1",
  DATABASE_URL: process.env.E2E_DATABASE_URL ?? `file:${join(dir, "e2e.db")}`,
};

const setup = spawnSync(join(root, "node_modules", ".bin", "tsx"), [join(root, "scripts", "setup.ts")], { cwd: root, env, stdio: "inherit" });
if (setup.status !== 0) process.exit(setup.status ?? 1);

const server = spawn(join(root, "node_modules", ".bin", "next"), ["start", "-H", "127.0.0.1", "-p", port], { cwd: root, env, stdio: "inherit" });
const stop = () => {
  server.kill("SIGTERM");
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
server.on("exit", (code) => {
  rmSync(dir, { recursive: true, force: true });
  process.exit(code ?? 0);
});
