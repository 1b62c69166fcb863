/**
 * docs/benchmarks.md is shared: `npm run bench` writes the whole comparison,
 * and each other benchmark (request cost, clearsessions, listing) owns one
 * marked section (<!-- name:start --> … <!-- name:end -->) and replaces only that.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const BENCHMARKS_DOC = fileURLToPath(new URL("../../docs/benchmarks.md", import.meta.url));

/**
 * Where a section bench writes by default: docs/benchmarks.md, or the file BENCH_DOC names
 * (`npm run bench -- --out FILE` sets it for the section benches it runs).
 */
export const benchmarksDoc = (env: Readonly<Record<string, string | undefined>> = process.env) => (env.BENCH_DOC ? resolve(env.BENCH_DOC) : BENCHMARKS_DOC);

const ANY_SECTION = /<!-- ([a-z-]+):start -->[\s\S]*?<!-- \1:end -->/g;
const sectionPattern = (name: string) => new RegExp(`<!-- ${name}:start -->[\\s\\S]*<!-- ${name}:end -->`);

/** `lines` is the section's body; the markers are added here. Returns the block written. */
export function writeDocSection(name: string, lines: readonly string[], path: string = benchmarksDoc()): string {
  const block = [`<!-- ${name}:start -->`, ...lines, `<!-- ${name}:end -->`].join("\n");
  const current = existsSync(path) ? readFileSync(path, "utf8") : "# Benchmarks\n";
  const marked = sectionPattern(name);
  writeFileSync(path, marked.test(current) ? current.replace(marked, () => block) : `${current.trimEnd()}\n\n${block}\n`);
  return block;
}

/** Writes the runner's report to `path`, keeping the marked sections the file already has. */
export function writeReportKeepingSections(report: string, path: string): void {
  const previous = existsSync(path) ? readFileSync(path, "utf8") : "";
  const kept = previous.match(ANY_SECTION) ?? [];
  writeFileSync(path, kept.length ? `${report.trimEnd()}\n\n${kept.join("\n\n")}\n` : report);
}
