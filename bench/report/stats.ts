/**
 * From the lines of every round to one figure per measurement (the best
 * round), and from those to one row per operation with its ratios, floor and
 * verdict against the targets.
 */
import type { ResultLine } from "../common.ts";
import { type Op, type Section, SECTIONS } from "./sections.ts";

/** Every SessionScope operation must reach this multiple of Django's ops/s on the same backend. */
export const TARGET_VS_DJANGO = 3;

/** A measurement's best round, with how many rounds it had and its worst ops/s. */
export interface BestResult extends ResultLine {
  readonly rounds: number;
  readonly worst_ops_per_sec: number;
}

export type Status = "pass" | "fail" | "missing";

export interface Row {
  readonly section: Section;
  readonly op: Op;
  readonly ss: BestResult | null;
  readonly dj: BestResult | null;
  readonly ex: BestResult | null;
  readonly vsDjango: number | null;
  readonly vsExpress: number | null;
  readonly status: Status;
  /** The least the backend costs for this op, in µs (bench/floor.bench.ts), when measured. */
  readonly floor: number | null;
  /** Django's time over the floor: the best ratio over Django any implementation could reach. */
  readonly ceiling: number | null;
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
 * The least a backend must do for one op (see bench/floor.bench.ts): SQLite
 * writes pay one commit, reads nothing measurable; PostgreSQL and Redis pay one
 * round trip per statement a session op cannot avoid (load-modify-save reads,
 * then writes; cached_db writes the database and the cache).
 */
export function floorUs(results: readonly BestResult[], backend: string, op: Op): number | null {
  const f = (b: string, o: string) => find(results, "floor", b, o)[0]?.us_per_op ?? null;
  const sum = (...xs: Array<number | null>) => (xs.every((x) => x !== null) ? xs.reduce<number>((a, b) => a + (b ?? 0), 0) : null);
  if (backend === "none") return op === "encode" ? f("none", "deflate") : op === "decode" ? f("none", "inflate") : null;
  if (backend.startsWith("sqlite-")) return op === "load" ? null : f(backend, "commit");
  const pgRt = f("postgresql", "round_trip");
  const rRt = f("redis", "round_trip");
  if (backend === "postgresql") return op === "load_modify_save" ? sum(pgRt, pgRt) : pgRt;
  if (backend === "redis") return op === "load_modify_save" ? sum(rRt, rRt) : rRt;
  if (backend === "cached_db") return op === "load" ? rRt : op === "create" ? sum(pgRt, rRt) : sum(rRt, pgRt, rRt);
  return null;
}

export const meetsDjangoTarget = (vsDjango: number | null) => vsDjango !== null && vsDjango >= TARGET_VS_DJANGO;
export const aheadOfExpress = (vsExpress: number | null) => vsExpress !== null && vsExpress > 1;

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
      const checks: boolean[] = [];
      if (dj) checks.push(meetsDjangoTarget(vsDjango));
      if (ex) checks.push(aheadOfExpress(vsExpress));
      const status: Status = !ss ? "missing" : checks.length && checks.every(Boolean) ? "pass" : "fail";
      const floor = floorUs(results, section.backend, op);
      const ceiling = floor && dj ? dj.us_per_op / floor : null;
      rows.push({ section, op, ss, dj, ex, vsDjango, vsExpress, status, floor, ceiling });
    }
  }
  return rows;
}

/** True when the floor alone leaves less than the target's room under Django's time. */
export const floorCapped = (row: Row) => row.ceiling !== null && row.ceiling < TARGET_VS_DJANGO;
