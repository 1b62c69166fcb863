import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { BenchLine } from "../runner/child.ts";
import type { MachineFacts } from "../runner/machine.ts";
import type { Backend } from "../runner/options.ts";
import { analyse, renderReport, type RunRecord, type RunSummary } from "./render.ts";
import type { SectionVerdicts } from "./summary.ts";

interface RecordFile {
  facts: MachineFacts;
  lines: BenchLine[];
  runs: RunSummary[];
  options: { rounds: number; seconds: number; warmup: number; only: Backend[] };
  started: string;
  totalSeconds: number;
  sections: SectionVerdicts;
}

// A recorded run (three rounds; one express store that crashed twice; SessionScope's cached_db load missing;
// the command-line bench's verdicts, and the request-cost bench's but for its memory verdict) and its report.
const file = JSON.parse(readFileSync(new URL("./fixtures/run-record.json", import.meta.url), "utf8")) as RecordFile;
const record: RunRecord = { ...file, started: new Date(file.started) };
const expected = readFileSync(new URL("./fixtures/report.md", import.meta.url), "utf8");

describe("the benchmark report", () => {
  it("is written byte for byte as reviewed for the same measurements", () => {
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
    expect(report).toContain("| cached_db / load: ≤ 1.15 × (floor + decode) | SessionScope not measured | ⚠️ not measured |");
  });

  it("lists every issue-13 target at the top: core rows, the section benches' verdicts, and what did not run", () => {
    const report = renderReport(record, analyse(record.lines, record.options.only));
    const top = report.slice(0, report.indexOf("## Machine"));
    expect(top).toContain("## Issue 13's targets in this run");
    expect(top).toContain("| sqlite-full / create: ≥ 1.00× the fastest express-session store |");
    expect(top).toContain("| sqlite-default / load: ≤ 1.15 × (floor + decode) |");
    expect(top).not.toContain("| cached_db / create");
    expect(top).toContain("| `sessionscope decode VALUE` within 2.5× a bare `node -e 0` | 2.61× | ❌ missed | [The command line's start-up](#the-command-lines-start-up) |");
    expect(top).toContain("| RSS after 200,000 session requests within 10 % of RSS after 20,000 (each settled: full collections a second apart until it stops falling) | no verdict: the bench failed (see the run's output) | ⚠️ not measured | [Steady memory](#steady-memory) |");
    expect(top).toContain("| clearsessions ≥ 0.5× the speed of one DELETE of the same rows (seeded SQLite, 50,000 expired) | not run in this run (see its section's date) | — |");
  });

  it("leaves out the backends that were not run", () => {
    const report = renderReport(record, analyse(record.lines, ["codec"]));
    expect(report).toContain("### Session encode / decode");
    expect(report).not.toContain("### SQLite at SessionScope's defaults");
    expect(report).toMatch(/\*\*\d+ of \d+ targets measured in this run are met/);
    expect(report).toContain("| codec / encode: ≥ 2× Django's |");
    expect(report).toContain("| sqlite-default / create: ≥ 1.00× the fastest express-session store | not run in this run (`--only`) | — | — |");
  });
});
