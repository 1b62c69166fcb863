/** The report's tables: one per backend, then SessionScope's defaults against stock Django on SQLite. */
import type { SkipLine } from "../common.ts";
import { SESSION_COMPRESS_MIN_BYTES } from "../../lib/session/index.ts";
import { cell, fmtRatio, mark, targetText } from "./format.ts";
import { type Section, SECTIONS, SESSION_OPS, OP_NAMES } from "./sections.ts";
import { type BestResult, find, LOAD_SLACK, ratio, type Row } from "./stats.ts";

/** A row with only its first cells filled, padded to the header's width. */
const partialRow = (cells: readonly string[], width: number) => `| ${cells.join(" | ")} |${" |".repeat(width - cells.length)}`;

const hasFloor = (rows: readonly Row[]) => rows.some((r) => r.floor !== null);
const hasBound = (rows: readonly Row[]) => rows.some((r) => r.target === "load");

function header(section: Section, rows: readonly Row[], results: readonly BestResult[]): string[] {
  const exStores = [...new Set(results.filter((r) => r.impl === "express-session" && r.backend === section.backend).map((r) => r.store))];
  const names = ["operation", "SessionScope", "Django"];
  if (section.express) names.push(`express-session (${exStores.join(", ") || "—"})`);
  names.push("SessionScope / Django");
  if (section.express) names.push("SessionScope / express", "express / Django");
  if (hasFloor(rows)) names.push("floor");
  if (hasBound(rows)) names.push(`load bound: ${LOAD_SLACK} × (floor + decode)`);
  names.push("target", "verdict");
  return names;
}

const us = (x: number | null) => (x === null ? "—" : `${x.toFixed(1)} µs`);

function boundCell(r: Row): string {
  if (r.target !== "load") return "";
  if (r.floor === null || r.decode === null) return `floor ${us(r.floor)}, decode ${us(r.decode)}`;
  return `${LOAD_SLACK} × (${r.floor.toFixed(1)} + ${r.decode.toFixed(1)}) = ${us(r.bound)}`;
}

function tableRow(r: Row, rows: readonly Row[]): string {
  const cells = [OP_NAMES[r.op], cell(r.ss), cell(r.dj)];
  if (r.section.express) cells.push(cell(r.ex));
  cells.push(fmtRatio(r.vsDjango));
  if (r.section.express) cells.push(fmtRatio(r.vsExpress), fmtRatio(ratio(r.ex, r.dj)));
  if (hasFloor(rows)) cells.push(us(r.floor));
  if (hasBound(rows)) cells.push(boundCell(r));
  cells.push(targetText(r), mark(r));
  return `| ${cells.join(" | ")} |`;
}

/** The codec section's informational rows and notes. */
function codecExtras(rows: readonly Row[], results: readonly BestResult[], width: number): { table: string[]; notes: string[] } {
  const table: string[] = [];
  const notes: string[] = [];
  const repeat = find(results, "sessionscope", "none", "decode_repeat")[0];
  if (repeat) table.push(partialRow([OP_NAMES.decode_repeat, cell(repeat)], width));
  const pickle = find(results, "sessionscope", "none", "decode_pickle")[0];
  if (pickle) table.push(partialRow([OP_NAMES.decode_pickle, cell(pickle)], width));
  const [jsonEncode, jsonDecode] = ["encode", "decode"].map((op) => find(results, "express-session", "none", op)[0]);
  if (jsonEncode && jsonDecode) {
    table.push(partialRow(["encode, express-session's JSON.stringify (informational)", cell(jsonEncode)], width));
    table.push(partialRow(["decode, express-session's JSON.parse (informational)", cell(jsonDecode)], width));
  }
  if (pickle) {
    notes.push("*decode, Django's cache pickle* is informational: what the Redis engine and cached_db's cache do with an entry they read (`loadsPickle` of the payload's pickle, as `lib/session/engines/redis.ts` loads it); it is the decode in the Redis and cached_db load bounds.", "");
  }
  if (repeat) {
    notes.push("*decode* is the first decode of a value: what every load of a value this process has not seen costs (Django's decode always costs this). " +
      "*decode, same value again* is informational, with no target: the codec remembers the values it verified (1,024 by default), so reading one again skips the HMAC check (and the inflate of a compressed value) and only parses.", "");
  }
  const enc = rows.find((r) => r.op === "encode")?.ss;
  const dec = rows.find((r) => r.op === "decode")?.ss;
  if (enc && dec && jsonEncode && jsonDecode) {
    const tax = enc.us_per_op + dec.us_per_op;
    const plain = jsonEncode.us_per_op + jsonDecode.us_per_op;
    notes.push(`What the format costs a load-modify-save of a session this process has not read before: ${tax.toFixed(1)} µs for SessionScope's signed value (one decode, one encode) against ${plain.toFixed(1)} µs for express-session's plain JSON, ${(tax - plain).toFixed(1)} µs more, on every backend.`, "");
  }
  const [deflate, inflate] = ["deflate", "inflate"].map((op) => find(results, "floor", "none", op)[0]);
  if (deflate && inflate) {
    notes.push(`Django's \`dumps\` compresses this payload (zlib level 6: deflate ${us(deflate.us_per_op)}, inflate ${us(inflate.us_per_op)} here, bench/floor.bench.ts); SessionScope writes plain signed JSON below ${SESSION_COMPRESS_MIN_BYTES.toLocaleString("en-US")} bytes of JSON (\`SESSION_COMPRESS_MIN_BYTES\`), which Django reads as well, and inflates only the compressed values it reads.`, "");
  }
  return { table, notes };
}

function renderSection(section: Section, rows: readonly Row[], results: readonly BestResult[], skipped: readonly SkipLine[]): string[] {
  const L = [`### ${section.title}`, ""];
  if (section.note) L.push(section.note, "");
  for (const s of skipped.filter((s) => s.backend === section.backend || (section.backend === "none" && s.backend === "codec"))) {
    L.push(`> ⚠️ ${s.impl} not measured here: ${s.reason.split("\n")[0]}`, "");
  }
  const names = header(section, rows, results);
  L.push(`| ${names.join(" | ")} |`, `|${names.map((_, i) => (i === 0 ? "---" : "---:")).join("|")}|`);
  for (const r of rows) L.push(tableRow(r, rows));
  if (section.express) {
    const touch = find(results, "express-session", section.backend, "touch")[0];
    if (touch) L.push(`| ${OP_NAMES.touch} | | | ${cell(touch)} |${" |".repeat(names.length - 4)}`);
  }
  const extras = section.backend === "none" ? codecExtras(rows, results, names.length) : { table: [], notes: [] };
  L.push(...extras.table, "", ...extras.notes);
  return L;
}

/** Sections with nothing measured and nothing skipped are left out. */
export function renderResults(rows: readonly Row[], results: readonly BestResult[], skipped: readonly SkipLine[]): string[] {
  const L = ["## Results", ""];
  for (const section of SECTIONS) {
    const sectionRows = rows.filter((r) => r.section === section);
    if (!sectionRows.some((r) => r.ss || r.dj || r.ex) && !skipped.some((s) => s.backend === section.backend)) continue;
    L.push(...renderSection(section, sectionRows, results, skipped));
  }
  return L;
}

/** SessionScope's default SQLite (WAL + NORMAL) against stock Django (DELETE + FULL), when both were run. */
export function renderOutOfTheBox(results: readonly BestResult[]): string[] {
  const box = SESSION_OPS.map((op) => ({ op, ss: find(results, "sessionscope", "sqlite-default", op)[0], dj: find(results, "django", "sqlite-full", op)[0] }));
  if (!box.some((b) => b.ss && b.dj)) return [];
  return [
    "### Out of the box on SQLite (informational)",
    "",
    "SessionScope at its defaults (WAL + NORMAL) against Django at its defaults (rollback journal + FULL). Not an equal-durability comparison: most of the write gap is the fsync per commit that Django's default pays.",
    "",
    "| operation | SessionScope (WAL+NORMAL) | Django (DELETE+FULL) | ratio |",
    "|---|---:|---:|---:|",
    ...box.map((b) => `| ${OP_NAMES[b.op]} | ${cell(b.ss)} | ${cell(b.dj)} | ${fmtRatio(ratio(b.ss, b.dj))} |`),
    "",
  ];
}
