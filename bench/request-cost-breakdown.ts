/**
 * Where a session request's own time goes on the default setup, without Next:
 * the work /api/bench/session adds to /api/bench/plain, step by step, on the
 * same code the route runs (lib/server/session/lifecycle.ts) and a migrated
 * SQLite database (WAL). One session, one request at a time, like the
 * request-cost benchmark's one-connection row. Prints µs per step (medians of
 * rounds); the request-cost section of docs/benchmarks.md quotes it.
 *
 *   node --import ./bench/ts-as-built.mjs --import ./bench/server-only.mjs bench/request-cost-breakdown.ts [--requests 3000] [--rounds 5]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { commitSession } from "../lib/session/index.ts";
import { openDatabase } from "../lib/node/db/connection.ts";
import { migrateDatabase } from "../lib/node/db/setup.ts";
import { parseEnv } from "../lib/node/env.ts";
import { liveCookieConfig } from "../lib/node/session/policy.ts";
import { createSessionRuntime } from "../lib/node/session/runtime.ts";
import { countVisit } from "../lib/server/bench-routes.ts";
import { openRequestSession, runWithSession } from "../lib/server/session/lifecycle.ts";
import { numberArg, parseArgs } from "./common.ts";
import { median } from "./report/stats.ts";

const args = parseArgs();
const requests = numberArg(args, "requests", 3000);
const rounds = numberArg(args, "rounds", 5);
const dir = mkdtempSync(join(tmpdir(), "sessionscope-request-breakdown-"));
const env = parseEnv({ DATABASE_URL: `file:${join(dir, "breakdown.db")}`, SESSIONSCOPE_BENCH_ROUTES: "1" });
const db = openDatabase(env.DATABASE_URL, { backgroundCheckpoints: true });
await migrateDatabase(db);
const runtime = createSessionRuntime(env, db, null);
const info = { ip: "127.0.0.1", userAgent: "autocannon", https: false };
const options = { fromHttpError: () => new Response(null, { status: 500 }), statusOf: (r: Response) => r.status };

// The session every step reuses, made as the route's first request makes it.
const first = await runWithSession(runtime, { cookieValue: null, info }, ({ session }) => countVisit(session), options);
if (!first.ok || !first.commit.cookie) throw new Error("breakdown: no session");
const key = first.commit.cookie.value;

type Step = [name: string, run: () => Promise<unknown>];
const steps: Step[] = [
  ["plain handler (countVisit without a session)", () => countVisit(null)],
  ["live policy (cached)", () => runtime.policy.get()],
  ["open + load (SELECT, unsign, decode)", async () => (await openRequestSession(runtime, key)).load()],
  [
    "open + load + modify + commit (encode, sign, compare-and-swap UPDATE of both rows, Set-Cookie)",
    async () => {
      const policy = await runtime.policy.get();
      const session = await (await openRequestSession(runtime, key, policy)).load();
      session.modify<number>("visits", (n) => (typeof n === "number" ? n : 0) + 1);
      return commitSession(session, { hadCookie: true, status: 200, config: liveCookieConfig(runtime.config, policy), now: new Date(), secure: false });
    },
  ],
  ["the whole session request (runWithSession + countVisit)", () => runWithSession(runtime, { cookieValue: key, info }, ({ session }) => countVisit(session), options)],
];

const results = new Map<string, number[]>(steps.map(([name]) => [name, []]));
for (let round = 0; round < rounds + 1; round++) {
  for (const [name, run] of steps) {
    const start = performance.now();
    for (let i = 0; i < requests; i++) await run();
    // The first round warms up.
    if (round > 0) results.get(name)!.push(((performance.now() - start) * 1000) / requests);
  }
}
for (const [name, list] of results) console.log(`${median(list).toFixed(1).padStart(8)} µs  ${name}`);
await db.close();
rmSync(dir, { recursive: true, force: true });
