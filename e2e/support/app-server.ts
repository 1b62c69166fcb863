// Starts extra copies of the built app (`next start`) with their own engine
// settings, for specs that compare engines. Each is stopped by its PID.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createPostgresDatabase as createDatabase } from "../../test/services/postgres-database.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));

export interface AppServer {
  readonly url: string;
  /** The `next start` process (the server itself: it runs in that process). */
  readonly pid: number;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** A fresh PostgreSQL database on the test run's server. */
export function createPostgresDatabase(serverUrl: string) {
  return createDatabase(serverUrl, `e2e_${process.pid}_${Date.now().toString(36)}`);
}

export async function startAppServer(env: Record<string, string>): Promise<AppServer> {
  const dir = mkdtempSync(join(tmpdir(), "sessionscope-e2e-app-"));
  const port = await freePort();
  const fullEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: "1",
    CHECKPOINT_DISABLE: "1",
    NODE_ENV: "production" as const,
    SESSIONSCOPE_DEMO: "1",
    DATABASE_URL: `file:${join(dir, "app.db")}`,
    ...env,
  };
  const setup = spawnSync(join(root, "node_modules", ".bin", "tsx"), [join(root, "scripts", "setup.ts")], { cwd: root, env: fullEnv, encoding: "utf8" });
  if (setup.status !== 0) throw new Error(`setup failed: ${setup.stderr}`);
  const child: ChildProcess = spawn(join(root, "node_modules", ".bin", "next"), ["start", "-H", "127.0.0.1", "-p", String(port)], {
    cwd: root,
    env: fullEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      // /login answers in every mode (attach mode without the shop has no catalogue).
      if ((await fetch(`${url}/login`)).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 150 || child.exitCode !== null) throw new Error(`app server did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    pid: child.pid!,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
