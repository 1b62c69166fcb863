/**
 * What a session costs a request: the same route handler served without a
 * session (/api/bench/plain) and with one (/api/bench/session: load, modify,
 * save on the default SQLite db engine), measured side by side with
 * autocannon against `next start`. Writes its section of docs/benchmarks.md.
 *   npx tsx bench/request-cost.ts [--seconds 10] [--rounds 3]
 * Two loads: 1 connection (latency without queueing: what one request pays)
 * and 8 connections (a saturated server: what the session costs in throughput).
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon, { type Result } from "autocannon";
import { numberArg, parseArgs } from "./common.ts";
import { writeDocSection } from "./report/doc-section.ts";
import { addedCost, type LoadSummary, renderRequestCost, type RouteSummary } from "./report/request-cost-section.ts";
import { median } from "./report/stats.ts";
import { ROOT } from "./runner/options.ts";
import { freePort } from "./runner/services.ts";

const LOADS = [1, 8] as const;
const ROUTES = { plain: "/api/bench/plain", session: "/api/bench/session" } as const;
type Route = keyof typeof ROUTES;

const args = parseArgs();
const seconds = numberArg(args, "seconds", 10);
const rounds = numberArg(args, "rounds", 3);
const bin = (name: string) => join(ROOT, "node_modules", ".bin", name);
const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", CHECKPOINT_DISABLE: "1" };

function buildIfNeeded(): void {
  if (existsSync(join(ROOT, ".next", "BUILD_ID"))) return;
  const build = spawnSync(bin("next"), ["build"], { cwd: ROOT, stdio: "inherit", env: { ...env, NODE_ENV: "production" } });
  if (build.status !== 0) process.exit(1);
}

/** `next start` on a fresh SQLite database in `dir`, with the bench routes on. */
function startServer(dir: string, port: number): ChildProcess {
  const serverEnv: NodeJS.ProcessEnv = {
    ...env,
    NODE_ENV: "production",
    SESSIONSCOPE_DEMO: "1",
    SESSIONSCOPE_BENCH_ROUTES: "1",
    DATABASE_URL: `file:${join(dir, "bench.db")}`,
  };
  const setup = spawnSync(bin("tsx"), [join(ROOT, "scripts", "setup.ts")], { cwd: ROOT, env: serverEnv, stdio: "inherit" });
  if (setup.status !== 0) throw new Error("request-cost: scripts/setup.ts failed");
  return spawn(bin("next"), ["start", "-H", "127.0.0.1", "-p", String(port)], { cwd: ROOT, env: serverEnv, stdio: "ignore" });
}

async function waitUntilUp(base: string): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}${ROUTES.plain}`)).ok) return;
    } catch {
      // not listening yet
    }
    if (i > 100) throw new Error("request-cost: server did not start");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** One session per connection: the benchmark measures cost, not contention on one session. */
async function sessionCookies(base: string, count: number): Promise<string[]> {
  const cookies: string[] = [];
  for (let i = 0; i < count; i++) {
    const response = await fetch(`${base}${ROUTES.session}`);
    const cookie = /sessionid=([^;]+)/.exec(response.headers.get("set-cookie") ?? "")?.[1];
    if (!cookie) throw new Error(`request-cost: no session cookie from ${ROUTES.session}`);
    cookies.push(`sessionid=${cookie}`);
  }
  return cookies;
}

function load(base: string, route: Route, cookies: readonly string[], duration: number, connections: number): Promise<Result> {
  let next = 0;
  const setupClient = route === "session"
    ? (client: { setHeaders(headers: Record<string, string>): void }) => client.setHeaders({ cookie: cookies[next++ % cookies.length] ?? "" })
    : undefined;
  return new Promise((resolve, reject) => {
    autocannon({ url: `${base}${ROUTES[route]}`, connections, duration, setupClient }, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

const summarize = (list: readonly Result[]): RouteSummary => ({
  p50: median(list.map((r) => r.latency.p50)),
  p99: median(list.map((r) => r.latency.p99)),
  mean: median(list.map((r) => r.latency.mean)),
  rps: median(list.map((r) => r.requests.average)),
});

async function measure(base: string, cookies: readonly string[]): Promise<LoadSummary[]> {
  const saturated = Math.max(...LOADS);
  console.log("warming up ...");
  await load(base, "plain", cookies, 3, saturated);
  await load(base, "session", cookies, 3, saturated);
  const summaries: LoadSummary[] = [];
  for (const connections of LOADS) {
    const results: Record<Route, Result[]> = { plain: [], session: [] };
    for (let round = 1; round <= rounds; round++) {
      for (const route of ["plain", "session"] as const) {
        const result = await load(base, route, cookies, seconds, connections);
        if (result.non2xx || result.errors) throw new Error(`${route}: ${result.non2xx} non-2xx responses, ${result.errors} errors`);
        results[route].push(result);
        console.log(`${connections} conn round ${round} ${route.padEnd(7)} p50 ${result.latency.p50} ms  mean ${result.latency.mean.toFixed(2)} ms  ${Math.round(result.requests.average)} req/s`);
      }
    }
    summaries.push({ connections, plain: summarize(results.plain), session: summarize(results.session) });
  }
  return summaries;
}

buildIfNeeded();
const dir = mkdtempSync(join(tmpdir(), "sessionscope-request-cost-"));
let server: ChildProcess | null = null;
const stop = () => {
  if (server && server.exitCode === null) server.kill("SIGTERM");
  rmSync(dir, { recursive: true, force: true });
};
process.on("SIGINT", () => {
  stop();
  process.exit(130);
});
try {
  const port = await freePort();
  server = startServer(dir, port);
  const base = `http://127.0.0.1:${port}`;
  await waitUntilUp(base);
  const loads = await measure(base, await sessionCookies(base, Math.max(...LOADS)));
  writeDocSection("request-cost", renderRequestCost({ loads, seconds, rounds, date: new Date() }));
  const { addedMs, saturatedP50Ms, met } = addedCost(loads);
  console.log(`\n${met ? "met" : "MISSED"}: one request pays +${addedMs.toFixed(3)} ms for its session (1 connection); saturated p50 +${saturatedP50Ms} ms; written to docs/benchmarks.md`);
} finally {
  stop();
}
