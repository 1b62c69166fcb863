/**
 * Shared pieces of the TypeScript benches: the payload, the time-boxed serial
 * loop, argument parsing and the JSON result line (same shape as the Django
 * script's, see bench/django/bench_sessions.py).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dumpsPython, Session, type SessionCodec, type SessionStore } from "../lib/session/index.ts";

export const PAYLOAD_PATH = fileURLToPath(new URL("./payload.json", import.meta.url));

/** The ~1 KB session every implementation stores, as a plain object in file order. */
/** The secret key every bench signs with, Django's scripts included (bench/django/*.py). */
export const BENCH_SECRET_KEY = "django-insecure-bench-key-0123456789abcdefghijklmnopqrstuvwxyz";

/** What express-session stores for the payload: its session object, with the cookie it adds, as JSON. */
export function expressSessionJson(data: ReadonlyMap<string, unknown>): string {
  return JSON.stringify({ ...Object.fromEntries(data), cookie: { originalMaxAge: 1209600000, expires: new Date().toISOString(), httpOnly: true, path: "/" } });
}

/** A new session as a request makes one (new, load, update, save): the benches' create. Returns its key. */
export async function createSession(store: SessionStore, codec: SessionCodec, data: ReadonlyMap<string, unknown>): Promise<string> {
  const s = new Session({ store, codec });
  await s.load();
  s.update(data);
  await s.save();
  return s.key!;
}

/** A load-modify-save as a request makes one (load, one key set, the compare-and-swap save): the breakdowns' step. */
export async function loadModifySave(store: SessionStore, codec: SessionCodec, key: string, counter: number): Promise<void> {
  const s = new Session({ key, store, codec });
  await s.load();
  s.set("counter", counter);
  await s.save();
}

export function readPayload(): Record<string, unknown> {
  return JSON.parse(readFileSync(PAYLOAD_PATH, "utf8")) as Record<string, unknown>;
}

export const DURABILITY = {
  full: { journal: "DELETE", synchronous: "FULL", text: "rollback journal, synchronous=FULL (Django's default): a commit survives power loss" },
  normal: {
    journal: "WAL",
    synchronous: "NORMAL",
    text: "WAL, synchronous=NORMAL (SessionScope's default): survives an app crash; an OS crash or power loss may drop the last commits",
  },
} as const;
export type DurabilityMode = keyof typeof DURABILITY;

/** The durability lines of the server benches (the Django script says the same). */
export const PG_DURABILITY = "PostgreSQL (server settings as started by bench/run.ts)";
export const REDIS_DURABILITY = "Redis (no persistence configured)";
export const MEMCACHED_DURABILITY = "Memcached (memory only: a restart loses every entry)";

export const sqliteBackend = (mode: DurabilityMode) => (mode === "full" ? "sqlite-full" : "sqlite-default");

export interface Timing {
  seconds: number;
  warmup: number;
}

export function timingFromEnv(): Timing {
  return { seconds: Number(process.env.BENCH_SECONDS ?? "1.5"), warmup: Number(process.env.BENCH_WARMUP ?? "0.3") };
}

/** Calls `run(i)` one at a time, awaiting each: `warmup` seconds untimed, then `seconds` timed. */
export async function timed(run: (i: number) => unknown, { seconds, warmup }: Timing): Promise<{ n: number; elapsed: number }> {
  const clock = () => Number(process.hrtime.bigint()) / 1e9;
  let i = 0;
  let end = clock() + warmup;
  while (clock() < end) await run(i++);
  let n = 0;
  const start = clock();
  end = start + seconds;
  let t = start;
  while (t < end) {
    await run(i + n);
    n++;
    t = clock();
  }
  return { n, elapsed: t - start };
}

/** Synchronous variant for CPU-only work (codec), so an `await` per call does not distort it. */
export function timedSync(run: (i: number) => unknown, { seconds, warmup }: Timing): { n: number; elapsed: number } {
  const clock = () => Number(process.hrtime.bigint()) / 1e9;
  let i = 0;
  let end = clock() + warmup;
  while (clock() < end) run(i++);
  let n = 0;
  const start = clock();
  end = start + seconds;
  let t = start;
  while (t < end) {
    run(i + n);
    n++;
    t = clock();
  }
  return { n, elapsed: t - start };
}

export interface ResultLine {
  impl: string;
  engine: string;
  backend: string;
  durability: string;
  op: string;
  ops_per_sec: number;
  us_per_op: number;
  n: number;
  store?: string;
}

export function emit(line: Omit<ResultLine, "ops_per_sec" | "us_per_op" | "n">, { n, elapsed }: { n: number; elapsed: number }): void {
  const result: ResultLine = {
    ...line,
    ops_per_sec: Math.round((n / elapsed) * 10) / 10,
    us_per_op: Math.round((elapsed / n) * 1e8) / 100,
    n,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** A configuration that could not run (same shape as the Django script's). */
export interface SkipLine {
  impl: string;
  engine: string;
  backend: string;
  reason: string;
  skipped: true;
}

/** Reports a configuration that could not run, so the report says so instead of silently missing a row. */
export function emitSkip(line: Omit<SkipLine, "skipped">): void {
  const skip: SkipLine = { ...line, skipped: true };
  process.stdout.write(`${JSON.stringify(skip)}\n`);
}

/** `--name value` pairs from argv; a flag without a value (`--write`) maps to "". */
export function parseArgs(argv = process.argv.slice(2)): Map<string, string> {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith("--")) throw new Error(`bench: unexpected argument ${a}`);
    const [name, inline] = a.slice(2).split("=", 2) as [string, string | undefined];
    const next = argv[i + 1];
    if (inline !== undefined) args.set(name, inline);
    // A flag (`--write`) followed by another option takes no value.
    else if (next === undefined || next.startsWith("--")) args.set(name, "");
    else args.set(name, argv[++i]!);
  }
  return args;
}

/** A positive number given as `--name value`, or `fallback` when absent. */
export function numberArg(args: ReadonlyMap<string, string>, name: string, fallback: number): number {
  const text = args.get(name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`bench: --${name} wants a positive number, got ${JSON.stringify(text)}`);
  return value;
}

export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`bench sanity check failed: ${message}`);
}

/**
 * One issue-13 target a section bench measured (bench/report/targets.ts lists them):
 * printed as one JSON line beside its output, collected by `npm run bench` for the
 * summary at the top of docs/benchmarks.md.
 */
export interface VerdictLine {
  /** The target's id, e.g. "request-cost/saturation". */
  verdict: string;
  /** What the target asks, in words. */
  target: string;
  /** What this run measured, as shown in the summary. */
  result: string;
  met: boolean;
  /** The heading of the section of docs/benchmarks.md that explains it. */
  section: string;
}

export function emitVerdict(line: VerdictLine): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

/** The `p` quantile (0 to 1) of times sorted ascending, nearest-rank: the p95 of 100 is the 95th, of 30 the 29th. */
export const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;

/** A deterministic session of at least `target` bytes of JSON: auth keys, a timestamp, a cart of priced items, views, messages. */
export function realisticSession(target: number, seed: number): Map<string, unknown> {
  let x = seed * 2654435761 + 12345;
  const rnd = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const hex = (n: number) => Array.from({ length: n }, () => "0123456789abcdef"[Math.floor(rnd() * 16)]).join("");
  const s = new Map<string, unknown>([
    ["_auth_user_id", String(1000 + seed)],
    ["_auth_user_backend", "django.contrib.auth.backends.ModelBackend"],
    ["_auth_user_hash", hex(64)],
    ["last_seen", 1764067337 + rnd() * 1e5], // time.time(): a float of 16-17 digits
  ]);
  if (target <= 256) return s;
  const items: unknown[] = [];
  const names = ["Linen shirt, slim fit", "Organic cotton socks (3 pairs)", "Leather belt, brown", "Canvas tote bag", "Wool scarf – édition limitée"];
  s.set("cart", { items, coupon: "WELCOME10", currency: "EUR", discount_rate: 1 / 7 });
  s.set("recently_viewed", Array.from({ length: 8 }, () => Math.floor(rnd() * 5000)));
  s.set("preferences", { theme: "dark", language: "fr", newsletter: true, timezone: "Europe/Paris" });
  s.set("_messages", [{ level: 25, message: "Linen shirt, slim fit was added to your cart.", extra_tags: "" }]);
  while (dumpsPython(s).length < target) {
    items.push({ sku: `SKU-${1000 + Math.floor(rnd() * 9000)}`, name: names[items.length % names.length], qty: 1 + Math.floor(rnd() * 3), unit_price: Math.round(rnd() * 9000 + 99) / 100, score: rnd() });
  }
  return s;
}
