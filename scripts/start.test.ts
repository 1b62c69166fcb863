import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { exitCodeOf, startMode } from "./start-mode.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));

describe("npm start's mode", () => {
  it.each([
    [{}, true, "production"],
    [{ SESSIONSCOPE_DEMO: "1" }, true, "production"],
    [{ SESSIONSCOPE_DEMO: "0" }, false, "production"],
    [{ NODE_ENV: "production" }, false, "production"],
    [{ NODE_ENV: "production", SESSIONSCOPE_DEMO: "1" }, true, "production"],
    [{ NODE_ENV: "production", SESSIONSCOPE_DEMO: "yes" }, true, "production"],
    [{ NODE_ENV: "production", SESSIONSCOPE_DEMO: "off" }, false, "production"],
  ])("%j runs the demo: %s", (environment, demo, nodeEnv) => {
    const mode = startMode(environment);
    expect(mode.demo).toBe(demo);
    expect(mode.nodeEnv).toBe(nodeEnv);
    expect(mode.demoVariable).toBe(demo ? "1" : "0");
  });

  it("says why demo mode is off under NODE_ENV=production, and how to ask for it", () => {
    expect(startMode({ NODE_ENV: "production" }).notice).toMatch(/NODE_ENV=production, so demo mode is off.*SESSIONSCOPE_DEMO=1/);
    expect(startMode({}).notice).toMatch(/^SessionScope: demo mode:.*Not for a real deployment/);
  });

  it("attached to a Django site, does not promise demo accounts or a generated key", () => {
    const notice = startMode({ SESSIONSCOPE_ATTACH: "django" }).notice;
    expect(notice).toMatch(/^SessionScope: attached to a Django site without NODE_ENV=production/);
    expect(notice).toContain("no demo accounts or demo data are added");
  });

  it("leaves a value it does not know to the configuration check, and runs no demo", () => {
    expect(startMode({ NODE_ENV: "production", SESSIONSCOPE_DEMO: "maybe" })).toMatchObject({ demo: false, demoVariable: "maybe" });
  });

  it("runs the development server in development, demo included", () => {
    expect(startMode({ NODE_ENV: "production" }, { dev: true })).toMatchObject({ nodeEnv: "development", demo: true });
  });
});

describe("npm start's exit code", () => {
  it("is next's own code, or 128 + the signal's number when a signal ended next", () => {
    expect(exitCodeOf(0, null)).toBe(0);
    expect(exitCodeOf(1, null)).toBe(1);
    expect(exitCodeOf(null, "SIGTERM")).toBe(143);
    expect(exitCodeOf(null, "SIGKILL")).toBe(137);
    expect(exitCodeOf(null, "SIGINT")).toBe(130);
  });
});

describe("NODE_ENV=production npm start", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "sessionscope-start-"));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("refuses to start without a secret key, before building anything, instead of slipping into demo mode", async () => {
    const child = spawn(process.execPath, [join(root, "scripts", "start.mjs")], {
      cwd: root,
      // Only what the run needs: none of the caller's SESSION_* or SESSIONSCOPE_* settings.
      env: { PATH: process.env.PATH, HOME: dir, NODE_ENV: "production", DATABASE_URL: `file:${join(dir, "app.db")}`, PORT: "1", NEXT_TELEMETRY_DISABLED: "1" },
      detached: true,
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const code = await new Promise<number | null>((resolve) => {
      // Had it slipped into demo mode it would build and serve: stop its whole process group.
      const timer = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), 20_000);
      child.on("exit", (exitCode) => {
        clearTimeout(timer);
        resolve(exitCode);
      });
    });
    expect(output).toContain("NODE_ENV=production, so demo mode is off");
    expect(output).toContain("refusing to start in production without SESSION_SECRET_KEY");
    expect(output).not.toContain("building the app");
    expect(code).toBe(1);
  }, 30_000);
});
