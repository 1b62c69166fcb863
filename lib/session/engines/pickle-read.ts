/**
 * Reads pickles (protocols 2-5) of JSON-like values: None, bool, int, float,
 * str, list, tuple (→ array), dict. Opcodes that name or build arbitrary
 * objects (GLOBAL, STACK_GLOBAL, REDUCE, INST, OBJ, NEWOBJ, BUILD, PERSID, EXT…)
 * are refused before anything is constructed: a cache entry can never make
 * this process import or call anything.
 *
 * The top-level dict comes back as a Map; nested dicts as plain objects
 * (with `PYTHON_KEY_ORDER` when JS would reorder their keys), as python-json.ts
 * does. Integers beyond 2^53 are bigints, integral floats `PyFloat`s.
 */
import { PYTHON_KEY_ORDER, PyFloat } from "../python-values.ts";

const REFUSED: Record<number, string> = {
  0x63: "GLOBAL", 0x93: "STACK_GLOBAL", 0x52: "REDUCE", 0x69: "INST", 0x6f: "OBJ", 0x81: "NEWOBJ", 0x92: "NEWOBJ_EX",
  0x62: "BUILD", 0x50: "PERSID", 0x51: "BINPERSID", 0x82: "EXT1", 0x83: "EXT2", 0x84: "EXT4",
};

export class PickleError extends Error {
  override readonly name = "PickleError";
}

const MARK = Symbol("mark");
const ARRAY_INDEX = /^(?:0|[1-9]\d{0,9})$/;

function decodeUtf8(bytes: Buffer): string {
  const text = bytes.toString("utf8");
  // Python's surrogatepass writes lone surrogates as ED A0..BF xx; Buffer would turn them into U+FFFD.
  if (!text.includes("\ufffd") || !bytes.includes(0xed)) return text;
  let out = "";
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    if (b === 0xed && i + 2 < bytes.length && bytes[i + 1]! >= 0xa0) {
      out += String.fromCharCode(((b & 0x0f) << 12) | ((bytes[i + 1]! & 0x3f) << 6) | (bytes[i + 2]! & 0x3f));
      i += 3;
      continue;
    }
    const len = b < 0x80 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
    out += bytes.toString("utf8", i, i + len);
    i += len;
  }
  return out;
}

declare module "node:buffer" {
  interface Buffer {
    /** Node's own latin-1 slice (what `toString("latin1", start, end)` calls), without the encoding dispatch. */
    latin1Slice(start: number, end: number): string;
  }
}

function asciiShort(buf: Buffer, at: number, end: number): string {
  let out = "";
  for (let i = at; i < end; i++) out += String.fromCharCode(buf[i]!);
  return out;
}

function fromLong(bytes: Buffer): number | bigint {
  if (bytes.length === 0) return 0;
  let x = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) x = (x << 8n) | BigInt(bytes[i]!);
  if (bytes[bytes.length - 1]! & 0x80) x -= 1n << BigInt(bytes.length * 8);
  return x >= BigInt(Number.MIN_SAFE_INTEGER) && x <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(x) : x;
}

function dictKey(k: unknown): string {
  if (typeof k === "string") return k;
  if (typeof k === "number" || typeof k === "bigint") return String(k);
  throw new PickleError("pickle: dict keys must be str or int");
}

/** Whether a key would be moved to the front by JS (an array index): checked cheaply before the regex. */
function isIndexLike(k: string): boolean {
  const c = k.charCodeAt(0);
  return c >= 0x30 && c <= 0x39 && ARRAY_INDEX.test(k);
}

/**
 * Nested dicts become plain objects; the top level stays a Map. `seen` guards
 * against cycles; it is null when no container was ever fetched from the memo
 * or duplicated (then the pickle is a tree and cannot be cyclic).
 */
function toPlain(v: unknown, seen: Set<unknown> | null): unknown {
  if (typeof v !== "object" || v === null || v instanceof PyFloat) return v;
  if (seen !== null) {
    if (seen.has(v)) throw new PickleError("pickle: recursive structure");
    seen.add(v);
  }
  let out: unknown;
  if (Array.isArray(v)) {
    const list = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) list[i] = toPlain(v[i], seen);
    out = list;
  } else {
    const obj: Record<string, unknown> = {};
    let indexLike = false;
    for (const [k, x] of v as Map<string, unknown>) {
      if (!indexLike && isIndexLike(k)) indexLike = true;
      // A "__proto__" key must stay an own data property, never the prototype setter.
      if (k === "__proto__") Object.defineProperty(obj, k, { value: toPlain(x, seen), writable: true, enumerable: true, configurable: true });
      else obj[k] = toPlain(x, seen);
    }
    if (indexLike) {
      const order = [...(v as Map<string, unknown>).keys()];
      if (Object.keys(obj).some((k, i) => k !== order[i])) Object.defineProperty(obj, PYTHON_KEY_ORDER, { value: order, enumerable: false });
    }
    out = obj;
  }
  if (seen !== null) seen.delete(v);
  return out;
}

/** Reads a pickled dict (a Django cache entry); throws `PickleError` on anything else. */
export function loadsPickle(data: Uint8Array): Map<string, unknown> {
  const buf = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const stack: unknown[] = [];
  const memo: unknown[] = [];
  let pos = 0;
  const need = (n: number) => {
    if (pos + n > buf.length) throw new PickleError("pickle: truncated data");
    const at = pos;
    pos += n;
    return at;
  };
  const pop = () => {
    if (stack.length === 0 || stack[stack.length - 1] === MARK) throw new PickleError("pickle: stack underflow");
    return stack.pop();
  };
  const popMark = () => {
    const at = stack.lastIndexOf(MARK);
    if (at < 0) throw new PickleError("pickle: missing MARK");
    const items = stack.slice(at + 1);
    stack.length = at;
    return items;
  };
  const top = () => {
    const v = stack[stack.length - 1];
    if (v === undefined || v === MARK) throw new PickleError("pickle: stack underflow");
    return v;
  };
  // Set once a container is referenced twice (memo fetch or DUP): only then can the result be cyclic.
  let shared = false;
  const memoGet = (i: number) => {
    if (!(i in memo)) throw new PickleError(`pickle: memo ${i} undefined`);
    const v = memo[i];
    if (typeof v === "object" && v !== null) shared = true;
    return v;
  };
  const str = (n: number) => {
    const at = need(n);
    const end = at + n;
    // Session strings are mostly ASCII: read those without the UTF-8 decoder and its subarray.
    for (let i = at; i < end; i++) if (buf[i]! >= 0x80) return decodeUtf8(buf.subarray(at, end));
    return n <= 16 ? asciiShort(buf, at, end) : buf.latin1Slice(at, end);
  };
  const setItems = (target: unknown, items: unknown[]) => {
    if (!(target instanceof Map) || items.length % 2) throw new PickleError("pickle: SETITEMS on a non-dict");
    for (let i = 0; i < items.length; i += 2) target.set(dictKey(items[i]), items[i + 1]);
  };
  const append = (target: unknown, items: unknown[]) => {
    if (!Array.isArray(target) || Object.isFrozen(target)) throw new PickleError("pickle: APPENDS on a non-list");
    target.push(...items);
  };

  for (;;) {
    const code = buf[need(1)]!;
    switch (code) {
      case 0x80: { const proto = buf[need(1)]!; if (proto < 2 || proto > 5) throw new PickleError(`pickle: unsupported protocol ${proto}`); break; }
      case 0x95: need(8); break; // FRAME: frames are a buffering hint
      case 0x2e: { // STOP
        const result = pop();
        if (!(result instanceof Map)) throw new PickleError("pickle: the stored value is not a dict");
        const out = new Map<string, unknown>();
        const seen = shared ? new Set<unknown>([result]) : null;
        for (const [k, v] of result) out.set(k, toPlain(v, seen));
        return out;
      }
      case 0x28: stack.push(MARK); break;
      case 0x7d: stack.push(new Map()); break; // EMPTY_DICT
      case 0x5d: stack.push([]); break; // EMPTY_LIST
      case 0x29: stack.push(Object.freeze([])); break; // EMPTY_TUPLE
      case 0x64: { const m = new Map(); setItems(m, popMark()); stack.push(m); break; } // DICT
      case 0x6c: stack.push(popMark()); break; // LIST
      case 0x74: stack.push(Object.freeze(popMark())); break; // TUPLE
      case 0x85: stack.push(Object.freeze([pop()])); break;
      case 0x86: { const b = pop(); stack.push(Object.freeze([pop(), b])); break; }
      case 0x87: { const c = pop(); const b = pop(); stack.push(Object.freeze([pop(), b, c])); break; }
      case 0x73: { const v = pop(); const k = pop(); setItems(top(), [k, v]); break; } // SETITEM
      case 0x75: { const items = popMark(); setItems(top(), items); break; } // SETITEMS
      case 0x61: { const v = pop(); append(top(), [v]); break; } // APPEND
      case 0x65: { const items = popMark(); append(top(), items); break; } // APPENDS
      case 0x94: memo.push(top()); break; // MEMOIZE
      case 0x71: memo[buf[need(1)]!] = top(); break; // BINPUT
      case 0x72: memo[buf.readUInt32LE(need(4))] = top(); break; // LONG_BINPUT
      case 0x68: stack.push(memoGet(buf[need(1)]!)); break; // BINGET
      case 0x6a: stack.push(memoGet(buf.readUInt32LE(need(4)))); break; // LONG_BINGET
      case 0x4e: stack.push(null); break;
      case 0x88: stack.push(true); break;
      case 0x89: stack.push(false); break;
      case 0x4b: stack.push(buf[need(1)]!); break; // BININT1
      case 0x4d: stack.push(buf.readUInt16LE(need(2))); break; // BININT2
      case 0x4a: stack.push(buf.readInt32LE(need(4))); break; // BININT
      case 0x8a: { const n = buf[need(1)]!; stack.push(fromLong(buf.subarray(need(n), pos))); break; } // LONG1
      case 0x8b: { const n = buf.readUInt32LE(need(4)); stack.push(fromLong(buf.subarray(need(n), pos))); break; } // LONG4
      case 0x47: { const f = buf.readDoubleBE(need(8)); stack.push(Number.isInteger(f) ? new PyFloat(f) : f); break; } // BINFLOAT
      case 0x8c: stack.push(str(buf[need(1)]!)); break; // SHORT_BINUNICODE
      case 0x58: stack.push(str(buf.readUInt32LE(need(4)))); break; // BINUNICODE
      case 0x8d: stack.push(str(Number(buf.readBigUInt64LE(need(8))))); break; // BINUNICODE8
      case 0x30: pop(); break; // POP
      case 0x31: popMark(); break; // POP_MARK
      case 0x32: { const v = top(); if (typeof v === "object" && v !== null) shared = true; stack.push(v); break; } // DUP
      default: {
        const name = REFUSED[code];
        throw new PickleError(
          name
            ? `pickle: refusing opcode ${name}: session entries hold only JSON-like values, never objects to construct`
            : `pickle: unsupported opcode 0x${code.toString(16).padStart(2, "0")} at byte ${pos - 1}`,
        );
      }
    }
  }
}
