/**
 * The record a kill writes with its deletion (store.ts, KillRecord), as SQL:
 * names checked to be plain identifiers, values bound as parameters.
 */
import type { KillRecord } from "../store.ts";

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

function identifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new TypeError(`SessionScope: "${name}" is not a plain SQL identifier (kill record)`);
  return `"${name}"`;
}

/**
 * `INSERT INTO "table" ("a", "b", "count") VALUES (<a>, <b>, <count>) RETURNING "id"`, with
 * `param` adding each value and returning its placeholder, and `count` the SQL of the count.
 */
export function recordInsert(record: KillRecord, param: (value: unknown) => string, count: string): string {
  const names = Object.keys(record.values);
  if (names.includes(record.countColumn)) throw new TypeError(`SessionScope: the kill record sets its count column "${record.countColumn}" itself`);
  const columns = [...names, record.countColumn].map(identifier).join(", ");
  const values = [...names.map((name) => param(record.values[name])), count].join(", ");
  return `INSERT INTO ${identifier(record.table)} (${columns}) VALUES (${values}) RETURNING "id"`;
}
