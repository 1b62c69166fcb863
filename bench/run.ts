/**
 * SessionScope vs Django vs express-session, and every other target of issue
 * 13, in one run, on this machine: `npm run bench -- --help`. Starts the
 * servers, runs the core benches backend by backend in interleaved rounds,
 * then each section bench (which writes its own section and prints its
 * verdicts), and writes docs/benchmarks.md (or --out) with every target on top.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import pg from "pg";
import type { SkipLine, VerdictLine } from "./common.ts";
import { writeReportKeepingSections } from "./report/doc-section.ts";
import { analyse, renderReport } from "./report/render.ts";
import { type SectionVerdicts, targetLines } from "./report/summary.ts";
import { type BenchLine, isSkip, type ProcessRun, runBench } from "./runner/child.ts";
import { machineFacts } from "./runner/machine.ts";
import { HELP, parseRunOptions, type RunOptions, UsageError } from "./runner/options.ts";
import { needsPostgres, needsRedis, PG_DATABASES, type PlanContext, planBackend, planDecode, planFloor, planSections, nodeTs } from "./runner/plan.ts";
import { startRequired, Teardown } from "./runner/services.ts";

async function startServers(options: RunOptions, teardown: Teardown): Promise<Pick<PlanContext, "pgUrl" | "redisUrl">> {
  let pgUrl: string | null = null;
  let redisUrl: string | null = null;
  if (options.only.some(needsPostgres)) {
    const server = await startRequired("postgresql", teardown);
    pgUrl = server.url;
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    for (const db of Object.values(PG_DATABASES)) await admin.query(`CREATE DATABASE ${db}`);
    await admin.end();
    console.log(`bench: PostgreSQL on 127.0.0.1:${server.port} (pid ${server.pid})`);
  }
  if (options.only.some(needsRedis)) {
    const server = await startRequired("redis", teardown);
    redisUrl = server.url;
    console.log(`bench: Redis on 127.0.0.1:${server.port} (pid ${server.pid})`);
  }
  return { pgUrl, redisUrl };
}

/** Every round of the floor, then of each backend; rounds interleave the implementations, so a noisy stretch hits each of them. */
async function runRounds(options: RunOptions, context: PlanContext, teardown: Teardown): Promise<{ lines: BenchLine[]; runs: ProcessRun[] }> {
  const env = { BENCH_SECONDS: String(options.seconds), BENCH_WARMUP: String(options.warmup) };
  const lines: BenchLine[] = [];
  const runs: ProcessRun[] = [];
  const floorArgs = planFloor(options.only, context);
  const decode = planDecode(options.only);
  if (floorArgs) {
    console.log("== floor");
    for (let round = 1; round <= options.rounds; round++) {
      const steps: Array<{ label: string; command: string; args: readonly string[] }> = [{ label: "floor", ...nodeTs(...floorArgs) }];
      if (decode) steps.push(decode);
      for (const step of steps) {
        const r = await runBench(step.label, step.command, step.args, { env, teardown });
        runs.push(r);
        lines.push(...r.lines);
      }
    }
  }
  for (const backend of options.only) {
    console.log(`== ${backend}`);
    const steps = planBackend(backend, context);
    for (let round = 1; round <= options.rounds; round++) {
      if (options.rounds > 1) console.log(`  -- round ${round} of ${options.rounds}`);
      for (const step of steps) {
        const r = await runBench(step.label, step.command, step.args, { env, teardown });
        runs.push(r);
        lines.push(...r.lines);
        if (!r.ok && !r.lines.some(isSkip)) {
          const reason = `process failed: ${r.stderr.split("\n").filter(Boolean).at(-1) ?? "no output"}`;
          const skip: SkipLine = { impl: step.impl, engine: "?", backend, skipped: true, reason };
          lines.push(skip);
        }
      }
    }
  }
  return { lines, runs };
}

/** Each section bench in turn, writing its section into the report's file; their verdict lines. */
async function runSections(options: RunOptions, pgUrl: string | null, teardown: Teardown): Promise<{ sections: SectionVerdicts; runs: ProcessRun[] }> {
  const timing = options.timingGiven ? { seconds: options.seconds, warmup: options.warmup, rounds: options.rounds } : null;
  const verdicts: VerdictLine[] = [];
  const runs: ProcessRun[] = [];
  for (const step of planSections(options.sections, { pgUrl, timing })) {
    console.log(`== section: ${step.label}`);
    const r = await runBench(step.label, step.command, step.args, { env: { BENCH_DOC: options.out }, teardown, timeoutMs: step.timeoutMs });
    runs.push(r);
    verdicts.push(...r.verdicts);
  }
  return { sections: { verdicts, ran: options.sections }, runs };
}

async function main(argv: readonly string[], teardown: Teardown): Promise<number> {
  const options = parseRunOptions(argv);
  if (options === "help") {
    console.log(HELP);
    return 0;
  }
  const started = new Date();
  const t0 = Date.now();
  const dir = mkdtempSync(join(tmpdir(), "sessionscope-bench-"));
  teardown.addFolder(dir);
  const context = { dir, ...(await startServers(options, teardown)) };
  const facts = await machineFacts(context);
  console.log(`bench: ${facts.cpu}, ${facts.cores} cores; SQLite files in ${dir}; ${options.seconds} s per op after ${options.warmup} s warm-up\n`);

  const core = await runRounds(options, context, teardown);
  const { sections, runs: sectionRuns } = await runSections(options, context.pgUrl, teardown);
  const runs = [...core.runs, ...sectionRuns];
  const analysis = analyse(core.lines, options.only);
  const record = { facts, lines: core.lines, runs, options, started, totalSeconds: (Date.now() - t0) / 1000, sections };
  // The section benches have written their sections into options.out; the report keeps them.
  writeReportKeepingSections(renderReport(record, analysis), options.out);

  console.log(`\nbench: wrote ${relative(process.cwd(), options.out)} in ${Math.round((Date.now() - t0) / 1000)} s`);
  const targets = targetLines(analysis.rows, sections);
  const judged = targets.filter((t) => t.met !== null);
  console.log(`bench: ${judged.filter((t) => t.met).length} of ${judged.length} targets measured in this run are met`);
  const short = targets.filter((t) => t.met === false || t.mark === "⚠️ not measured");
  for (const t of short) console.log(`  ${t.mark.padEnd(16)} ${t.name}: ${t.result}`);
  const crashed = runs.filter((r) => !r.ok);
  return (options.strict && short.length) || crashed.length ? 1 : 0;
}

const teardown = new Teardown();
teardown.install();
let code = 1;
try {
  code = await main(process.argv.slice(2), teardown);
} catch (error) {
  console.error(error instanceof UsageError ? error.message : error instanceof Error ? (error.stack ?? error.message) : error);
} finally {
  teardown.run();
}
process.exit(code);
