import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { BenchLine } from "../runner/child.ts";
import type { MachineFacts } from "../runner/machine.ts";
import type { Backend } from "../runner/options.ts";
import { analyse, renderReport, type RunRecord, type RunSummary } from "./render.ts";

interface RecordFile {
  facts: MachineFacts;
  lines: BenchLine[];
  runs: RunSummary[];
  options: { rounds: number; seconds: number; warmup: number; only: Backend[] };
  started: string;
  totalSeconds: number;
}

// A recorded run (three rounds; one express store that crashed twice; SessionScope's cached_db load missing)
// and the report the original JavaScript runner wrote for it, with only the runner's own command name changed.
const file = JSON.parse(readFileSync(new URL("./fixtures/run-record.json", import.meta.url), "utf8")) as RecordFile;
const record: RunRecord = { ...file, started: new Date(file.started) };
const expected = readFileSync(new URL("./fixtures/report.md", import.meta.url), "utf8");

describe("the benchmark report", () => {
  it("is written byte for byte as before for the same measurements", () => {
    expect(renderReport(record, analyse(record.lines, record.options.only))).toBe(expected);
  });

  it("keeps each measurement's best round, with how many rounds it had and its worst", () => {
    const { results } = analyse(record.lines, record.options.only);
    const creates = record.lines.filter((l) => !("skipped" in l) && l.impl === "sessionscope" && l.backend === "sqlite-full" && l.op === "create");
    const speeds = creates.map((l) => ("ops_per_sec" in l ? l.ops_per_sec : 0));
    expect(speeds).toHaveLength(3);
    const best = results.find((r) => r.impl === "sessionscope" && r.backend === "sqlite-full" && r.op === "create");
    expect(best).toMatchObject({ rounds: 3, ops_per_sec: Math.max(...speeds), worst_ops_per_sec: Math.min(...speeds) });
  });

  it("names a crashed implementation once under its backend, and a missing measurement as not measured", () => {
    const report = renderReport(record, analyse(record.lines, record.options.only));
    expect(report.match(/^> ⚠️ express-session not measured here: process failed: Error: disk full$/gm)).toHaveLength(1);
    expect(report).toContain("- cached_db / load: ⚠️ not measured");
    expect(report).toContain("1 not measured.**");
  });

  it("leaves out the backends that were not run", () => {
    const report = renderReport(record, analyse(record.lines, ["codec"]));
    expect(report).toContain("### Session encode / decode");
    expect(report).not.toContain("### SQLite at SessionScope's defaults");
    expect(report).toContain("**Result of this run: 0 of 2 operations meet their targets, 2 miss.**");
  });
});
