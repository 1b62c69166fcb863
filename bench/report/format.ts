/** How numbers, cells and verdicts are written in the report and the console. */
import type { ResultLine } from "../common.ts";
import { aheadOfExpress, meetsDjangoTarget, type Row, TARGET_VS_DJANGO } from "./stats.ts";

export const fmtOps = (n: number) => (n >= 100 ? Math.round(n).toLocaleString("en-US") : n.toFixed(1));

export const fmtRatio = (x: number | null) => (x === null ? "—" : `${x.toFixed(x >= 10 ? 1 : 2)}×`);

/** A table cell: ops/s over µs/op, or a dash when not measured. */
export const cell = (r: ResultLine | null | undefined) => (r ? `${fmtOps(r.ops_per_sec)} ops/s<br>${r.us_per_op.toFixed(1)} µs` : "—");

/** "2026-01-31 12:00:00 UTC" */
export const utcStamp = (date: Date) => `${date.toISOString().replace("T", " ").slice(0, 19)} UTC`;

/** The row's verdict: pass, not measured, or which target it missed. */
export function mark(row: Row): string {
  if (row.status === "missing") return "⚠️ not measured";
  if (row.status === "pass") return "✅ pass";
  const why: string[] = [];
  if (row.dj && !meetsDjangoTarget(row.vsDjango)) why.push(`< ${TARGET_VS_DJANGO}× Django`);
  if (row.ex && !aheadOfExpress(row.vsExpress)) why.push("behind express-session");
  return `❌ FAIL (${why.join(", ")})`;
}
