/**
 * The Memcached rows: SessionScope's cache and cached_db engines on Memcached beside
 * Django 3.2's cache and cached_db engines on PyMemcacheCache and express-session's
 * connect-memcached, all on one memcached (and one PostgreSQL for cached_db) started
 * here on 127.0.0.1, in interleaved rounds, best round kept: the same benches, loops and
 * payload as `npm run bench` (bench/run.ts). Writes its own section of docs/benchmarks.md
 * (<!-- memcached:start --> … <!-- memcached:end -->), so the rest is not re-run.
 *   node --import ./bench/ts-as-built.mjs bench/memcached.bench.ts [--rounds 3] [--seconds 1.5] [--warmup 0.5]
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
// @ts-expect-error: plain JavaScript module shared with scripts/test.mjs
import { startMemcached } from "../test/services/services.mjs";
import { createMemcachedClient } from "../lib/node/memcached.ts";
import { MEMCACHED_DURABILITY, numberArg, parseArgs, timed, type ResultLine } from "./common.ts";
import { writeDocSection } from "./report/doc-section.ts";
import { cell, fmtRatio, utcStamp } from "./report/format.ts";
import { bestRounds, find, ratio, type BestResult } from "./report/stats.ts";
import { isSkip, runBench, type BenchLine } from "./runner/child.ts";
import { machineFacts } from "./runner/machine.ts";
import { nodeTs, PYTHON } from "./runner/plan.ts";
import { startPostgres, Teardown, withPath, type Service } from "./runner/services.ts";

const args = parseArgs();
const rounds = Math.max(1, Math.floor(numberArg(args, "rounds", 3)));
const seconds = numberArg(args, "seconds", 1.5);
const warmup = Number(args.get("warmup") ?? "0.5");
const env = { BENCH_SECONDS: String(seconds), BENCH_WARMUP: String(warmup) };
const OPS = [
  ["create", "create"],
  ["load", "load"],
  ["load_modify_save", "load-modify-save"],
] as const;

/** One `gets` of an absent key through SessionScope's client: the round trip no session op on Memcached avoids. */
async function floorRoundTrip(url: string): Promise<number> {
  const client = createMemcachedClient(url);
  try {
    const { n, elapsed } = await timed(() => client.gets("sessionscope:bench:floor"), { seconds, warmup });
    return (elapsed / n) * 1e6;
  } finally {
    client.close();
  }
}

function steps(memcached: string, hostPort: string, pgUrl: string) {
  const django = ["bench/django/bench_sessions.py", "--database", withPath(pgUrl, "bench_django"), "--memcached", hostPort, "--engines", "cache,cached_db"];
  return [
    { label: "django memcached", command: PYTHON, args: django },
    { label: "express memcached", ...nodeTs("bench/express-session.bench.ts", "--only", "memcached", "--memcached", hostPort) },
    {
      label: "sessionscope memcached",
      ...nodeTs("bench/sessionscope.bench.ts", "--only", "memcached,cached_db-memcached", "--memcached", memcached, "--pg", withPath(pgUrl, "bench_sessionscope")),
    },
  ];
}

/** This section's own targets, from before issue 13 (the core comparison's are in bench/report/stats.ts): 3× Django, ahead of express-session. */
const TARGET_VS_DJANGO = 3;
const meetsDjangoTarget = (vsDjango: number | null) => vsDjango !== null && vsDjango >= TARGET_VS_DJANGO;
const aheadOfExpress = (vsExpress: number | null) => vsExpress !== null && vsExpress > 1;

const verdict = (vsDjango: number | null, vsExpress: number | null | undefined): string => {
  const missed = [
    ...(meetsDjangoTarget(vsDjango) ? [] : [`< ${TARGET_VS_DJANGO}× Django`]),
    ...(vsExpress === undefined || aheadOfExpress(vsExpress) ? [] : ["behind express-session"]),
  ];
  return missed.length ? `❌ FAIL (${missed.join(", ")})` : "✅ pass";
};

function cacheTable(results: readonly BestResult[], floorUs: number): string[] {
  const lines = [
    "| operation | SessionScope | Django | express-session (connect-memcached) | SessionScope / Django | SessionScope / express | express / Django | floor → best possible / Django | target |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const [op, name] of OPS) {
    const [ss] = find(results, "sessionscope", "memcached", op);
    const [dj] = find(results, "django", "memcached", op);
    const [ex] = find(results, "express-session", "memcached", op);
    const floor = floorUs * (op === "load_modify_save" ? 2 : 1);
    const best = dj ? fmtRatio(dj.us_per_op / floor) : "—";
    lines.push(
      `| ${name} | ${cell(ss)} | ${cell(dj)} | ${cell(ex)} | ${fmtRatio(ratio(ss, dj))} | ${fmtRatio(ratio(ss, ex))} | ${fmtRatio(ratio(ex, dj))} | ${floor.toFixed(1)} µs → ${best} | ${verdict(ratio(ss, dj), ratio(ss, ex))} |`,
    );
  }
  const [touch] = find(results, "express-session", "memcached", "touch");
  if (touch) lines.push(`| touch (express only) | | | ${cell(touch)} | | | | | |`);
  return lines;
}

function cachedDbTable(results: readonly BestResult[]): string[] {
  const lines = ["| operation | SessionScope | Django | SessionScope / Django | target |", "|---|---:|---:|---:|---:|"];
  for (const [op, name] of OPS) {
    const [ss] = find(results, "sessionscope", "cached_db-memcached", op);
    const [dj] = find(results, "django", "cached_db-memcached", op);
    lines.push(`| ${name} | ${cell(ss)} | ${cell(dj)} | ${fmtRatio(ratio(ss, dj))} | ${verdict(ratio(ss, dj), undefined)} |`);
  }
  return lines;
}

const teardown = new Teardown();
teardown.install();
let code = 1;
try {
  const started = new Date();
  const t0 = Date.now();
  const dir = mkdtempSync(join(tmpdir(), "sessionscope-bench-memcached-"));
  teardown.addFolder(dir);
  const memcached = (await startMemcached()) as Service | null;
  if (!memcached) throw new Error("bench: memcached is not installed (apt-get install -y memcached python3-pymemcache)");
  teardown.addService(memcached);
  const postgres = await startPostgres();
  if (!postgres) throw new Error("bench: PostgreSQL is not installed (apt-get install -y postgresql)");
  teardown.addService(postgres);
  const admin = new pg.Client({ connectionString: postgres.url });
  await admin.connect();
  for (const db of ["bench_django", "bench_sessionscope"]) await admin.query(`CREATE DATABASE ${db}`);
  await admin.end();
  const hostPort = `127.0.0.1:${memcached.port}`;
  console.log(`bench: memcached on ${hostPort} (pid ${memcached.pid}), PostgreSQL on 127.0.0.1:${postgres.port} (pid ${postgres.pid})`);

  const lines: BenchLine[] = [];
  const floors: number[] = [];
  let crashed = 0;
  for (let round = 1; round <= rounds; round++) {
    console.log(`-- round ${round} of ${rounds}`);
    floors.push(await floorRoundTrip(memcached.url));
    for (const step of steps(memcached.url, hostPort, postgres.url)) {
      const run = await runBench(step.label, step.command, step.args, { env, teardown });
      lines.push(...run.lines);
      if (!run.ok) {
        crashed++;
        console.error(`${step.label}: ${run.stderr.split("\n").filter(Boolean).at(-1) ?? "failed"}`);
      }
    }
  }
  const skipped = lines.filter(isSkip);
  if (skipped.length) throw new Error(`bench: not measured: ${skipped.map((s) => `${s.impl} ${s.backend}: ${s.reason}`).join("; ")}`);
  const results = bestRounds(lines.filter((line): line is ResultLine => !isSkip(line)));
  const floorUs = Math.min(...floors);
  const facts = await machineFacts({ pgUrl: postgres.url, redisUrl: null, dir });
  writeDocSection("memcached", [
    "## Memcached: the cache and cached_db engines",
    "",
    `Generated by \`node --import ./bench/ts-as-built.mjs bench/memcached.bench.ts\` on ${utcStamp(started)} (${facts.cpu}, ${facts.cores} cores, Node ${facts.node}; Django ${facts.django}, Debian's pymemcache), ${Math.round((Date.now() - t0) / 1000)} s. ` +
      `Only these rows were measured in this run (the tables above are from \`npm run bench\`'s own run): compare the ratios within each table, not absolute numbers across runs.`,
    "",
    `One memcached (\`-m 64\`, TCP on 127.0.0.1) for all three implementations, one PostgreSQL (fsync off) for the cached_db rows; the same loops, payload and ${rounds} interleaved rounds (Django, express-session, SessionScope, Django, …), best round kept, as in the [method](#method). ` +
      "Django 3.2's `cache` and `cached_db` engines on `PyMemcacheCache` (pickled dict, flag 1); SessionScope's Memcached engines through memcache-client (the same pickle and flag, so a Django site shares the entries, and compare-and-swap with `gets`/`cas`); connect-memcached 3.0.0 (JSON, through the `memcached` 2.2 client).",
    "",
    `### Memcached (cache engine): ${MEMCACHED_DURABILITY}`,
    "",
    ...cacheTable(results, floorUs),
    "",
    `Floor: one \`gets\` round trip through SessionScope's client, best of ${rounds} rounds (load-modify-save: two). A SessionScope load is that one round trip (two pipelined \`gets\`: the entry and its expiry record); a save \`gets\` the entry for its cas unique, then \`cas\`es the entry and writes the expiry record, where connect-memcached sends one \`set\` of JSON with no conflict detection and Django one \`set\` of its pickle (the last writer wins).`,
    "",
    "### cached_db (Memcached in front of PostgreSQL)",
    "",
    "express-session has no equivalent store, so only the Django target applies.",
    "",
    ...cachedDbTable(results),
    "",
    "SessionScope's cached_db on Memcached keeps one state key beside each entry (the database version it holds, or a tombstone), changed only by `cas`, so a racing save or kill can never be undone by a stale fill ([engines.md](engines.md#cache-and-cached_db-on-memcached)): a load is one round trip of two pipelined `gets`; a save is the database compare-and-swap, then the state's `cas` and the entry. Django's cached_db writes its entry with a plain `set`.",
  ]);
  console.log(`bench: wrote the memcached section of docs/benchmarks.md in ${Math.round((Date.now() - t0) / 1000)} s`);
  code = crashed ? 1 : 0;
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
} finally {
  teardown.run();
}
process.exit(code);
