// `npm start`: check the configuration, migrate and seed the database, build
// when the sources changed, then serve on PORT (default 3000) and print the URL
// and the demo logins.
//   npm start                       the demo (production server, next start)
//   NODE_ENV=production npm start   a real deployment: no demo unless SESSIONSCOPE_DEMO=1
//   npm run dev                     development server (next dev)
import { spawn, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { exitCodeOf, startMode } from "./start-mode.mjs";

const root = join(fileURLToPath(new URL(".", import.meta.url)), "..");
const dev = process.argv.includes("--dev");
const bin = (name) => join(root, "node_modules", ".bin", name);
const env = { NEXT_TELEMETRY_DISABLED: "1", CHECKPOINT_DISABLE: "1", ...process.env };
const mode = startMode(process.env, { dev });
const demo = mode.demo;
env.NODE_ENV = mode.nodeEnv;
env.SESSIONSCOPE_DEMO = mode.demoVariable;
if (mode.notice) console.log(mode.notice);
// An attached Django site brings its own key (SECRET_KEY): a generated one would open none of its sessions.
if (demo && !env.SESSION_SECRET_KEY && !env.SESSIONSCOPE_ATTACH) env.SESSION_SECRET_KEY = demoSecretKey();
const port = process.env.PORT ?? "3000";
const host = process.env.HOST ?? "127.0.0.1";

// A random key kept in var/ (outside git), so demo sessions survive restarts.
function demoSecretKey() {
  const path = join(root, "var", "demo-secret-key");
  if (existsSync(path)) return readFileSync(path, "utf8").trim();
  mkdirSync(join(root, "var"), { recursive: true, mode: 0o700 });
  const key = randomBytes(48).toString("base64url");
  writeFileSync(path, key + "\n", { mode: 0o600 });
  return key;
}

function run(command, args, extraEnv = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env: { ...env, ...extraEnv } });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const SOURCES = ["app", "components", "lib", "public", "proxy.ts", "instrumentation.ts", "next.config.js", "postcss.config.mjs", "tsconfig.json", "package-lock.json"];
function sourceFingerprint() {
  const hash = createHash("sha256");
  const visit = (path) => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const name of readdirSync(path).sort()) if (name !== "node_modules" && name !== "generated") visit(join(path, name));
    } else {
      hash.update(`${relative(root, path)}:${stat.size}:${stat.mtimeMs}\n`);
    }
  };
  for (const source of SOURCES) visit(join(root, source));
  return hash.digest("hex");
}

// First, as it validates the configuration: a refusal comes before a minute of building.
run(bin("tsx"), [join(root, "scripts", "setup.ts"), ...(demo ? ["--demo-sessions"] : [])]);

if (!dev) {
  const stampPath = join(root, ".next", "sessionscope-build-stamp");
  const fingerprint = sourceFingerprint();
  const built = existsSync(join(root, ".next", "BUILD_ID")) && existsSync(stampPath) && readFileSync(stampPath, "utf8") === fingerprint;
  if (!built) {
    console.log("SessionScope: building the app (first start or sources changed) ...");
    run(bin("next"), ["build"], { NODE_ENV: "production" });
    writeFileSync(stampPath, fingerprint);
  }
}

// next start leaves SIGTERM and SIGINT to SessionScope (lib/server/shutdown.ts): requests in flight finish, exit 0.
const server = spawn(bin("next"), [dev ? "dev" : "start", "-H", host, "-p", port], {
  cwd: root,
  stdio: ["inherit", "pipe", "inherit"],
  env: dev ? env : { ...env, NEXT_MANUAL_SIG_HANDLE: "1" },
});
let announced = false;
server.stdout.on("data", (chunk) => {
  process.stdout.write(chunk);
  if (!announced && /Ready|started server|Local:/i.test(String(chunk))) {
    announced = true;
    const url = `http://${host}:${port}`;
    console.log(`\nSessionScope is running at ${url}`);
    if (demo && !env.SESSIONSCOPE_ATTACH) {
      console.log("Demo logins (username / password):");
      for (const user of ["admin", "security", "viewer", "alice", "bob"]) console.log(`  ${user.padEnd(9)} demo-${user}`);
    }
    console.log("Press Ctrl+C to stop.\n");
  }
});
// The signal goes on to next; npm start exits as next did (128 + the signal's number when a signal ended it).
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => process.exit(exitCodeOf(code, signal)));
