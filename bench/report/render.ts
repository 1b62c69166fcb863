/** docs/benchmarks.md from one run's lines: the summary, machine, method, tables and raw results. */
import { readFileSync } from "node:fs";
import type { ResultLine, SkipLine } from "../common.ts";
import { type BenchLine, isSkip, type ProcessRun } from "../runner/child.ts";
import type { MachineFacts } from "../runner/machine.ts";
import type { Backend, RunOptions } from "../runner/options.ts";
import { renderMethod } from "./method.ts";
import { renderOutOfTheBox, renderResults } from "./results.ts";
import { backendName } from "./sections.ts";
import { type BestResult, bestRounds, evaluate, type Row } from "./stats.ts";
import { renderMachine, renderSummary, type SectionVerdicts } from "./summary.ts";

/** What the report says of each bench process. */
export type RunSummary = Pick<ProcessRun, "label" | "ok" | "seconds">;

export interface RunRecord {
  readonly facts: MachineFacts;
  /** Every line of every round, skips included, in the order they came. */
  readonly lines: readonly BenchLine[];
  readonly runs: readonly RunSummary[];
  readonly options: Pick<RunOptions, "rounds" | "seconds" | "warmup" | "only">;
  readonly started: Date;
  readonly totalSeconds: number;
  /** The section benches' verdicts, and which of them ran. */
  readonly sections: SectionVerdicts;
}

export interface Analysis {
  readonly results: BestResult[];
  /** One per implementation, backend and reason. */
  readonly skipped: SkipLine[];
  /** The rows of the backends that were run. */
  readonly rows: Row[];
}

export function analyse(lines: readonly BenchLine[], only: readonly Backend[]): Analysis {
  const results = bestRounds(lines.filter((l): l is ResultLine => !isSkip(l)));
  const skipped = [...new Map(lines.filter(isSkip).map((s) => [`${s.impl} ${s.backend} ${s.reason}`, s])).values()];
  const rows = evaluate(results).filter((r) => (only as readonly string[]).includes(backendName(r.section.backend)));
  return { results, skipped, rows };
}

const PAYLOAD = new URL("../payload.json", import.meta.url);

/** bench/payload.json's size as compact JSON, the form every implementation stores. */
function payloadBytes(): number {
  return Buffer.byteLength(JSON.stringify(JSON.parse(readFileSync(PAYLOAD, "utf8"))));
}

function renderReproduce(): string[] {
  return [
    "## Reproduce",
    "",
    "```sh",
    "npm run bench                      # everything: the core comparison, then every section bench; about 35 minutes",
    "npm run bench -- --sections none   # the core comparison alone (3 interleaved rounds), about 6 minutes",
    "npm run bench -- --only none --sections codec3,cli   # two section benches alone",
    "npm run bench -- --only sqlite-default,redis --seconds 3",
    "```",
    "",
    "`npm run bench` runs the core comparison (about 6 minutes), then each section bench as a child process that writes its own marked section of this file: " +
      "the codec at three sizes (`bench/codec.bench.ts --write`, about 2 minutes), the store at the same three sizes (`bench/store-sizes.bench.ts`, about a minute), where SQLite and PostgreSQL writes spend their time (`bench/write-breakdown.ts`, about a minute), where a Redis load and write spend theirs (`bench/redis-breakdown.ts`, about a minute), the command line's start-up (`bench/cli-startup.bench.ts`, about 1 minute), " +
      "clearsessions (`bench/clearsessions.bench.ts --layout seed --rows 50000`, about 3 minutes), seed against a bulk insert (`npm run bench:scale -- --seed-only --sizes 1000,100000`, about 3 minutes) " +
      "and last the request cost (`bench/request-cost.ts`, about 15 minutes with its 200,000-request memory run; it builds the app first when `.next` has no build). " +
      "Each prints one JSON verdict line per issue-13 target beside its output; the table at the top collects them. `npm run bench -- --help` lists the options.",
    "",
    "Needs PostgreSQL 15 and redis-server on the machine (`apt-get install -y postgresql redis-server`), and Django for the comparison (`apt-get install -y python3-django python3-django-redis python3-psycopg2`, run with `/usr/bin/python3`). The benches can also run alone: `bench/django/bench_sessions.py --help`, `node --import ./bench/ts-as-built.mjs bench/express-session.bench.ts --sqlite-dir DIR --pg URL --redis URL`, `node --import ./bench/ts-as-built.mjs bench/sessionscope.bench.ts` (same flags). Each prints one JSON object per measurement. " +
      "Every TypeScript bench, SessionScope's and express-session's alike, runs with `bench/ts-as-built.mjs`: types stripped as the app's production build strips them, without the `__name` wrapper tsx adds around every function (esbuild's keepNames), which cost a SQLite load-modify-save 6 to 9 %.",
    "",
  ];
}

function renderRaw(results: readonly BestResult[], runs: readonly RunSummary[]): string[] {
  return [
    "<details><summary>Raw results of this run (JSON lines)</summary>",
    "",
    "```json",
    ...results.map((r) => JSON.stringify(r)),
    "```",
    "",
    "Processes:",
    "",
    ...runs.map((r) => `- ${r.label}: ${r.ok ? "ok" : "FAILED"}, ${r.seconds.toFixed(1)} s`),
    "",
    "</details>",
    "",
  ];
}

export function renderReport(record: RunRecord, { results, skipped, rows }: Analysis): string {
  return [
    ...renderSummary(rows, record.sections, record.started, record.totalSeconds),
    ...renderMachine(record.facts),
    ...renderMethod(record.facts, record.options, payloadBytes()),
    ...renderResults(rows, results, skipped),
    ...renderOutOfTheBox(results),
    ...renderReproduce(),
    ...renderRaw(results, record.runs),
  ].join("\n");
}
