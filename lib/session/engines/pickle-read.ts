/**
 * Reads pickles (protocols 2-5) of JSON-like values: None, bool, int, float,
 * str, list, tuple (→ array), dict; and Python's datetime values (datetime,
 * date, time, timedelta, timezone, pytz.utc), which Django 3.2 keeps in a
 * cached session after `set_expiry(timedelta)`. GLOBAL / STACK_GLOBAL name a
 * class only from that allow-list (matched as strings), REDUCE builds only
 * the shapes CPython pickles those classes to (pickle-datetime.ts), and
 * bytes are read only as their state; every other opcode that names or builds
 * objects (INST, OBJ, NEWOBJ, BUILD, PERSID, EXT…) is refused before anything
 * is constructed: a cache entry can never make this process import or call anything.
 *
 * The top-level dict comes back as a Map; nested dicts as plain objects
 * (with `PYTHON_KEY_ORDER` when JS would reorder their keys), as python-json.ts
 * does. Integers beyond 2^53 are bigints, integral floats `PyFloat`s.
 *
 * The work is linear in the input whatever its bytes: a value shared through
 * the memo or DUP is materialised once and kept by reference, and the limits
 * below refuse what would blow up later (JSON writes a shared value once per
 * use, so 40 bytes of nested sharing could mean 2^40 values).
 */
import { PYTHON_KEY_ORDER, PyFloat, pythonDatetimeType } from "../python-values.ts";
import { PickleBytes, PickleGlobal, pickleGlobal, reduce } from "./pickle-datetime.ts";
import { PickleError } from "./pickle-error.ts";

export { PickleError } from "./pickle-error.ts";

const REFUSED: Record<number, string> = {
  0x69: "INST", 0x6f: "OBJ", 0x81: "NEWOBJ", 0x92: "NEWOBJ_EX",
  0x62: "BUILD", 0x50: "PERSID", 0x51: "BINPERSID", 0x82: "EXT1", 0x83: "EXT2", 0x84: "EXT4", 0x96: "BYTEARRAY8",
};
/** The longest GLOBAL line (module or name) read: every allowed one is far shorter. */
const MAX_GLOBAL_LINE = 256;

/** The most values plus string characters a pickle may expand to, counting a shared value once per use: about its JSON length. */
export const MAX_PICKLE_EXPANDED_SIZE = 8 * 1024 * 1024;
/** The deepest nesting of lists and dicts, as Python's JSON decoder allows (and JSON writers can recurse through). */
export const MAX_PICKLE_NESTING = 1000;
/**
 * The longest integer, in bytes: about 4300 decimal digits, the most Python
 * (3.11+) converts to text, so Django could not write a longer one as JSON
 * either. Longer LONG4 values are refused (big-integer text conversion is
 * superlinear).
 */
export const MAX_PICKLE_INT_BYTES = 1786;

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

/** A little-endian two's-complement integer (LONG1/LONG4), in time linear in its length. */
function fromLong(bytes: Buffer): number | bigint {
  if (bytes.length === 0) return 0;
  if (bytes.length <= 6) return bytes.readIntLE(0, bytes.length);
  if (bytes.length > MAX_PICKLE_INT_BYTES) throw new PickleError(`pickle: integer of ${bytes.length} bytes (at most ${MAX_PICKLE_INT_BYTES})`);
  let x = BigInt("0x" + Buffer.from(bytes).reverse().toString("hex"));
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

type Dict = Record<string, unknown>;

/** Dicts are read straight into plain objects (the only plain objects a pickle here can make). */
function isDict(v: unknown): v is Dict {
  return typeof v === "object" && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}

/** A container already walked: what replaces it (a tuple's array) and its expanded size. */
interface Settled {
  readonly out: unknown;
  readonly size: number;
}

const tooBig = () => new PickleError(`pickle: the data expands to more than ${MAX_PICKLE_EXPANDED_SIZE} values and characters`);

/**
 * After reading, when the pickle shared a container, made a tuple or made
 * more containers than the nesting limit: one walk that visits each container
 * once, refuses cycles, deep nesting and blow-up (a shared container counts
 * its size once per use, without being walked again), and gives tuples back
 * as ordinary arrays (a shared tuple as one shared array).
 */
class Settler {
  readonly #done = new Map<object, Settled>();
  readonly #path = new Set<object>();
  #size = 0;

  #add(n: number): void {
    this.#size += n;
    if (this.#size > MAX_PICKLE_EXPANDED_SIZE) throw tooBig();
  }

  settle(v: unknown, depth: number): unknown {
    if (typeof v === "string") {
      this.#add(v.length + 1);
      return v;
    }
    if (typeof v !== "object" || v === null || v instanceof PyFloat || pythonDatetimeType(v) !== null) {
      this.#add(1);
      return v;
    }
    if (v instanceof PickleGlobal || v instanceof PickleBytes) throw new PickleError("pickle: a class or a bytes value is not session data");
    const done = this.#done.get(v);
    if (done !== undefined) {
      this.#add(done.size);
      return done.out;
    }
    if (this.#path.has(v)) throw new PickleError("pickle: recursive structure");
    if (depth > MAX_PICKLE_NESTING) throw new PickleError(`pickle: lists and dicts nested more than ${MAX_PICKLE_NESTING} deep`);
    this.#path.add(v);
    const before = this.#size;
    this.#add(1);
    let out: unknown = v;
    if (Array.isArray(v)) {
      const list = Object.isFrozen(v) ? [...(v as unknown[])] : (v as unknown[]);
      for (let i = 0; i < list.length; i++) list[i] = this.settle(list[i], depth + 1);
      out = list;
    } else {
      const dict = v as Dict;
      for (const k of Object.keys(dict)) {
        this.#add(k.length + 1);
        const x = this.settle(dict[k], depth + 1);
        if (x === dict[k]) continue;
        // A "__proto__" key must stay an own data property, never the prototype setter.
        if (k === "__proto__") Object.defineProperty(dict, k, { value: x, writable: true, enumerable: true, configurable: true });
        else dict[k] = x;
      }
    }
    this.#path.delete(v);
    this.#done.set(v, { out, size: this.#size - before });
    return out;
  }
}

/**
 * The reader's state lives in one object with prototype methods, not in
 * closures made per call: a 1 KB entry is read in a few microseconds, and
 * allocating eight closures per load was a measurable share of that.
 */
class PickleReader {
  readonly stack: unknown[] = [];
  readonly memo: unknown[] = [];
  pos = 0;
  /** Set once a container is referenced twice (memo fetch or DUP) or a tuple is made: then the Settler runs. */
  shared = false;
  /** Containers made: only more than MAX_PICKLE_NESTING can nest too deep. */
  containers = 0;
  /** Characters of strings used again (memo fetch or DUP): each use is a copy in JSON. */
  reused = 0;
  /** Python key order of the dicts that got an integer-like key (JS would move it to the front). */
  orders: Map<Dict, string[]> | null = null;
  constructor(readonly buf: Buffer) {}

  need(n: number): number {
    const at = this.pos;
    if (at + n > this.buf.length) throw new PickleError("pickle: truncated data");
    this.pos = at + n;
    return at;
  }
  pop(): unknown {
    const stack = this.stack;
    if (stack.length === 0 || stack[stack.length - 1] === MARK) throw new PickleError("pickle: stack underflow");
    return stack.pop();
  }
  popMark(): unknown[] {
    const stack = this.stack;
    const at = stack.lastIndexOf(MARK);
    if (at < 0) throw new PickleError("pickle: missing MARK");
    const items = stack.slice(at + 1);
    stack.length = at;
    return items;
  }
  top(): unknown {
    const v = this.stack[this.stack.length - 1];
    if (v === undefined || v === MARK) throw new PickleError("pickle: stack underflow");
    return v;
  }
  memoGet(i: number): unknown {
    if (!(i in this.memo)) throw new PickleError(`pickle: memo ${i} undefined`);
    return this.reuse(this.memo[i]);
  }
  /** A value referenced once more (memo fetch, DUP). */
  reuse(v: unknown): unknown {
    if (typeof v === "object" && v !== null) this.shared = true;
    else if (typeof v === "string" && (this.reused += v.length) > MAX_PICKLE_EXPANDED_SIZE) throw tooBig();
    return v;
  }
  /** A new list or dict. */
  made<T>(container: T): T {
    this.containers++;
    return container;
  }
  str(n: number): string {
    const buf = this.buf;
    const at = this.need(n);
    const end = at + n;
    // Session strings are mostly ASCII: read those without the UTF-8 decoder and its subarray.
    for (let i = at; i < end; i++) if (buf[i]! >= 0x80) return decodeUtf8(buf.subarray(at, end));
    return n <= 16 ? asciiShort(buf, at, end) : buf.latin1Slice(at, end);
  }
  /** SETITEM: one key and value, without building an array. */
  setItem(target: unknown, k: unknown, v: unknown): void {
    if (!isDict(target)) throw new PickleError("pickle: SETITEMS on a non-dict");
    this.put(target, dictKey(k), v);
  }
  /** `dict[key] = value` with Python's semantics: a new key goes last, an existing one keeps its place. */
  put(dict: Dict, key: string, value: unknown): void {
    const order = this.orders === null ? undefined : this.orders.get(dict);
    if (order !== undefined) {
      if (!Object.hasOwn(dict, key)) order.push(key);
    } else if (isIndexLike(key) && !Object.hasOwn(dict, key)) {
      (this.orders ??= new Map()).set(dict, [...Object.keys(dict), key]);
    }
    // A "__proto__" key must stay an own data property, never the prototype setter.
    if (key === "__proto__") Object.defineProperty(dict, key, { value, writable: true, enumerable: true, configurable: true });
    else dict[key] = value;
  }
  /** SETITEMS: the pairs above the topmost MARK, read in place. */
  setItems(): void {
    const stack = this.stack;
    const at = stack.lastIndexOf(MARK);
    if (at < 0) throw new PickleError("pickle: missing MARK");
    const target = stack[at - 1];
    if (!isDict(target) || (stack.length - at - 1) % 2) throw new PickleError("pickle: SETITEMS on a non-dict");
    for (let i = at + 1; i < stack.length; i += 2) this.put(target, dictKey(stack[i]), stack[i + 1]);
    stack.length = at;
  }
  dict(items: unknown[]): Dict {
    if (items.length % 2) throw new PickleError("pickle: DICT with an odd number of items");
    const d: Dict = {};
    for (let i = 0; i < items.length; i += 2) this.put(d, dictKey(items[i]), items[i + 1]);
    return d;
  }
  tuple(items: unknown[]): readonly unknown[] {
    this.shared = true;
    this.containers++;
    return Object.freeze(items);
  }
  /** The top-level dict as a Map in Python order; nested dicts keep theirs under PYTHON_KEY_ORDER. */
  result(top: Dict): Map<string, unknown> {
    if (this.shared || this.containers > MAX_PICKLE_NESTING) new Settler().settle(top, 0);
    const out = new Map<string, unknown>();
    for (const k of this.orders?.get(top) ?? Object.keys(top)) out.set(k, top[k]);
    if (this.orders) {
      for (const [dict, order] of this.orders) {
        if (dict !== top && Object.keys(dict).some((k, i) => k !== order[i])) Object.defineProperty(dict, PYTHON_KEY_ORDER, { value: order, enumerable: false });
      }
    }
    return out;
  }
  append(target: unknown, items: unknown[]): void {
    if (!Array.isArray(target) || Object.isFrozen(target)) throw new PickleError("pickle: APPENDS on a non-list");
    for (const item of items) target.push(item);
  }
  /** APPENDS: the items above the topmost MARK, read in place. */
  appends(): void {
    const stack = this.stack;
    const at = stack.lastIndexOf(MARK);
    if (at < 0) throw new PickleError("pickle: missing MARK");
    const target = stack[at - 1];
    if (!Array.isArray(target) || Object.isFrozen(target)) throw new PickleError("pickle: APPENDS on a non-list");
    for (let i = at + 1; i < stack.length; i++) target.push(stack[i]);
    stack.length = at;
  }
  /** GLOBAL's two lines (module, name), as Python reads them: UTF-8 up to a newline. */
  line(): string {
    const buf = this.buf;
    const length = buf.subarray(this.pos, this.pos + MAX_GLOBAL_LINE + 1).indexOf(0x0a);
    if (length < 0) throw new PickleError("pickle: GLOBAL without a short line");
    const at = this.need(length + 1);
    return buf.toString("utf8", at, at + length);
  }
  /** A global from the allow-list: shared, so that the Settler runs and refuses it if it ends up in the data. */
  global(opcode: "GLOBAL" | "STACK_GLOBAL", module: unknown, name: unknown): PickleGlobal {
    this.shared = true;
    return pickleGlobal(opcode, module, name);
  }
  bytes(n: number): PickleBytes {
    this.shared = true;
    const at = this.need(n);
    return new PickleBytes(this.buf.subarray(at, at + n));
  }
  refuse(code: number): never {
    const name = REFUSED[code];
    throw new PickleError(
      name
        ? `pickle: refusing opcode ${name}: session entries hold only JSON-like values and datetimes, never objects to construct`
        : `pickle: unsupported opcode 0x${code.toString(16).padStart(2, "0")} at byte ${this.pos - 1}`,
    );
  }
}

/** Reads a pickled dict (a Django cache entry); throws `PickleError` on anything else. */
export function loadsPickle(data: Uint8Array): Map<string, unknown> {
  const buf = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const r = new PickleReader(buf);
  const stack = r.stack;
  for (;;) {
    const code = buf[r.need(1)]!;
    switch (code) {
      case 0x80: { const proto = buf[r.need(1)]!; if (proto < 2 || proto > 5) throw new PickleError(`pickle: unsupported protocol ${proto}`); break; }
      case 0x95: r.need(8); break; // FRAME: frames are a buffering hint
      case 0x2e: { // STOP
        const result = r.pop();
        if (!isDict(result)) throw new PickleError("pickle: the stored value is not a dict");
        return r.result(result);
      }
      case 0x28: stack.push(MARK); break;
      case 0x7d: stack.push(r.made({})); break; // EMPTY_DICT
      case 0x5d: stack.push(r.made([])); break; // EMPTY_LIST
      case 0x29: stack.push(r.tuple([])); break; // EMPTY_TUPLE
      case 0x64: stack.push(r.made(r.dict(r.popMark()))); break; // DICT
      case 0x6c: stack.push(r.made(r.popMark())); break; // LIST
      case 0x74: stack.push(r.tuple(r.popMark())); break; // TUPLE
      case 0x85: stack.push(r.tuple([r.pop()])); break;
      case 0x86: { const b = r.pop(); stack.push(r.tuple([r.pop(), b])); break; }
      case 0x87: { const c = r.pop(); const b = r.pop(); stack.push(r.tuple([r.pop(), b, c])); break; }
      case 0x73: { const v = r.pop(); const k = r.pop(); r.setItem(r.top(), k, v); break; } // SETITEM
      case 0x75: r.setItems(); break; // SETITEMS
      case 0x61: { const v = r.pop(); r.append(r.top(), [v]); break; } // APPEND
      case 0x65: r.appends(); break; // APPENDS
      case 0x94: r.memo.push(r.top()); break; // MEMOIZE
      case 0x71: r.memo[buf[r.need(1)]!] = r.top(); break; // BINPUT
      case 0x72: r.memo[buf.readUInt32LE(r.need(4))] = r.top(); break; // LONG_BINPUT
      case 0x68: stack.push(r.memoGet(buf[r.need(1)]!)); break; // BINGET
      case 0x6a: stack.push(r.memoGet(buf.readUInt32LE(r.need(4)))); break; // LONG_BINGET
      case 0x4e: stack.push(null); break;
      case 0x88: stack.push(true); break;
      case 0x89: stack.push(false); break;
      case 0x4b: stack.push(buf[r.need(1)]!); break; // BININT1
      case 0x4d: stack.push(buf.readUInt16LE(r.need(2))); break; // BININT2
      case 0x4a: stack.push(buf.readInt32LE(r.need(4))); break; // BININT
      case 0x8a: { const n = buf[r.need(1)]!; const at = r.need(n); stack.push(fromLong(buf.subarray(at, at + n))); break; } // LONG1
      case 0x8b: { const n = buf.readUInt32LE(r.need(4)); const at = r.need(n); stack.push(fromLong(buf.subarray(at, at + n))); break; } // LONG4
      case 0x47: { const f = buf.readDoubleBE(r.need(8)); stack.push(Number.isInteger(f) ? new PyFloat(f) : f); break; } // BINFLOAT
      case 0x8c: stack.push(r.str(buf[r.need(1)]!)); break; // SHORT_BINUNICODE
      case 0x58: stack.push(r.str(buf.readUInt32LE(r.need(4)))); break; // BINUNICODE
      case 0x8d: stack.push(r.str(Number(buf.readBigUInt64LE(r.need(8))))); break; // BINUNICODE8
      case 0x30: r.pop(); break; // POP
      case 0x31: r.popMark(); break; // POP_MARK
      case 0x32: stack.push(r.reuse(r.top())); break; // DUP
      case 0x63: { const moduleName = r.line(); stack.push(r.global("GLOBAL", moduleName, r.line())); break; }
      case 0x93: { const name = r.pop(); stack.push(r.global("STACK_GLOBAL", r.pop(), name)); break; }
      case 0x52: { const args = r.pop(); stack.push(reduce(r.pop(), args)); break; } // REDUCE (pickle-datetime.ts)
      case 0x43: stack.push(r.bytes(buf[r.need(1)]!)); break; // SHORT_BINBYTES
      case 0x42: stack.push(r.bytes(buf.readUInt32LE(r.need(4)))); break; // BINBYTES
      case 0x8e: stack.push(r.bytes(Number(buf.readBigUInt64LE(r.need(8))))); break; // BINBYTES8
      default: r.refuse(code);
    }
  }
}
