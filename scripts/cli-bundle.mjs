// The `sessionscope` command line as plain JavaScript, so it starts without
// compiling TypeScript. esbuild (the copy tsx brings) bundles cli/ and the lib/
// code it uses into dist/cli/<build>/, split per command: `--help` or `decode`
// loads no Prisma, driver or Redis code. Every package stays external (Node
// loads better-sqlite3, pg, ioredis, Prisma's runtime... itself); Prisma's
// generated client is TypeScript, so it is bundled, in the chunks of the data
// commands only.
//
// bin/sessionscope.js runs the bundle when it is newer than every file it was
// built from, and builds it first otherwise, so a checkout that edits cli/ or
// lib/ never runs stale code. `npm install` builds it (postinstall), after the
// Prisma clients it includes. `node scripts/cli-bundle.mjs` builds it by hand.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(fileURLToPath(new URL(".", import.meta.url)), "..");
export const CLI_DIST = join(root, "dist", "cli");
const MANIFEST = join(CLI_DIST, "manifest.json");
const ENTRY = "sessionscope.mjs";
/** Read besides the bundled sources: they change what a build makes. */
const BUILD_INPUTS = ["scripts/cli-bundle.mjs", "tsconfig.json"];
/** Pure JavaScript packages worth bundling: Node would otherwise load them file by file at every start (zod is some 200 modules). */
const BUNDLED_PACKAGES = ["pako", "zod"];

/** Every other package stays external (native modules, Prisma's runtime, drivers): Node loads it from node_modules. */
const packagesExternal = {
  name: "packages-external",
  setup(build) {
    build.onResolve({ filter: /^[^./#]/ }, ({ path }) => {
      if (path.startsWith("@/") || BUNDLED_PACKAGES.some((name) => path === name || path.startsWith(`${name}/`))) return undefined;
      return { path, external: true };
    });
  },
};
/** Older builds are removed once no command started from them can still be running. */
const KEEP_OLD_BUILDS_MS = 60 * 60 * 1000;

/**
 * The bundle's entry file when it is newer than every file it was built from,
 * else null (no bundle, a source edited, added to or removed from the build).
 * One read and one stat per source: about a millisecond.
 */
export function freshBundle() {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(MANIFEST, "utf8"));
    for (const input of manifest.inputs) if (statSync(join(root, input)).mtimeMs > manifest.builtAt) return null;
    const entry = join(CLI_DIST, manifest.build, ENTRY);
    statSync(entry);
    return entry;
  } catch {
    return null;
  }
}

/** Builds the bundle and returns its entry file. Several processes may build at once: each writes its own folder. */
export async function buildCli() {
  const { build } = await loadEsbuild();
  const builtAt = Date.now();
  const id = `${builtAt.toString(36)}-${process.pid}`;
  const outdir = join(CLI_DIST, id);
  const result = await build({
    absWorkingDir: root,
    // The worker keeps the name seed-batches.ts asks for, beside the chunks (new URL("./seed-worker.mjs", import.meta.url)).
    entryPoints: { sessionscope: "cli/main.ts", "seed-worker": "cli/seed-worker.ts" },
    outdir,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    plugins: [packagesExternal],
    metafile: true,
    logLevel: "silent",
    legalComments: "none",
  });
  const inputs = [...new Set([...Object.keys(result.metafile.inputs), ...BUILD_INPUTS])].sort();
  mkdirSync(CLI_DIST, { recursive: true });
  const temporary = `${MANIFEST}.${process.pid}`;
  writeFileSync(temporary, JSON.stringify({ build: id, builtAt, inputs }, null, 1) + "\n");
  renameSync(temporary, MANIFEST);
  removeOldBuilds(id, builtAt);
  return join(outdir, ENTRY);
}

function removeOldBuilds(current, now) {
  for (const entry of readdirSync(CLI_DIST, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === current) continue;
    const path = join(CLI_DIST, entry.name);
    try {
      if (now - statSync(path).mtimeMs > KEEP_OLD_BUILDS_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // Another build removed it first.
    }
  }
}

/** esbuild as tsx installed it: top-level in node_modules, or inside tsx's own when npm could not hoist it. */
async function loadEsbuild() {
  try {
    return await import("esbuild");
  } catch {
    const fromTsx = createRequire(fileURLToPath(import.meta.resolve("tsx"))).resolve("esbuild");
    return import(pathToFileURL(fromTsx).href);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const started = performance.now();
    await buildCli();
    console.log(`SessionScope: bundled the command line into dist/cli in ${Math.round(performance.now() - started)} ms`);
  } catch (error) {
    // Not fatal to an install: bin/sessionscope.js builds it on first run, or runs the sources through tsx.
    console.error(`SessionScope: could not bundle the command line (${String(error.message ?? error).split("\n")[0]}); it will run from source`);
  }
}
