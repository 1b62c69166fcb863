// Each benchmark owns one marked section of docs/benchmarks.md
// (<!-- name:start --> … <!-- name:end -->) and replaces only that.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const DOC = fileURLToPath(new URL("../docs/benchmarks.md", import.meta.url));

/** `lines` is the section's body; the markers are added here. */
export function writeDocSection(name, lines) {
  const block = [`<!-- ${name}:start -->`, ...lines, `<!-- ${name}:end -->`].join("\n");
  const current = existsSync(DOC) ? readFileSync(DOC, "utf8") : "# Benchmarks\n";
  const marked = new RegExp(`<!-- ${name}:start -->[\\s\\S]*<!-- ${name}:end -->`);
  writeFileSync(DOC, marked.test(current) ? current.replace(marked, () => block) : `${current.trimEnd()}\n\n${block}\n`);
  return block;
}
