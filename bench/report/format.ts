/** How numbers, cells and verdicts are written in the report and the console. */
import type { ResultLine } from "../common.ts";
import { CODEC_TARGETS, LOAD_SLACK, type Row, TARGET_VS_EXPRESS } from "./stats.ts";

export const fmtOps = (n: number) => (n >= 100 ? Math.round(n).toLocaleString("en-US") : n.toFixed(1));

export const fmtRatio = (x: number | null) => (x === null ? "—" : `${x.toFixed(x >= 10 ? 1 : 2)}×`);

/** A table cell: ops/s over µs/op, or a dash when not measured. */
export const cell = (r: ResultLine | null | undefined) => (r ? `${fmtOps(r.ops_per_sec)} ops/s<br>${r.us_per_op.toFixed(1)} µs` : "—");

/** "2026-01-31 12:00:00 UTC" */
export const utcStamp = (date: Date) => `${date.toISOString().replace("T", " ").slice(0, 19)} UTC`;

/** The row's target in words. */
export function targetText(row: Pick<Row, "target" | "op">): string {
  switch (row.target) {
    case "express":
      return `≥ ${TARGET_VS_EXPRESS.toFixed(2)}× the fastest express-session store`;
    case "load":
      return `≤ ${LOAD_SLACK} × (floor + decode)`;
    case "django":
      return `≥ ${row.op === "encode" ? CODEC_TARGETS.encode : CODEC_TARGETS.decode}× Django's`;
    case "none":
      return "none (informational)";
  }
}

/** What this run measured against the row's target. */
export function resultText(row: Row): string {
  if (!row.ss) return "SessionScope not measured";
  switch (row.target) {
    case "express":
      return row.ex ? `${fmtRatio(row.vsExpress)} ${row.ex.store ?? "express-session"}` : "no express-session figure";
    case "load":
      return row.bound === null
        ? `${row.ss.us_per_op.toFixed(1)} µs; ${row.floor === null ? "floor" : "decode"} not measured`
        : `${row.ss.us_per_op.toFixed(1)} µs against ${row.bound.toFixed(1)} µs (${fmtRatio(row.ss.us_per_op / (row.bound / LOAD_SLACK))} of floor + decode)`;
    case "django":
    case "none":
      return row.dj ? `${fmtRatio(row.vsDjango)} Django` : "no Django figure";
  }
}

/** The row's verdict: met, missed, not measured, or informational. */
export function mark(row: Row): string {
  switch (row.status) {
    case "pass":
      return "✅ met";
    case "fail":
      return "❌ missed";
    case "missing":
      return "⚠️ not measured";
    case "info":
      return "informational";
  }
}
