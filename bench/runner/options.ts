/** The runner's command line: `npm run bench -- [options]`, with BENCH_* environment defaults. */
import { isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { isSectionId, SECTION_IDS, type SectionId } from "../report/targets.ts";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export const BACKENDS = ["codec", "sqlite-full", "sqlite-default", "postgresql", "redis", "cached_db"] as const;
export type Backend = (typeof BACKENDS)[number];

export interface RunOptions {
  readonly seconds: number;
  readonly warmup: number;
  readonly rounds: number;
  readonly only: readonly Backend[];
  /** The section benches run after the core backends, in SECTION_IDS order. */
  readonly sections: readonly SectionId[];
  readonly out: string;
  readonly strict: boolean;
  /** Whether --seconds, --warmup or --rounds (or their BENCH_* variables) were given: the section benches then get them too. */
  readonly timingGiven: boolean;
}

export const HELP = `SessionScope against Django and express-session, and every other target of
issue 13, in one run on this machine.

  npm run bench -- [--seconds 1.5] [--warmup 0.5] [--rounds 3] [--only sqlite-full,redis,...|none]
                   [--sections codec3,store-sizes,write-breakdown,redis-breakdown,cli,clearsessions,seed,request-cost|none] [--out docs/benchmarks.md] [--strict]

Starts PostgreSQL and Redis on 127.0.0.1 (test/services/services.mjs) and runs
the core comparison: Django, express-session and SessionScope backend by
backend (--only: ${BACKENDS.join(", ")}; "none" for no core
backend) against the same servers and the same temp folder for SQLite files.
Then the section benches, each a child process that writes its own marked
section of the report and prints one verdict line per target (--sections,
in this order: ${SECTION_IDS.join(", ")}; "none" for the
core alone): the codec at three sizes, the command line's start-up,
clearsessions (50,000 expired seeded sessions), seed against a bulk insert
(1,000 and 100,000 sessions, SQLite and PostgreSQL) and the request cost
(next start against express-session, then 200,000 requests for memory; it
builds the app first when .next has none). All of it takes about 35 minutes;
the core alone about 6. Writes docs/benchmarks.md (or --out), with a table of
every target at the top. Every server and child process is stopped by its PID
at the end, even on error or Ctrl-C.
--rounds N: each backend's benches run N times, interleaved (Django, express,
SessionScope, Django, …); every measurement keeps its best round.
--seconds, --warmup, --rounds given: the codec bench gets all three, the
command-line bench --rounds, the request-cost bench --seconds and --rounds.
--strict: exit 1 when a target is missed or a measurement or verdict is missing.
BENCH_SECONDS, BENCH_WARMUP and BENCH_ROUNDS set the defaults of the first three.`;

/** A bad command line: reported as its message alone, without a stack. */
export class UsageError extends Error {}

const VALUED = ["seconds", "warmup", "rounds", "only", "sections", "out"] as const;
type Valued = (typeof VALUED)[number];

const isValued = (name: string): name is Valued => (VALUED as readonly string[]).includes(name);
const isBackend = (name: string): name is Backend => (BACKENDS as readonly string[]).includes(name);

function duration(name: string, text: string, least: "positive" | "zero"): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value < 0 || (least === "positive" && value === 0)) {
    throw new UsageError(`bench: --${name} wants a ${least === "positive" ? "positive" : "non-negative"} number of seconds, got ${JSON.stringify(text)}`);
  }
  return value;
}

/** The environment: BENCH_SECONDS, BENCH_WARMUP and BENCH_ROUNDS set the defaults. */
export type BenchEnv = Readonly<Record<string, string | undefined>>;

/** The options, or "help" when `--help` was asked for. Unknown options and backends throw. */
export function parseRunOptions(argv: readonly string[], env: BenchEnv = process.env): RunOptions | "help" {
  const given: Record<Valued, string> = {
    seconds: env.BENCH_SECONDS ?? "1.5",
    warmup: env.BENCH_WARMUP ?? "0.5",
    rounds: env.BENCH_ROUNDS ?? "3",
    only: BACKENDS.join(","),
    sections: SECTION_IDS.join(","),
    out: join(ROOT, "docs", "benchmarks.md"),
  };
  let strict = false;
  let timingGiven = ["BENCH_SECONDS", "BENCH_WARMUP", "BENCH_ROUNDS"].some((name) => env[name] !== undefined);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    const [name = "", inline] = arg.replace(/^--?/, "").split("=", 2);
    if (name === "help" || name === "h") return "help";
    if (name === "strict") strict = true;
    else if (isValued(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new UsageError(`bench: ${arg} needs a value (see --help)`);
      given[name] = value;
      if (name === "seconds" || name === "warmup" || name === "rounds") timingGiven = true;
    } else throw new UsageError(`bench: unknown option ${arg} (see --help)`);
  }
  const list = (text: string) => (text.trim() === "none" ? [] : text.split(",").map((s) => s.trim()).filter(Boolean));
  const only = list(given.only);
  const unknown = only.find((b) => !isBackend(b));
  if (unknown !== undefined) throw new UsageError(`bench: unknown backend ${unknown} (one of ${BACKENDS.join(", ")}, or none)`);
  const sections = list(given.sections);
  const unknownSection = sections.find((name) => !isSectionId(name));
  if (unknownSection !== undefined) throw new UsageError(`bench: unknown section ${unknownSection} (one of ${SECTION_IDS.join(", ")}, or none)`);
  return {
    seconds: duration("seconds", given.seconds, "positive"),
    warmup: duration("warmup", given.warmup, "zero"),
    rounds: Math.max(1, Math.floor(Number(given.rounds)) || 1),
    only: only.filter(isBackend),
    sections: SECTION_IDS.filter((id) => sections.includes(id)),
    out: isAbsolute(given.out) ? given.out : resolve(given.out),
    strict,
    timingGiven,
  };
}
