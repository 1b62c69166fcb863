import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BENCHMARKS_DOC, benchmarksDoc, writeDocSection, writeReportKeepingSections } from "./doc-section.ts";

let dir = "";
let doc = "";
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sessionscope-doc-section-"));
  doc = join(dir, "benchmarks.md");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("docs/benchmarks.md sections", () => {
  it("a benchmark replaces only its own marked section", () => {
    writeFileSync(doc, "# Report\n\n<!-- listing:start -->\nold listing\n<!-- listing:end -->\n\n<!-- clearsessions:start -->\nkept\n<!-- clearsessions:end -->\n");
    writeDocSection("listing", ["new listing"], doc);
    expect(readFileSync(doc, "utf8")).toBe("# Report\n\n<!-- listing:start -->\nnew listing\n<!-- listing:end -->\n\n<!-- clearsessions:start -->\nkept\n<!-- clearsessions:end -->\n");
  });

  it("a benchmark adds its section at the end the first time", () => {
    writeFileSync(doc, "# Report\n");
    writeDocSection("request-cost", ["## Cost", "$1 text"], doc);
    expect(readFileSync(doc, "utf8")).toBe("# Report\n\n<!-- request-cost:start -->\n## Cost\n$1 text\n<!-- request-cost:end -->\n");
  });

  it("a re-run of the comparison keeps the other benchmarks' sections", () => {
    writeFileSync(doc, "# Old report\n\n<!-- listing:start -->\nL\n<!-- listing:end -->\n\n<!-- request-cost:start -->\nR\n<!-- request-cost:end -->\n");
    writeReportKeepingSections("# New report\n", doc);
    expect(readFileSync(doc, "utf8")).toBe("# New report\n\n<!-- listing:start -->\nL\n<!-- listing:end -->\n\n<!-- request-cost:start -->\nR\n<!-- request-cost:end -->\n");
  });

  it("the comparison writes its report alone to a new file", () => {
    writeReportKeepingSections("# New report\n", doc);
    expect(readFileSync(doc, "utf8")).toBe("# New report\n");
  });

  it("a section bench writes to the file BENCH_DOC names (as npm run bench -- --out sets it), else to docs/benchmarks.md", () => {
    expect(benchmarksDoc({ BENCH_DOC: doc })).toBe(doc);
    expect(benchmarksDoc({})).toBe(BENCHMARKS_DOC);
    expect(BENCHMARKS_DOC).toMatch(/docs\/benchmarks\.md$/);
  });
});
