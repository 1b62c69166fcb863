// The `sessionscope` bin runs the bundled command line, loads only what a command needs, and
// never runs code older than its sources.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const MANIFEST = join(root, "dist", "cli", "manifest.json");
const SECRET = "bundle-test-secret-key";

let dir: string;
let hooks: string;

// A module hook that writes every URL the process imports to $LOADED_LOG (it runs on the loader's own thread).
const LOG_HOOK = `import { appendFileSync } from "node:fs";
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(process.env.LOADED_LOG, result.url + "\\n");
  return result;
}`;

function run(args: string[], options: { log?: string; env?: Record<string, string> } = {}) {
  const flags = options.log ? ["--import", pathToFileURL(hooks).href] : [];
  return spawnSync(process.execPath, [...flags, join(root, "bin", "sessionscope.js"), ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, ...options.env, ...(options.log ? { LOADED_LOG: options.log } : {}) },
  });
}

const currentBuild = () => (JSON.parse(readFileSync(MANIFEST, "utf8")) as { build: string }).build;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sessionscope-bin-"));
  writeFileSync(join(dir, "hook.mjs"), LOG_HOOK);
  hooks = join(dir, "register.mjs");
  writeFileSync(hooks, `import { register } from "node:module";\nregister(${JSON.stringify(pathToFileURL(join(dir, "hook.mjs")).href)});\n`);
  // Builds the bundle if this checkout's is missing or stale.
  expect(run(["--help"]).status).toBe(0);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("the sessionscope bin", () => {
  const loadedBy = (args: string[], env?: Record<string, string>) => {
    const log = join(dir, `loaded-${Math.random()}.log`);
    const result = run(args, { log, env });
    return { result, loaded: readFileSync(log, "utf8").trim().split("\n") };
  };

  it.each([
    ["--help", ["--help"], /^Usage: sessionscope <command>/],
    ["decode --help", ["decode", "--help"], /^Usage: sessionscope decode/],
    ["clearsessions --help", ["clearsessions", "--help"], /^Usage: sessionscope clearsessions/],
    ["seed --help", ["seed", "--help"], /^Usage: sessionscope seed/],
  ])("%s runs the bundle and loads no TypeScript, Prisma, driver or Redis client", (_name, args, output) => {
    const { result, loaded } = loadedBy(args);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(output);
    expect(loaded.some((url) => /\/dist\/cli\/[^/]+\/sessionscope\.mjs$/.test(url))).toBe(true);
    expect(loaded.filter((url) => /\.ts$|\/node_modules\/(@prisma|prisma|better-sqlite3|pg|ioredis|memcache-client|tsx|esbuild)\//.test(url))).toEqual([]);
  });

  it("decodes a value it encoded, on the bundle alone", () => {
    const encoded = run(["encode", "--secret-key", SECRET, '{"_auth_user_id":"42","cart":[1,2.5]}']);
    expect(encoded.status, encoded.stderr).toBe(0);
    const { result, loaded } = loadedBy(["decode", encoded.stdout.trim()], { SESSION_SECRET_KEY: SECRET });
    expect([result.status, result.stdout, result.stderr]).toEqual([0, '{"_auth_user_id":"42","cart":[1,2.5]}\n', ""]);
    expect(loaded.filter((url) => url.endsWith(".ts") || url.includes("/@prisma/"))).toEqual([]);
  });

  it("rebuilds before it runs when a source is newer than the bundle", () => {
    const before = currentBuild();
    const source = join(root, "cli", "main.ts");
    const now = new Date();
    utimesSync(source, now, now);
    const result = run(["--help"]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toBe("");
    expect(currentBuild()).not.toBe(before);
    // Fresh again: the next start reuses it.
    const after = currentBuild();
    expect(run(["--help"]).status).toBe(0);
    expect(currentBuild()).toBe(after);
  });
});
