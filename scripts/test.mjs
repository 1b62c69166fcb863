// `npm test`: every check SessionScope has, in order, against real services.
//   schema derivation -> types -> lint -> unit + integration (vitest, real
//   SQLite, PostgreSQL, Redis) -> build -> end-to-end (Playwright, Chromium).
// Services are started here on 127.0.0.1 in temp folders and stopped by PID.
// Outside CI a missing service is reported loudly and its suites skipped;
// with CI=true it fails the run.
//   npm test -- --only unit|integration|e2e     run one stage (plus its setup)
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { SERVICE_HINTS, startServices } from "../test/services/services.mjs";

const root = join(fileURLToPath(new URL(".", import.meta.url)), "..");
const ci = process.env.CI === "true";
const only = process.argv.includes("--only") ? process.argv[process.argv.indexOf("--only") + 1] : null;
const bin = (name) => join(root, "node_modules", ".bin", name);
const reports = join(root, "test-results", "reports");
const baseEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", CHECKPOINT_DISABLE: "1" };
const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

/** Stages that failed without a failing test to show for it (types, lint, build, a crashed runner). */
let stageFailures = 0;

function step(name, command, args, env = baseEnv) {
  console.log(`\n=== ${name} ===`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    failures.push(name);
    console.log(`=== ${name}: FAILED (${seconds} s) ===`);
    return false;
  }
  console.log(`=== ${name}: ok (${seconds} s) ===`);
  return true;
}

/**
 * Checks that need no services, run side by side (each its own process; the machine has a core
 * for each). Each one's output is printed whole when it ends, so the log reads as if serial.
 */
async function stepsSideBySide(steps) {
  const runs = steps.map(({ name, command, args }) => {
    const started = Date.now();
    const child = spawn(command, args, { cwd: root, env: baseEnv, stdio: ["ignore", "pipe", "pipe"] });
    const output = [];
    child.stdout.on("data", (chunk) => output.push(chunk));
    child.stderr.on("data", (chunk) => output.push(chunk));
    return new Promise((resolve) => {
      child.on("error", (error) => {
        output.push(Buffer.from(`${error.message}\n`));
        resolve({ name, status: null, output, seconds: (Date.now() - started) / 1000 });
      });
      child.on("close", (status) => resolve({ name, status, output, seconds: (Date.now() - started) / 1000 }));
    });
  });
  for (const { name, status, output, seconds } of await Promise.all(runs)) {
    console.log(`\n=== ${name} ===`);
    process.stdout.write(Buffer.concat(output));
    if (status !== 0) failures.push(name);
    console.log(`=== ${name}: ${status === 0 ? "ok" : "FAILED"} (${seconds.toFixed(1)} s, beside the others) ===`);
  }
}

function loud(message) {
  console.warn(`\n!!!!!!!!!!\n${message}\n!!!!!!!!!!\n`);
}

function hasChromium() {
  return existsSync(process.env.CHROMIUM_PATH ?? "/usr/bin/chromium");
}

function hasDjango() {
  if (!existsSync("/usr/bin/python3")) return false;
  return spawnSync("/usr/bin/python3", ["-c", "import django"], { stdio: "ignore" }).status === 0;
}

function countVitest(file, ok) {
  if (!existsSync(file)) {
    if (!ok) stageFailures++;
    return;
  }
  const report = JSON.parse(readFileSync(file, "utf8"));
  if (!ok && !report.numFailedTests) stageFailures++;
  totals.passed += report.numPassedTests ?? 0;
  totals.failed += report.numFailedTests ?? 0;
  totals.skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
}

function countPlaywright(file, ok) {
  if (!existsSync(file)) {
    if (!ok) stageFailures++;
    return;
  }
  const { stats } = JSON.parse(readFileSync(file, "utf8"));
  if (!ok && !stats?.unexpected) stageFailures++;
  totals.passed += (stats?.expected ?? 0) + (stats?.flaky ?? 0);
  totals.failed += stats?.unexpected ?? 0;
  totals.skipped += stats?.skipped ?? 0;
}

rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

if (!only) {
  step("prisma schema is derived from its source", "node", ["scripts/derive-schema.mjs", "--check"]);
  await stepsSideBySide([
    { name: "types (tsc)", command: bin("tsc"), args: ["--noEmit", "-p", "tsconfig.json"] },
    { name: "lint (eslint)", command: bin("eslint"), args: [".", "--max-warnings", "0"] },
  ]);
}

const missing = [];
if (!hasDjango()) missing.push("django");
let services = null;
if (only !== "unit") {
  try {
    services = await startServices({ ci });
  } catch (error) {
    console.error(error.message);
    failures.push("services");
  }
}
if (services?.env.SESSIONSCOPE_TEST_MISSING) missing.push(...services.env.SESSIONSCOPE_TEST_MISSING.split(","));
if (missing.includes("django")) {
  const message = `SessionScope tests: Django is not installed for /usr/bin/python3 (${SERVICE_HINTS.django}); Django interoperability tests are SKIPPED.`;
  if (ci) failures.push("django missing");
  loud(ci ? `${message.replace("are SKIPPED", "cannot run")}\nCI=true: this fails the run.` : message);
}

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    services?.stop();
    process.exit(130);
  });
}

const testEnv = { ...baseEnv, ...(services?.env ?? {}), SESSIONSCOPE_TEST_MISSING: missing.join(",") };
try {
  if (!only || only === "unit") {
    const ok = step("unit tests (vitest)", bin("vitest"), ["run", "--project", "unit", "--reporter=default", "--reporter=json", `--outputFile=${join(reports, "unit.json")}`], testEnv);
    countVitest(join(reports, "unit.json"), ok);
  }
  if ((!only || only === "integration") && services) {
    const ok = step(
      "integration tests (vitest: SQLite, PostgreSQL, Redis)",
      bin("vitest"),
      ["run", "--project", "integration", "--project", "integration-timed", "--reporter=default", "--reporter=json", `--outputFile=${join(reports, "integration.json")}`],
      testEnv,
    );
    countVitest(join(reports, "integration.json"), ok);
  }

  if (!only || only === "e2e") {
    if (!hasChromium()) {
      const message = `SessionScope tests: Chromium is not installed (${SERVICE_HINTS.chromium}); end-to-end tests are SKIPPED.`;
      if (ci) failures.push("chromium missing");
      loud(ci ? `${message.replace("are SKIPPED", "cannot run")}\nCI=true: this fails the run.` : message);
    } else if (step("build (next build)", bin("next"), ["build"], { ...baseEnv, NODE_ENV: "production" })) {
      const ok = step("end-to-end tests (Playwright, Chromium)", bin("playwright"), ["test", "--reporter=list,json"], {
        ...testEnv,
        PLAYWRIGHT_JSON_OUTPUT_NAME: join(reports, "e2e.json"),
      });
      countPlaywright(join(reports, "e2e.json"), ok);
    }
  }
} finally {
  services?.stop();
}

// Types, lint, build and service checks are not tests, but a failure there fails the run: count it.
const nonTestFailures = failures.filter((name) => !/tests/.test(name)).length;
console.log("");
if (failures.length) console.log(`Failed stages: ${failures.join(", ")}`);
console.log(`${totals.passed} passed, ${totals.failed + stageFailures + nonTestFailures} failed, ${totals.skipped} skipped`);
process.exit(failures.length ? 1 : 0);
