/**
 * From the lines of every round to one figure per measurement (the best
 * round), and from those to one row per operation with its ratios, floor and
 * verdict against the targets.
 */
import type { ResultLine } from "../common.ts";
import { type Op, type Section, SECTIONS } from "./sections.ts";

/** Writes on a backend express-session has a store for: SessionScope's ops/s at least this multiple of the fastest store's. */
export const TARGET_VS_EXPRESS = 1;
/** Loads: SessionScope's µs at most this multiple of (the backend's floor + SessionScope's decode of the stored value). */
export const LOAD_SLACK = 1.15;
/** The codec against Django's SessionStore.encode / decode, in ops/s (1 KB payload). */
export const CODEC_TARGETS = { encode: 2, decode: 1.5 } as const;

/** A measurement's best round, with how many rounds it had and its worst ops/s. */
export interface BestResult extends ResultLine {
  readonly rounds: number;
  readonly worst_ops_per_sec: number;
}

/** "info": a row with no target (cached_db's writes: no express-session store to compare with). */
export type Status = "pass" | "fail" | "missing" | "info";

/**
 * Which target a row is judged by: level with the fastest express store (writes),
 * the floor plus the decode (loads), a multiple of Django's (the codec), or none.
 */
export type TargetKind = "express" | "load" | "django" | "none";

export interface Row {
  readonly section: Section;
  readonly op: Op;
  readonly target: TargetKind;
  readonly ss: BestResult | null;
  readonly dj: BestResult | null;
  readonly ex: BestResult | null;
  readonly vsDjango: number | null;
  readonly vsExpress: number | null;
  readonly status: Status;
  /** The least the backend costs for this op, in µs (bench/floor.bench.ts), when measured. */
  readonly floor: number | null;
  /** Loads: SessionScope's decode of the stored value, in µs (the codec's decode, or its pickle read for Redis entries). */
  readonly decode: number | null;
  /** Loads: LOAD_SLACK × (floor + decode), the most SessionScope's load may take, in µs. */
  readonly bound: number | null;
}

/** One line per measurement: the best (highest ops/s) of its rounds, with how many rounds it had. */
export function bestRounds(lines: readonly ResultLine[]): BestResult[] {
  const best = new Map<string, BestResult>();
  for (const line of lines) {
    const id = [line.impl, line.engine, line.backend, line.store ?? "", line.op].join("\0");
    const seen = best.get(id);
    if (!seen) best.set(id, { ...line, rounds: 1, worst_ops_per_sec: line.ops_per_sec });
    else {
      const rounds = seen.rounds + 1;
      const worst = Math.min(seen.worst_ops_per_sec, line.ops_per_sec);
      best.set(id, line.ops_per_sec > seen.ops_per_sec ? { ...line, rounds, worst_ops_per_sec: worst } : { ...seen, rounds, worst_ops_per_sec: worst });
    }
  }
  return [...best.values()];
}

/** The middle value (the upper one of an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted[Math.floor(sorted.length / 2)];
  if (middle === undefined) throw new Error("median of no values");
  return middle;
}

export function find(results: readonly BestResult[], impl: string, backend: string, op: string): BestResult[] {
  return results.filter((r) => r.impl === impl && r.backend === backend && r.op === op);
}

/** How many times faster `a` is than `b`, when both were measured. */
export const ratio = (a: ResultLine | null | undefined, b: ResultLine | null | undefined) => (a && b ? a.ops_per_sec / b.ops_per_sec : null);

/**
 * The least a backend must do for one op (see bench/floor.bench.ts). A load
 * reads a session-sized value on every backend: one prepared SELECT of a
 * ~1.4 KB row by primary key (SQLite, PostgreSQL), one GET of a ~1 KB entry
 * (Redis, and cached_db, which loads from its cache). Writes pay one commit
 * (SQLite) or one round trip per statement a session op cannot avoid
 * (PostgreSQL and Redis; load-modify-save reads, then writes; cached_db writes
 * the database and the cache). The codec has none here: at 1 KB SessionScope
 * writes plain signed JSON, so zlib is no step it must take.
 */
export function floorUs(results: readonly BestResult[], backend: string, op: Op): number | null {
  const f = (b: string, o: string) => find(results, "floor", b, o)[0]?.us_per_op ?? null;
  const sum = (...xs: Array<number | null>) => (xs.every((x) => x !== null) ? xs.reduce<number>((a, b) => a + (b ?? 0), 0) : null);
  if (backend.startsWith("sqlite-")) return f(backend, op === "load" ? "select" : "commit");
  const pgRt = f("postgresql", "round_trip");
  const rRt = f("redis", "round_trip");
  if (op === "load") return backend === "postgresql" ? f("postgresql", "select") : backend === "redis" || backend === "cached_db" ? f("redis", "get") : null;
  if (backend === "postgresql") return op === "load_modify_save" ? sum(pgRt, pgRt) : pgRt;
  if (backend === "redis") return op === "load_modify_save" ? sum(rRt, rRt) : rRt;
  if (backend === "cached_db") return op === "create" ? sum(pgRt, rRt) : sum(rRt, pgRt, rRt);
  return null;
}

/**
 * What a load pays after the backend: SQL engines store the codec's signed value
 * (its decode with the verified-value cache off); the Redis engine and cached_db's
 * cache store Django's pickle (the codec bench's decode_pickle).
 */
export function loadDecodeUs(results: readonly BestResult[], backend: string): number | null {
  const op = backend === "redis" || backend === "cached_db" ? "decode_pickle" : "decode";
  return find(results, "sessionscope", "none", op)[0]?.us_per_op ?? null;
}

export function targetOf(section: Section, op: Op): TargetKind {
  if (op === "load") return "load";
  if (op === "encode" || op === "decode") return "django";
  return section.express ? "express" : "none";
}

function verdict(target: TargetKind, op: Op, ss: BestResult | null, vsExpress: number | null, vsDjango: number | null, bound: number | null): Status {
  if (target === "none") return "info";
  if (!ss) return "missing";
  if (target === "express") return vsExpress === null ? "missing" : vsExpress >= TARGET_VS_EXPRESS ? "pass" : "fail";
  if (target === "load") return bound === null ? "missing" : ss.us_per_op <= bound ? "pass" : "fail";
  const wanted = op === "encode" ? CODEC_TARGETS.encode : CODEC_TARGETS.decode;
  return vsDjango === null ? "missing" : vsDjango >= wanted ? "pass" : "fail";
}

/** One row per section and operation, in report order. */
export function evaluate(results: readonly BestResult[]): Row[] {
  const rows: Row[] = [];
  for (const section of SECTIONS) {
    for (const op of section.ops) {
      const ss = find(results, "sessionscope", section.backend, op)[0] ?? null;
      const dj = find(results, "django", section.backend, op)[0] ?? null;
      const ex = section.express ? find(results, "express-session", section.backend, op).sort((a, b) => b.ops_per_sec - a.ops_per_sec)[0] ?? null : null;
      const vsDjango = ratio(ss, dj);
      const vsExpress = ratio(ss, ex);
      const target = targetOf(section, op);
      const floor = floorUs(results, section.backend, op);
      const decode = target === "load" ? loadDecodeUs(results, section.backend) : null;
      const bound = floor !== null && decode !== null ? LOAD_SLACK * (floor + decode) : null;
      const status = verdict(target, op, ss, vsExpress, vsDjango, bound);
      rows.push({ section, op, target, ss, dj, ex, vsDjango, vsExpress, status, floor, decode, bound });
    }
  }
  return rows;
}
