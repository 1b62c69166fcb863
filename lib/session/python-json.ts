/**
 * Python-compatible JSON: `dumpsPython` writes exactly what Python's
 * `json.dumps(obj, separators=(",", ":"))` writes (Django's session
 * serializer), `loadsPython` (python-json-parse.ts) reads what `json.loads` reads.
 *
 * Value mapping: string, boolean, null as usual; a JS number that is an
 * integer is a Python int, any other number a Python float; bigint is an int
 * of any size; `PyFloat` is a float with an integral value; arrays are lists;
 * plain objects and Maps are dicts (insertion order; see `PYTHON_KEY_ORDER`).
 * Python's datetime values (`PyDatetime`…, read from pickled cache entries)
 * are refused with a TypeError, as Django's JSONSerializer refuses them.
 */
import { PYTHON_KEY_ORDER, PyFloat, formatPythonFloat, pythonDatetimeType } from "./python-values.ts";

export { PYTHON_KEY_ORDER, PyFloat, formatPythonFloat } from "./python-values.ts";
export { loadsPython, needsFullParser } from "./python-json-parse.ts";

type Ordered = { [PYTHON_KEY_ORDER]?: readonly string[] };

/** The keys of a plain object in Python order: the recorded order first (keys still present), then new keys. */
export function orderedKeys(obj: object): string[] {
  const keys = Object.keys(obj);
  const order = (obj as Ordered)[PYTHON_KEY_ORDER];
  if (order === undefined) return keys;
  const seen = new Set<string>();
  const out: string[] = [];
  for (const k of order) {
    if (Object.hasOwn(obj, k) && !seen.has(k)) {
      seen.add(k);
      out.push(k);
    }
  }
  for (const k of keys) if (!seen.has(k)) out.push(k);
  return out;
}

export function dumpsPython(value: unknown): string {
  if (value instanceof Map) {
    for (const [k, v] of value) if (typeof k !== "string" || !isSimple(v, 0)) return writeSlow(value);
    let out = "{";
    let first = true;
    for (const [k, v] of value) {
      out += (first ? "" : ",") + JSON.stringify(k) + ":" + JSON.stringify(v);
      first = false;
    }
    return escapeNonAscii(out + "}");
  }
  return isSimple(value, 0) ? escapeNonAscii(JSON.stringify(value)) : writeSlow(value);
}

const NON_ASCII = /[\u007f-\uffff]/g;

// JSON.stringify already writes \b \f \n \r \t and lower-case \u00XX like Python; only DEL and non-ASCII remain.
function escapeNonAscii(text: string): string {
  NON_ASCII.lastIndex = 0;
  return NON_ASCII.test(text) ? text.replace(NON_ASCII, escapeUnit) : text;
}

function escapeUnit(ch: string): string {
  return "\\u" + ch.charCodeAt(0).toString(16).padStart(4, "0");
}

/** True when JSON.stringify writes the tree exactly as Python would. */
function isSimple(v: unknown, depth: number): boolean {
  if (depth > 64) return false;
  switch (typeof v) {
    case "string":
    case "boolean":
      return true;
    case "number":
      // Safe integers print alike; other finite non-integers print alike when 1e-4 <= |v| (< 2^53).
      return Number.isInteger(v) ? Number.isSafeInteger(v) : Math.abs(v) >= 1e-4 && Number.isFinite(v);
    case "object": {
      if (v === null) return true;
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) if (!isSimple(v[i], depth + 1)) return false;
        return true;
      }
      const proto = Object.getPrototypeOf(v);
      if ((proto !== Object.prototype && proto !== null) || PYTHON_KEY_ORDER in v) return false;
      for (const k in v) if (!isSimple((v as Record<string, unknown>)[k], depth + 1)) return false;
      return true;
    }
    default:
      return false;
  }
}

function writeSlow(value: unknown): string {
  const parts: string[] = [];
  write(value, parts, new Set());
  return parts.join("");
}

function write(v: unknown, out: string[], stack: Set<object>): void {
  switch (typeof v) {
    case "string":
      out.push(escapeNonAscii(JSON.stringify(v)));
      return;
    case "boolean":
      out.push(v ? "true" : "false");
      return;
    case "bigint":
      out.push(v.toString());
      return;
    case "number":
      out.push(Number.isInteger(v) ? (Number.isSafeInteger(v) ? String(v === 0 ? 0 : v) : BigInt(v).toString()) : formatPythonFloat(v));
      return;
    case "object":
      if (v === null) return void out.push("null");
      if (v instanceof PyFloat) return void out.push(formatPythonFloat(v.value));
      if (stack.has(v)) throw new TypeError("dumpsPython: circular reference");
      stack.add(v);
      writeContainer(v, out, stack);
      stack.delete(v);
      return;
    default:
      throw new TypeError(`dumpsPython: a ${typeof v} is not JSON serializable`);
  }
}

function writeContainer(v: object, out: string[], stack: Set<object>): void {
  if (Array.isArray(v)) {
    out.push("[");
    for (let i = 0; i < v.length; i++) {
      if (i) out.push(",");
      write(v[i], out, stack);
    }
    out.push("]");
    return;
  }
  if (v instanceof Map) return writeEntries([...v.entries()], out, stack);
  const pythonType = pythonDatetimeType(v);
  if (pythonType !== null) {
    throw new TypeError(
      `dumpsPython: Object of type ${pythonType} is not JSON serializable (Django's JSONSerializer refuses it too); store its isoformat() text or Unix seconds instead`,
    );
  }
  if (v instanceof Date) throw new TypeError("dumpsPython: a Date is not JSON serializable; store date.toISOString() or Unix seconds instead");
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) {
    const name = (proto as { constructor?: { name?: string } }).constructor?.name ?? "object";
    throw new TypeError(`dumpsPython: a ${name} instance is not JSON serializable; convert it to a plain object first`);
  }
  const record = v as Record<string, unknown>;
  writeEntries(orderedKeys(v).map((k) => [k, record[k]]), out, stack);
}

function writeEntries(entries: [unknown, unknown][], out: string[], stack: Set<object>): void {
  out.push("{");
  entries.forEach(([k, val], i) => {
    if (i) out.push(",");
    out.push(escapeNonAscii(JSON.stringify(pythonKey(k))), ":");
    write(val, out, stack);
  });
  out.push("}");
}

/** Python stringifies int, float, bool and None keys; anything else is a TypeError there too. */
function pythonKey(k: unknown): string {
  if (typeof k === "string") return k;
  if (typeof k === "bigint" || (typeof k === "number" && Number.isInteger(k))) return String(k);
  if (typeof k === "number" || k instanceof PyFloat) return formatPythonFloat(Number(k));
  if (typeof k === "boolean") return k ? "true" : "false";
  if (k === null) return "null";
  throw new TypeError(`dumpsPython: keys must be str, int, float, bool or None, not ${typeof k}`);
}
