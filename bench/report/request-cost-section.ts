/** The "What a session costs a request" section of docs/benchmarks.md (bench/request-cost.ts). */
import { cpus, totalmem } from "node:os";
import { utcStamp } from "./format.ts";

/** Medians over the rounds of one route at one load; latencies in ms as autocannon reports them. */
export interface RouteSummary {
  readonly p50: number;
  readonly p99: number;
  readonly mean: number;
  /** Requests per second. */
  readonly rps: number;
}

export type SetupId = "sqlite" | "postgres" | "postgres-verify" | "redis";
export type Side = "sessionscope" | "express";

/** One setup, one server (SessionScope's `next start` or express-session's), one load: its plain and session routes. */
export interface Pair {
  readonly setup: SetupId;
  readonly side: Side;
  readonly connections: number;
  readonly plain: RouteSummary;
  readonly session: RouteSummary;
  /**
   * The plain route reading the session cookie and writing a Set-Cookie of the same size, without
   * the session (default setup only): the floor under a cookie session on this server.
   */
  readonly cookie?: RouteSummary;
}

/** Resident memory of the `next start` process after a number of session requests. */
export interface MemoryPoint {
  readonly requests: number;
  /** As found: with whatever garbage the collector has not yet freed. */
  readonly rssBytes: number;
  /** Right after a full garbage collection (the server's /api/bench/gc). */
  readonly rssAfterGcBytes: number;
  /** Settled: after collections a second apart, once it stopped falling (what the process keeps; the verdict's). */
  readonly rssSettledBytes: number;
  /** How many seconds of collections it took to settle. */
  readonly settleSeconds: number;
  /** The JavaScript heap in use after the last collection. */
  readonly heapUsedBytes: number;
}

export interface RequestCost {
  readonly pairs: readonly Pair[];
  /** Empty when the memory run was skipped. */
  readonly memory: readonly MemoryPoint[];
  readonly seconds: number;
  readonly rounds: number;
  /** The saturated load (connections). */
  readonly saturated: number;
  readonly date: Date;
}

/** Targets on the default setup (issue 13): the session route keeps this share of the plain route's requests/s at saturation ... */
export const TARGET_SATURATED_SHARE = 0.8;
/** ... and at one connection costs at most this multiple of the plain request's mean round trip. */
export const TARGET_ONE_CONNECTION_FACTOR = 1.25;
/** Steady memory: the settled RSS at the last memory checkpoint within this factor of the same at the first. */
export const TARGET_MEMORY_GROWTH = 1.1;
/** New-session requests after which every bounded structure is full (the last-activity map holds 50,000). */
const BOUNDS_FULL_AT = 60_000;

export const SETUPS: Record<SetupId, { readonly sessionscope: string; readonly express: string }> = {
  sqlite: {
    sessionscope: "SQLite, `db` engine (WAL, synchronous=NORMAL): the default setup",
    express: "better-sqlite3-session-store (same pragmas)",
  },
  postgres: {
    sessionscope: "PostgreSQL with Redis, `cached_db` engine",
    express: "connect-pg-simple (PostgreSQL only: express-session has no cached_db)",
  },
  "postgres-verify": {
    sessionscope: "the same with `SESSION_CACHE_VERIFY_SECONDS=1`: every cached session checked against PostgreSQL each second (the cache outbox's bound at its tightest; default 60)",
    express: "",
  },
  redis: {
    sessionscope: "Redis, `cache` engine",
    express: "connect-redis (node-redis)",
  },
};

/** Time per request in ms. With one connection the loop is closed, so the mean round trip is exactly 1/throughput. */
export const perRequestMs = (s: RouteSummary) => 1000 / s.rps;

/** Session requests/s over plain requests/s (at saturation: the share of throughput the session keeps). */
export const throughputShare = (pair: Pair) => pair.session.rps / pair.plain.rps;
/** Session round trip over plain round trip (at one connection: what a session request costs in plain requests). */
export const timeFactor = (pair: Pair) => perRequestMs(pair.session) / perRequestMs(pair.plain);
/** What the session adds to one request's time, ms (at saturation: server time per request). */
export const addedMs = (pair: Pair) => perRequestMs(pair.session) - perRequestMs(pair.plain);

export interface Verdict {
  readonly share: number;
  readonly factor: number;
  readonly shareMet: boolean;
  readonly factorMet: boolean;
}

/** The default setup's verdict: SessionScope on SQLite, at saturation and at one connection. */
export function defaultSetupVerdict(pairs: readonly Pair[], saturated: number): Verdict | null {
  const find = (connections: number) => pairs.find((p) => p.setup === "sqlite" && p.side === "sessionscope" && p.connections === connections);
  const busy = find(saturated);
  const one = find(1);
  if (!busy || !one) return null;
  const share = throughputShare(busy);
  const factor = timeFactor(one);
  return { share, factor, shareMet: share >= TARGET_SATURATED_SHARE, factorMet: factor <= TARGET_ONE_CONNECTION_FACTOR };
}

/** The default setup's session route against its server's cookie route: what the session costs beyond the cookie. */
export interface CookieFloor {
  /** Cookie route over plain route, requests/s at saturation: what the cookie alone keeps. */
  readonly cookieShare: number;
  /** Session route over cookie route, requests/s at saturation. */
  readonly sessionShareOfCookie: number;
  /** Cookie round trip over plain, at one connection. */
  readonly cookieFactor: number;
  /** Session round trip over cookie round trip, at one connection. */
  readonly sessionFactorOverCookie: number;
}

export function cookieFloor(pairs: readonly Pair[], saturated: number, side: Side = "sessionscope"): CookieFloor | null {
  const find = (connections: number) => pairs.find((p) => p.setup === "sqlite" && p.side === side && p.connections === connections);
  const busy = find(saturated);
  const one = find(1);
  if (!busy?.cookie || !one?.cookie) return null;
  return {
    cookieShare: busy.cookie.rps / busy.plain.rps,
    sessionShareOfCookie: busy.session.rps / busy.cookie.rps,
    cookieFactor: perRequestMs(one.cookie) / perRequestMs(one.plain),
    sessionFactorOverCookie: perRequestMs(one.session) / perRequestMs(one.cookie),
  };
}

export interface MemoryVerdict {
  readonly first: MemoryPoint;
  readonly last: MemoryPoint;
  readonly peak: MemoryPoint;
  readonly growth: number;
  readonly met: boolean;
}

export function memoryVerdict(points: readonly MemoryPoint[]): MemoryVerdict | null {
  const first = points[0];
  const last = points.at(-1);
  if (!first || !last || first === last) return null;
  const peak = points.reduce((a, b) => (b.rssSettledBytes > a.rssSettledBytes ? b : a));
  const growth = last.rssSettledBytes / first.rssSettledBytes;
  return { first, last, peak, growth, met: growth <= TARGET_MEMORY_GROWTH };
}

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
const mark = (met: boolean) => (met ? "✅ met" : "❌ missed");

function row(setup: SetupId, side: Side, busy: Pair | undefined, one: Pair | undefined): string {
  const name = side === "sessionscope" ? `SessionScope: ${SETUPS[setup].sessionscope}` : `express-session: ${SETUPS[setup].express}`;
  const cells = [
    busy ? `${Math.round(busy.plain.rps)}` : "—",
    busy ? `${Math.round(busy.session.rps)}` : "—",
    busy ? `**${throughputShare(busy).toFixed(2)}**` : "—",
    busy ? addedMs(busy).toFixed(3) : "—",
    one ? perRequestMs(one.plain).toFixed(3) : "—",
    one ? perRequestMs(one.session).toFixed(3) : "—",
    one ? `**${timeFactor(one).toFixed(2)}×**` : "—",
    one ? addedMs(one).toFixed(3) : "—",
  ];
  return `| ${name} | ${cells.join(" | ")} |`;
}

/**
 * Where the session route's time goes on the default setup, from `node --cpu-prof` on its
 * `next start` (--profile-dir) and bench/request-cost-breakdown.ts (the same work without Next),
 * and what the save's commit writes (WAL frames per commit, from PRAGMA wal_checkpoint).
 */
export const PROFILE_FINDING: readonly string[] = [
  "",
  "**Where the time goes (default setup, profiled).** `node --cpu-prof` on the `next start` of this run's default setup (`--profile-dir`), and the same work without Next (`node --import ./bench/ts-as-built.mjs --import ./bench/server-only.mjs bench/request-cost-breakdown.ts`): " +
    "most of a request's time on both routes is Next's own handling, the same on both (the `proxy.ts` adapter and its NextRequest, undici Request/Response objects, the body piped through web streams, Next's tracing); the plain handler's `NextResponse.json` alone is about 0.1 ms here. " +
    "Of what the session adds (about 0.6 ms in-process on this loaded machine), the save's SQLite transaction is about 70 %: load (SELECT, HMAC check, decode) about 0.05 ms, the codec's encode and sign, the Set-Cookie and Vary headers and the throttled activity record the rest. " +
    "The commit was expensive because of the dashboard's copy of the expiry: `expire_date` is a column of six of `sessionscope_session_meta`'s indexes (the listing's covering indexes), so every save wrote **9 pages** to the WAL where the session row alone writes 2 (better-sqlite3-session-store's `INSERT OR REPLACE` writes 2 as well): about 180-230 µs a commit against 50-90 µs for the row alone, measured side by side. " +
    "Since then a save rewrites the copy only when it trails the session's expiry by more than a minute (a tenth of the remaining life for short sessions) or runs ahead of it (`lib/session/engines/sql-schema.ts`, `expiryCopySlackMs`), so the common save writes the session row alone; the dashboard may list a live session as expired up to that slack before its end, never an expired one as live (docs/scaling.md).",
    "",
    "**The cache outbox's cost (cached_db).** A kill or refresh the cache missed waits in `sessionscope_cache_outbox` (docs/engines.md, \"When the cache is down\"): on the request's path that is one flag read per load while the cache is healthy, plus one indexed read of the empty outbox per second per instance, and a cached session checked against the database once per `SESSION_CACHE_VERIFY_SECONDS` (default 60). The `postgres-verify` row runs the same cached_db server with that bound at 1 s, the tightest allowed: its difference from the cached_db row is what the bound costs at its worst.",
];

/** The default setup's three routes per server, and what the cookie alone takes of the plain route. */
function cookieSection(pairs: readonly Pair[], saturated: number): string[] {
  const ours = cookieFloor(pairs, saturated);
  if (!ours) return [];
  const rows: string[] = [];
  for (const side of ["sessionscope", "express"] as const) {
    const busy = pairs.find((p) => p.setup === "sqlite" && p.side === side && p.connections === saturated);
    const one = pairs.find((p) => p.setup === "sqlite" && p.side === side && p.connections === 1);
    const floor = cookieFloor(pairs, saturated, side);
    if (!busy?.cookie || !one?.cookie || !floor) continue;
    const name = side === "sessionscope" ? "SessionScope (`next start`)" : "express-session (`node:http`)";
    rows.push(
      `| ${name} | ${Math.round(busy.plain.rps)} | ${Math.round(busy.cookie.rps)} | ${Math.round(busy.session.rps)} | **${floor.cookieShare.toFixed(2)}** | **${floor.sessionShareOfCookie.toFixed(2)}** | ` +
        `${perRequestMs(one.plain).toFixed(3)} | ${perRequestMs(one.cookie).toFixed(3)} | ${perRequestMs(one.session).toFixed(3)} | **${floor.cookieFactor.toFixed(2)}×** | **${floor.sessionFactorOverCookie.toFixed(2)}×** |`,
    );
  }
  return [
    "",
    "**The cookie's own cost, the floor under a cookie session.** On the default setup each server also serves a *cookie* route: the plain route that reads the request's session cookie and answers with a Set-Cookie of the same value and attributes (and, on SessionScope's, `Vary: Cookie`), with no store and no codec (`/api/bench/cookie` in `lib/server/bench-routes.ts`; express-session's server: `/cookie`). " +
      "The plain route's requests carry no cookie and its responses set none, so part of what the session route costs against it is the cookie's trip through the framework, which any cookie session pays. Measured in the same rounds as the table above:",
    "",
    `| server (default setup) | ${saturated} conn: plain req/s | cookie req/s | session req/s | cookie / plain | session / cookie | 1 conn: plain, ms | cookie, ms | session, ms | cookie / plain | session / cookie |`,
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...rows,
    "",
    `On SessionScope's server the cookie alone keeps ${ours.cookieShare.toFixed(2)} of the plain route's requests/s at saturation and costs ${ours.cookieFactor.toFixed(2)}× its round trip at one connection; against that floor, the session route keeps ${ours.sessionShareOfCookie.toFixed(2)} of the cookie route's requests/s and costs ${ours.sessionFactorOverCookie.toFixed(2)}× its round trip. ` +
      `The targets above are judged against the plain route, as set; read against the cookie route, the session would have to keep ${(TARGET_SATURATED_SHARE / ours.cookieShare).toFixed(2)} of it at saturation to meet ${TARGET_SATURATED_SHARE} of the plain route.`,
  ];
}

export function renderRequestCost({ pairs, memory, seconds, rounds, saturated, date }: RequestCost): string[] {
  const machine = `${cpus()[0]?.model.trim() ?? "unknown CPU"}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}`;
  const setups = (Object.keys(SETUPS) as SetupId[]).filter((s) => pairs.some((p) => p.setup === s));
  const find = (setup: SetupId, side: Side, connections: number) => pairs.find((p) => p.setup === setup && p.side === side && p.connections === connections);
  const verdict = defaultSetupVerdict(pairs, saturated);
  const mem = memoryVerdict(memory);
  const lines = [
    "## What a session costs a request",
    "",
    `Generated by \`node --import ./bench/ts-as-built.mjs bench/request-cost.ts --seconds ${seconds} --rounds ${rounds}${setups.length < Object.keys(SETUPS).length ? ` --setups ${setups.join(",")}` : ""}\` on ${utcStamp(date)} (${machine}).`,
    "",
    "Each setup is served twice on the same machine in the same run, each server with a plain route and a session route that do the same work: " +
      "**SessionScope** by `next start` (`/api/bench/plain` and `/api/bench/session` in `lib/server/bench-routes.ts`: load the session, `modify` a counter, compare-and-swap save, Set-Cookie), " +
      "and **express-session** 1.19 with the store named (`bench/request-cost-express.ts`: `/plain`, and `/session` where express-session loads the session, the handler adds one to its counter, express-session saves it and sends Set-Cookie). " +
      "Express itself is not installed here, so express-session runs as the middleware it is on `node:http`; Express's router would add the same time to both of its routes, which would raise its ratios a little (a constant added to both times brings them closer). " +
      "The ratios compare each server with itself; the *added* columns are what the session costs in milliseconds whatever the framework. " +
      `autocannon on the same machine, each connection holding its own session, ${seconds} s per run, ${rounds} rounds after a warm-up; in each round every setup and both servers run in turn (plain and session in alternating order), so a noisy stretch of this shared machine hits all of them; medians of the rounds. ` +
      `With ${saturated} connections the server is saturated and requests/s is its capacity; with 1 the loop is closed and the mean round trip (1/throughput) is what one request pays.`,
    "",
    `| setup and server | ${saturated} conn: plain req/s | session req/s | session / plain | added, ms per request | 1 conn: plain round trip, ms | session round trip, ms | session / plain | added, ms |`,
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const setup of setups) {
    for (const side of ["sessionscope", "express"] as const) {
      if (find(setup, side, saturated) || find(setup, side, 1)) lines.push(row(setup, side, find(setup, side, saturated), find(setup, side, 1)));
    }
  }
  lines.push("");
  if (verdict) {
    lines.push(
      `**Targets on the default setup (SessionScope, SQLite db): the session route keeps at least ${TARGET_SATURATED_SHARE} of the plain route's requests/s at saturation: ${mark(verdict.shareMet)} (${verdict.share.toFixed(2)}); ` +
        `at one connection it costs at most ${TARGET_ONE_CONNECTION_FACTOR}× the plain request: ${mark(verdict.factorMet)} (${verdict.factor.toFixed(2)}×).**`,
    );
  }
  lines.push(...cookieSection(pairs, saturated));
  lines.push(...PROFILE_FINDING);
  if (mem) {
    // The first checkpoint at which every bounded structure is full (see the paragraph below).
    const full = memory.find((p) => p.requests >= BOUNDS_FULL_AT && p !== mem.last);
    const signed = (ratio: number) => `${ratio >= 1 ? "+" : ""}${((ratio - 1) * 100).toFixed(1)} %`;
    lines.push(
      "",
      "### Steady memory",
      "",
      `The resident memory (VmRSS from /proc) of a fresh \`next start\` (\`node --expose-gc\`) on the default setup while it serves ${mem.last.requests.toLocaleString("en-US")} requests to \`/api/bench/session\`, ${saturated} connections, **every request without a cookie, so each one creates a new session**: ` +
        "every structure kept per session or per value (the codec's verified-value cache, the last-activity map) sees a key it has never seen on every request, which is what an unbounded cache would grow on; SQLite's page cache and the tables grow with the rows too. " +
        "A small pool of sessions would reuse the same few keys and could not show a leak by key. " +
        "At each checkpoint the RSS is read as found; then the bench route `/api/bench/gc` runs a full garbage collection and it is read again; then a collection a second apart until the RSS stops falling (less than 1 % down), when it is read settled, with the JavaScript heap in use. " +
        "As found, the RSS holds whatever garbage the collector has not yet freed, so it says as much about when V8 last collected as about what the process keeps. Right after one collection it still holds pages that V8 and the allocator hand back to the system only over the next seconds, so it moved by tens of MiB from one checkpoint to the next (319 to 442 MiB in one run). " +
        "Settled, it is what the process keeps: the target is judged on it, as the target names resident memory, with the JavaScript heap beside it.",
      "",
      "| session requests | RSS as found, MiB | after one full collection, MiB | settled, MiB (seconds) | JS heap in use, MiB |",
      "|---:|---:|---:|---:|---:|",
      ...memory.map((p) => `| ${p.requests.toLocaleString("en-US")} | ${mib(p.rssBytes)} | ${mib(p.rssAfterGcBytes)} | ${mib(p.rssSettledBytes)} (${p.settleSeconds} s) | ${mib(p.heapUsedBytes)} |`),
      "",
      `**Target: RSS after ${mem.last.requests.toLocaleString("en-US")} requests within ${Math.round((TARGET_MEMORY_GROWTH - 1) * 100)} % of RSS after ${mem.first.requests.toLocaleString("en-US")}, each settled: ${mark(mem.met)}** ` +
        `(${mib(mem.first.rssSettledBytes)} MiB → ${mib(mem.last.rssSettledBytes)} MiB, ${mem.growth >= 1 ? "+" : ""}${((mem.growth - 1) * 100).toFixed(1)} %; peak ${mib(mem.peak.rssSettledBytes)} MiB after ${mem.peak.requests.toLocaleString("en-US")}. ` +
        `JS heap ${mib(mem.first.heapUsedBytes)} MiB → ${mib(mem.last.heapUsedBytes)} MiB. ` +
        `As found: ${mib(mem.first.rssBytes)} MiB → ${mib(mem.last.rssBytes)} MiB, ${mem.last.rssBytes >= mem.first.rssBytes ? "+" : ""}${((mem.last.rssBytes / mem.first.rssBytes - 1) * 100).toFixed(1)} %).`,
      "",
      "Bounded is not constant from the first request: the structures that fill with new sessions have bounds above the first checkpoint. " +
        "The last-activity map keeps the 50,000 sessions this process most recently wrote (about 9 MB of heap when full, measured apart with 110-character user agents), so it is still filling at 20,000; " +
        "the codec's verified-value cache keeps 1,024 values, SQLite's page cache 2,000 KiB a connection (its default). " +
        "From 60,000 requests on, all of them are full: growth past that checkpoint is what a leak would show." +
        (full ? ` Here: ${mib(full.rssSettledBytes)} MiB at ${full.requests.toLocaleString("en-US")} → ${mib(mem.last.rssSettledBytes)} MiB at ${mem.last.requests.toLocaleString("en-US")}, ${signed(mem.last.rssSettledBytes / full.rssSettledBytes)}; JS heap ${mib(full.heapUsedBytes)} → ${mib(mem.last.heapUsedBytes)} MiB.` : ""),
    );
  }
  return lines;
}
