/** The runner's command line: `npm run bench -- [options]`, with BENCH_* environment defaults. */
import { isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export const BACKENDS = ["codec", "sqlite-full", "sqlite-default", "postgresql", "redis", "cached_db"] as const;
export type Backend = (typeof BACKENDS)[number];

export interface RunOptions {
  readonly seconds: number;
  readonly warmup: number;
  readonly rounds: number;
  readonly only: readonly Backend[];
  readonly out: string;
  readonly strict: boolean;
}

export const HELP = `SessionScope vs Django vs express-session, in one run, on this machine.

  npm run bench -- [--seconds 1.5] [--warmup 0.5] [--rounds 3] [--only sqlite-full,redis,...] [--out docs/benchmarks.md] [--strict]

Starts PostgreSQL and Redis on 127.0.0.1 (test/services/services.mjs), runs
the three benches backend by backend against the same servers and the same
temp folder for SQLite files, and writes docs/benchmarks.md. Every server
and child process is stopped by its PID at the end, even on error or Ctrl-C.
--rounds N: each backend's benches run N times, interleaved (Django, express,
SessionScope, Django, …); every measurement keeps its best round.
--strict: exit 1 when a target is missed or a measurement is missing.
BENCH_SECONDS, BENCH_WARMUP and BENCH_ROUNDS set the defaults of the first three.`;

/** A bad command line: reported as its message alone, without a stack. */
export class UsageError extends Error {}

const VALUED = ["seconds", "warmup", "rounds", "only", "out"] as const;
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
    out: join(ROOT, "docs", "benchmarks.md"),
  };
  let strict = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    const [name = "", inline] = arg.replace(/^--?/, "").split("=", 2);
    if (name === "help" || name === "h") return "help";
    if (name === "strict") strict = true;
    else if (isValued(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new UsageError(`bench: ${arg} needs a value (see --help)`);
      given[name] = value;
    } else throw new UsageError(`bench: unknown option ${arg} (see --help)`);
  }
  const only = given.only.split(",").map((s) => s.trim()).filter(Boolean);
  const unknown = only.find((b) => !isBackend(b));
  if (unknown !== undefined) throw new UsageError(`bench: unknown backend ${unknown} (one of ${BACKENDS.join(", ")})`);
  return {
    seconds: duration("seconds", given.seconds, "positive"),
    warmup: duration("warmup", given.warmup, "zero"),
    rounds: Math.max(1, Math.floor(Number(given.rounds)) || 1),
    only: only.filter(isBackend),
    out: isAbsolute(given.out) ? given.out : resolve(given.out),
    strict,
  };
}
