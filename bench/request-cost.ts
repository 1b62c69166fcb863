/**
 * What a session costs a request, on every setup, beside express-session:
 *
 *   sqlite    SessionScope's db engine on SQLite (WAL), the default setup;
 *             express-session with better-sqlite3-session-store
 *   postgres  SessionScope's cached_db engine on PostgreSQL with Redis;
 *             express-session with connect-pg-simple (no cache in front)
 *   postgres-verify  the postgres setup's SessionScope with SESSION_CACHE_VERIFY_SECONDS=1 (the cache
 *             outbox's bound at its tightest: what it costs at worst); no express twin
 *   redis     SessionScope's cache engine on Redis; express-session with connect-redis
 *
 * For each setup one `next start` (its /api/bench/plain and /api/bench/session)
 * and one express-session server (bench/request-cost-express.ts: /plain and
 * /session); on the default setup also each server's cookie route
 * (/api/bench/cookie, /cookie: the plain route with the session cookie read and
 * a Set-Cookie written, no session), the floor under a cookie session on that
 * server. All up at once on 127.0.0.1 beside one PostgreSQL and one Redis,
 * measured with autocannon at 1 connection (what one request pays) and at 8
 * (a saturated server: what the session costs in throughput), rounds
 * alternating over every setup and server. Then the steady-memory run: a fresh
 * `next start` on the default setup serving session requests that each create a
 * new session, its RSS read from /proc every 20,000 requests.
 * Writes its section of docs/benchmarks.md.
 *
 *   node --import ./bench/ts-as-built.mjs bench/request-cost.ts [--seconds 10] [--rounds 3] [--setups sqlite,postgres,postgres-verify,redis]
 *                                 [--memory-requests 200000 (0 skips the memory run)] [--memory-checkpoint 20000]
 *
 * Profiling the default setup's server: --profile-dir /tmp/prof runs its `next start`
 * under node --cpu-prof into that folder (the profile is written when it stops).
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import autocannon, { type Result } from "autocannon";
import pg from "pg";
import { emitVerdict, numberArg, parseArgs } from "./common.ts";
import { benchmarksDoc, writeDocSection } from "./report/doc-section.ts";
import {
  defaultSetupVerdict, type MemoryPoint, memoryVerdict, type Pair, perRequestMs, renderRequestCost, type RouteSummary, type SetupId, type Side,
} from "./report/request-cost-section.ts";
import { median } from "./report/stats.ts";
import { verdictLine } from "./report/targets.ts";
import { ROOT } from "./runner/options.ts";
import { nodeTs } from "./runner/plan.ts";
import { freePort, startRequired, Teardown, withPath } from "./runner/services.ts";

const LOADS = [1, 8] as const;
const SATURATED = Math.max(...LOADS);
const ALL_SETUPS: readonly SetupId[] = ["sqlite", "postgres", "postgres-verify", "redis"];

const args = parseArgs();
const seconds = numberArg(args, "seconds", 10);
const rounds = numberArg(args, "rounds", 3);
const memoryRequests = args.get("memory-requests") === "0" ? 0 : numberArg(args, "memory-requests", 200_000);
const memoryCheckpoint = numberArg(args, "memory-checkpoint", 20_000);
const profileDir = args.get("profile-dir");
const setups = (args.get("setups") ?? ALL_SETUPS.join(",")).split(",").map((s) => s.trim()) as SetupId[];
for (const s of setups) if (!ALL_SETUPS.includes(s)) throw new Error(`request-cost: unknown setup ${s} (${ALL_SETUPS.join(", ")})`);

const NEXT = join(ROOT, "node_modules", "next", "dist", "bin", "next");
const TSX = join(ROOT, "node_modules", ".bin", "tsx");
const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", CHECKPOINT_DISABLE: "1" };
const teardown = new Teardown();
teardown.install();

/** A server under test: its setup, its side, where its routes are, and the session cookies its connections send. */
interface Target {
  readonly setup: SetupId;
  readonly side: Side;
  readonly base: string;
  /** `cookie` on the default setup only: the cookie's own cost, without the session. */
  readonly routes: { readonly plain: string; readonly session: string; readonly cookie?: string };
  readonly process: ChildProcess;
  cookies: string[];
}

function buildIfNeeded(): void {
  if (existsSync(join(ROOT, ".next", "BUILD_ID"))) return;
  const build = spawnSync(process.execPath, [NEXT, "build"], { cwd: ROOT, stdio: "inherit", env: { ...env, NODE_ENV: "production" } });
  if (build.status !== 0) process.exit(1);
}

/** The servers this run stopped on purpose (their exit status is no failure). */
const stopping = new WeakSet<ChildProcess>();

/** A child in its own process group (stopped with everything it started by the teardown), output to the console on failure only. */
function startChild(command: string, argv: string[], childEnv: NodeJS.ProcessEnv, name: string): ChildProcess {
  const child = spawn(command, argv, { cwd: ROOT, env: childEnv, stdio: ["ignore", "pipe", "pipe"], detached: true });
  teardown.trackChild(child);
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  child.on("exit", (code, signal) => {
    if (!stopping.has(child) && code !== 0 && signal === null) console.error(`request-cost: ${name} exited with ${code}\n${output}`);
  });
  return child;
}

/** `next start` with the bench routes on, after scripts/setup.ts has migrated its database. */
function startNext(name: string, port: number, sessionEnv: Record<string, string>, options: { profile?: string; nodeFlags?: readonly string[] } = {}): ChildProcess {
  const serverEnv: NodeJS.ProcessEnv = { ...env, ...sessionEnv, NODE_ENV: "production", SESSIONSCOPE_DEMO: "1", SESSIONSCOPE_BENCH_ROUTES: "1" };
  const setup = spawnSync(TSX, [join(ROOT, "scripts", "setup.ts")], { cwd: ROOT, env: serverEnv, encoding: "utf8" });
  if (setup.status !== 0) throw new Error(`request-cost: scripts/setup.ts failed for ${name}\n${setup.stdout}${setup.stderr}`);
  // Node 20 refuses --cpu-prof in NODE_OPTIONS; `next start` serves in the process it starts in, so the flag goes on its command line.
  const profile = options.profile ? ["--cpu-prof", `--cpu-prof-dir=${options.profile}`] : [];
  return startChild(process.execPath, [...profile, ...(options.nodeFlags ?? []), NEXT, "start", "-H", "127.0.0.1", "-p", String(port)], serverEnv, name);
}

async function waitUntilUp(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`request-cost: the server for ${url} exited (${child.exitCode})`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (i > 300) throw new Error(`request-cost: ${url} did not answer within a minute`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** One session per connection: the benchmark measures cost, not contention on one session. */
async function sessionCookies(url: string, count: number): Promise<string[]> {
  const cookies: string[] = [];
  for (let i = 0; i < count; i++) {
    const response = await fetch(url);
    const cookie = /sessionid=([^;]+)/.exec(response.headers.get("set-cookie") ?? "")?.[1];
    if (!response.ok || !cookie) throw new Error(`request-cost: no session cookie from ${url} (${response.status})`);
    cookies.push(`sessionid=${cookie}`);
  }
  return cookies;
}

type Route = "plain" | "session" | "cookie";

function load(target: Target, route: Route, options: { duration?: number; amount?: number; connections: number; cookies?: boolean }): Promise<Result> {
  let next = 0;
  const cookies = options.cookies === false ? [] : target.cookies;
  const setupClient = route !== "plain" && cookies.length > 0
    ? (client: { setHeaders(headers: Record<string, string>): void }) => client.setHeaders({ cookie: cookies[next++ % cookies.length]! })
    : undefined;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `${target.base}${target.routes[route]}`,
        connections: options.connections,
        // autocannon refuses an undefined duration: a run is either timed or counted.
        ...(options.amount === undefined ? { duration: options.duration } : { amount: options.amount }),
        setupClient,
      },
      (error, result) => {
        if (error) return reject(error);
        if (result.non2xx || result.errors) return reject(new Error(`${target.setup}/${target.side}/${route}: ${result.non2xx} non-2xx responses, ${result.errors} errors`));
        resolve(result);
      },
    );
  });
}

const summarize = (list: readonly Result[]): RouteSummary => ({
  p50: median(list.map((r) => r.latency.p50)),
  p99: median(list.map((r) => r.latency.p99)),
  mean: median(list.map((r) => r.latency.mean)),
  rps: median(list.map((r) => r.requests.average)),
});

async function startServices(): Promise<{ pgUrl: string | null; redisUrl: string | null }> {
  let pgUrl: string | null = null;
  let redisUrl: string | null = null;
  const usesPostgres = setups.includes("postgres") || setups.includes("postgres-verify");
  if (usesPostgres) {
    const server = await startRequired("postgresql", teardown);
    pgUrl = server.url;
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    for (const db of ["request_cost_sessionscope", "request_cost_sessionscope_verify", "request_cost_express"]) await admin.query(`CREATE DATABASE ${db}`);
    await admin.end();
    console.log(`request-cost: PostgreSQL on 127.0.0.1:${server.port} (pid ${server.pid})`);
  }
  if (usesPostgres || setups.includes("redis")) {
    const server = await startRequired("redis", teardown);
    redisUrl = server.url;
    console.log(`request-cost: Redis on 127.0.0.1:${server.port} (pid ${server.pid})`);
  }
  return { pgUrl, redisUrl };
}

/** SessionScope's settings for a setup; each server has its own database and Redis logical database. */
function sessionScopeEnv(setup: SetupId, dir: string, pgUrl: string | null, redisUrl: string | null): Record<string, string> {
  if (setup === "sqlite") return { SESSION_ENGINE: "db", DATABASE_URL: `file:${join(dir, "sessionscope-db.db")}` };
  if (setup === "postgres") {
    return { SESSION_ENGINE: "cached_db", DATABASE_URL: withPath(pgUrl!, "request_cost_sessionscope"), REDIS_URL: withPath(redisUrl!, "1") };
  }
  if (setup === "postgres-verify") {
    const database = { DATABASE_URL: withPath(pgUrl!, "request_cost_sessionscope_verify"), REDIS_URL: withPath(redisUrl!, "4") };
    return { SESSION_ENGINE: "cached_db", ...database, SESSION_CACHE_VERIFY_SECONDS: "1" };
  }
  // The cache engine keeps sessions in Redis only; the app's other tables (accounts, shop) stay on SQLite.
  return { SESSION_ENGINE: "cache", DATABASE_URL: `file:${join(dir, "sessionscope-cache.db")}`, REDIS_URL: withPath(redisUrl!, "2") };
}

function expressArgs(setup: SetupId, dir: string, pgUrl: string | null, redisUrl: string | null): string[] {
  if (setup === "sqlite") return ["--store", "sqlite", "--sqlite-file", join(dir, "express.db")];
  if (setup === "postgres") return ["--store", "postgresql", "--pg", withPath(pgUrl!, "request_cost_express")];
  return ["--store", "redis", "--redis", withPath(redisUrl!, "3")];
}

async function startTargets(dir: string, pgUrl: string | null, redisUrl: string | null): Promise<Target[]> {
  const targets: Target[] = [];
  for (const setup of setups) {
    const nextPort = await freePort();
    const profile = setup === "sqlite" ? profileDir : undefined;
    const nextServer = startNext(`next start (${setup})`, nextPort, sessionScopeEnv(setup, dir, pgUrl, redisUrl), { profile });
    // The cookie's own cost is measured where the targets are judged: the default setup.
    const cookieRoute = setup === "sqlite";
    const nextRoutes = { plain: "/api/bench/plain", session: "/api/bench/session", ...(cookieRoute && { cookie: "/api/bench/cookie" }) };
    targets.push({ setup, side: "sessionscope", base: `http://127.0.0.1:${nextPort}`, routes: nextRoutes, process: nextServer, cookies: [] });
    // The bound's variant is SessionScope's alone: express-session has nothing like it.
    if (setup === "postgres-verify") continue;
    const expressPort = await freePort();
    const express = nodeTs(join(ROOT, "bench", "request-cost-express.ts"), "--port", String(expressPort), ...expressArgs(setup, dir, pgUrl, redisUrl));
    const expressServer = startChild(express.command, express.args, env, `express-session (${setup})`);
    const expressRoutes = { plain: "/plain", session: "/session", ...(cookieRoute && { cookie: "/cookie" }) };
    targets.push({ setup, side: "express", base: `http://127.0.0.1:${expressPort}`, routes: expressRoutes, process: expressServer, cookies: [] });
  }
  for (const target of targets) {
    await waitUntilUp(`${target.base}${target.routes.plain}`, target.process);
    target.cookies = await sessionCookies(`${target.base}${target.routes.session}`, SATURATED);
    console.log(`request-cost: ${target.setup}/${target.side} up at ${target.base} (pid ${target.process.pid})`);
  }
  return targets;
}

/** The routes a target serves, plain first. */
const routesOf = (target: Target): Route[] => (target.routes.cookie ? ["plain", "cookie", "session"] : ["plain", "session"]);

async function measure(targets: readonly Target[]): Promise<Pair[]> {
  console.log("warming up ...");
  for (const target of targets) {
    for (const route of routesOf(target)) await load(target, route, { duration: 3, connections: SATURATED });
  }
  const pairs: Pair[] = [];
  for (const connections of LOADS) {
    const results = new Map<Target, Record<Route, Result[]>>(targets.map((t) => [t, { plain: [], session: [], cookie: [] }]));
    for (let round = 1; round <= rounds; round++) {
      for (const target of targets) {
        // Plain first in odd rounds, session first in even ones: a drift in the machine's speed favours neither.
        const order = round % 2 === 1 ? routesOf(target) : routesOf(target).reverse();
        for (const route of order) {
          const result = await load(target, route, { duration: seconds, connections });
          results.get(target)![route].push(result);
          console.log(`${connections} conn round ${round} ${`${target.setup}/${target.side}`.padEnd(22)} ${route.padEnd(7)} mean ${result.latency.mean.toFixed(2)} ms  ${Math.round(result.requests.average)} req/s`);
        }
      }
    }
    for (const target of targets) {
      const { plain, session, cookie } = results.get(target)!;
      pairs.push({ setup: target.setup, side: target.side, connections, plain: summarize(plain), session: summarize(session), ...(cookie.length > 0 && { cookie: summarize(cookie) }) });
    }
  }
  return pairs;
}

/** Resident memory of a process, bytes (VmRSS from /proc). */
function rss(pid: number): number {
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  if (!kb) throw new Error(`request-cost: no VmRSS for pid ${pid}`);
  return Number(kb) * 1024;
}

/** A full garbage collection in the server (its bench route), then its RSS and JavaScript heap in use. */
async function collected(base: string, pid: number): Promise<{ rssAfterGcBytes: number; heapUsedBytes: number }> {
  const response = await fetch(`${base}/api/bench/gc`, { method: "POST" });
  if (!response.ok) throw new Error(`request-cost: /api/bench/gc answered ${response.status}: ${await response.text()}`);
  const { heapUsed } = (await response.json()) as { heapUsed: number };
  return { rssAfterGcBytes: rss(pid), heapUsedBytes: heapUsed };
}

/** The longest a checkpoint waits for the RSS to settle, in collections a second apart. */
const SETTLE_MAX_SECONDS = 15;

/**
 * The RSS once it has settled: a full collection a second apart until the RSS stops falling (less than
 * 1 % down). V8 and the allocator hand freed pages back to the system over seconds after a collection:
 * in a trial on this machine, 388 MiB right after the first, 297 two seconds and a collection later,
 * 234 after two more, then 206 and steady.
 */
async function settled(base: string, pid: number): Promise<{ rssSettledBytes: number; settleSeconds: number; heapUsedBytes: number }> {
  let last = await collected(base, pid);
  for (let seconds = 1; seconds <= SETTLE_MAX_SECONDS; seconds++) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const next = await collected(base, pid);
    const falling = next.rssAfterGcBytes < last.rssAfterGcBytes * 0.99;
    last = next;
    if (!falling) return { rssSettledBytes: next.rssAfterGcBytes, settleSeconds: seconds, heapUsedBytes: next.heapUsedBytes };
  }
  return { rssSettledBytes: last.rssAfterGcBytes, settleSeconds: SETTLE_MAX_SECONDS, heapUsedBytes: last.heapUsedBytes };
}

/** A fresh default-setup server; session requests without a cookie (each creates a session); RSS every checkpoint: as found, after a full collection, and settled. */
async function measureMemory(dir: string): Promise<MemoryPoint[]> {
  const port = await freePort();
  const server = startNext("next start (memory)", port, { SESSION_ENGINE: "db", DATABASE_URL: `file:${join(dir, "memory.db")}` }, { nodeFlags: ["--expose-gc"] });
  const target: Target = { setup: "sqlite", side: "sessionscope", base: `http://127.0.0.1:${port}`, routes: { plain: "/api/bench/plain", session: "/api/bench/session" }, process: server, cookies: [] };
  await waitUntilUp(`${target.base}${target.routes.plain}`, server);
  const points: MemoryPoint[] = [];
  for (let done = 0; done < memoryRequests; ) {
    const amount = Math.min(memoryCheckpoint, memoryRequests - done);
    const result = await load(target, "session", { amount, connections: SATURATED, cookies: false });
    done += amount;
    // The activity writes run after the response: let them finish before reading.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const found = rss(server.pid!);
    const { rssAfterGcBytes } = await collected(target.base, server.pid!);
    const point = { requests: done, rssBytes: found, rssAfterGcBytes, ...(await settled(target.base, server.pid!)) };
    points.push(point);
    const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
    console.log(
      `memory: ${done.toLocaleString("en-US")} session requests, RSS ${mib(found)} MiB, after a full collection ${mib(rssAfterGcBytes)} MiB, ` +
        `settled ${mib(point.rssSettledBytes)} MiB after ${point.settleSeconds} s (JS heap ${mib(point.heapUsedBytes)}) (${Math.round(result.requests.average)} req/s)`,
    );
  }
  stopServer(server);
  return points;
}

function stopServer(child: ChildProcess): void {
  stopping.add(child);
  if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, "SIGTERM");
}

buildIfNeeded();
const dir = mkdtempSync(join(tmpdir(), "sessionscope-request-cost-"));
teardown.addFolder(dir);
const { pgUrl, redisUrl } = await startServices();
const targets = await startTargets(dir, pgUrl, redisUrl);
const pairs = await measure(targets);
// SIGTERM first, so a --cpu-prof server writes its profile; the teardown kills whatever remains.
for (const target of targets) stopServer(target.process);
if (profileDir) await new Promise((resolve) => setTimeout(resolve, 3000));
const memory = memoryRequests > 0 ? await measureMemory(dir) : [];
const date = new Date();
writeDocSection("request-cost", renderRequestCost({ pairs, memory, seconds, rounds, saturated: SATURATED, date }));

console.log("");
for (const pair of pairs) {
  console.log(`${pair.connections} conn ${`${pair.setup}/${pair.side}`.padEnd(22)} plain ${perRequestMs(pair.plain).toFixed(3)} ms  session ${perRequestMs(pair.session).toFixed(3)} ms  share ${(pair.session.rps / pair.plain.rps).toFixed(2)}`);
}
const verdict = defaultSetupVerdict(pairs, SATURATED);
if (verdict) {
  emitVerdict(verdictLine("request-cost/saturation", verdict.share.toFixed(2), verdict.shareMet));
  emitVerdict(verdictLine("request-cost/one-connection", `${verdict.factor.toFixed(2)}×`, verdict.factorMet));
}
if (verdict) console.log(`default setup: session keeps ${verdict.share.toFixed(2)} of plain at saturation (${verdict.shareMet ? "met" : "MISSED"}), costs ${verdict.factor.toFixed(2)}x at one connection (${verdict.factorMet ? "met" : "MISSED"})`);
const mem = memoryVerdict(memory);
if (mem) emitVerdict(verdictLine("request-cost/memory", `${(mem.growth * 100 - 100).toFixed(1)} % from ${mem.first.requests.toLocaleString("en-US")} to ${mem.last.requests.toLocaleString("en-US")} requests (settled RSS; JS heap ${(mem.first.heapUsedBytes / 2 ** 20).toFixed(1)} → ${(mem.last.heapUsedBytes / 2 ** 20).toFixed(1)} MiB)`, mem.met));
if (mem) console.log(`memory: ${(mem.growth * 100 - 100).toFixed(1)} % from ${mem.first.requests} to ${mem.last.requests} requests (${mem.met ? "met" : "MISSED"})`);
console.log(`written to ${relative(ROOT, benchmarksDoc())}`);
teardown.run();
process.exit(0);
