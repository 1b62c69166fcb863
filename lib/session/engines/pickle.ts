/**
 * Python pickles of session dicts, for Django's cache entries (docs/django-format.md §5.2).
 *
 * `dumpsPickle` writes protocol 4 byte for byte as CPython's C pickler does
 * (`pickle.dumps(d, 4)`): FRAME opcodes around runs of at most ~64 KiB,
 * strings of 64 KiB or more written outside frames, MEMOIZE after every
 * str/list/dict, dict items in SETITEMS batches of 1000 (SETITEM for one),
 * list items in APPENDS batches (APPEND for one), ints as BININT1/BININT2/
 * BININT or LONG1/LONG4, floats as BINFLOAT.
 *
 * CPython memoizes by object identity, which a JS value cannot carry; the
 * writer assumes the identities `json.loads` produces, Django's own path from
 * a stored session: equal dict keys are one object across the document (the
 * JSON decoder's key memo), as are "" and one-character Latin-1 strings
 * (CPython singletons); every other value is its own object. Any pickle is
 * read back correctly whatever its sharing.
 *
 * Value mapping follows python-json.ts: an integer number is a Python int
 * (bigint for any size), any other number or a `PyFloat` a float; arrays are
 * lists; plain objects (key order from `PYTHON_KEY_ORDER`) and Maps are dicts.
 * Python's datetime values (python-values.ts) are written as CPython pickles
 * them: `datetime.datetime(state_bytes, tzinfo)` and so on, pytz's utc as
 * `pytz._UTC()`, each class and each value object memoized by identity (so
 * `timezone.utc`, pytz's utc and a value the reader shared are written once);
 * module and class names are memoized apart from the data's strings.
 */
import { orderedKeys } from "../python-json.ts";
import { PyDate, PyDatetime, PyFloat, PyTime, PyTimedelta, PyTimezone, pythonDatetimeType, type PyDatetimeValue } from "../python-values.ts";

export { loadsPickle } from "./pickle-read.ts";

const FRAME_HEADER = 9;
const FRAME_SIZE_TARGET = 64 * 1024;
const FRAME_SIZE_MIN = 4;
const BATCH = 1000;
const LONE_SURROGATE = /\p{Cs}/u;

// One scratch buffer for every call (dumps is synchronous, never re-entered); the result is a copy.
let scratch = Buffer.allocUnsafe(4096);

class PickleWriter {
  buf = scratch;
  len = 0;
  private framing = false;
  private frameStart = -1;
  private memoSize = 0;
  private readonly shared = new Map<string, number>();
  /** Memo indexes of the classes written (by "module.name") and of the module-name strings. */
  private readonly globals = new Map<string, number>();
  private readonly modules = new Map<string, number>();
  /** Memo indexes of the datetime value objects written, by identity (CPython memoizes by id()). */
  readonly objects = new Map<object, number>();

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
    if (next.length <= 1 << 20) scratch = next;
  }
  /** Every write goes here: like `_Pickler_Write`, it opens a frame when none is open. */
  private room(n: number): number {
    if (this.framing && this.frameStart === -1) {
      this.reserve(FRAME_HEADER);
      this.frameStart = this.len;
      this.len += FRAME_HEADER;
    }
    this.reserve(n);
    const at = this.len;
    this.len += n;
    return at;
  }
  op(code: number): void {
    const at = this.room(1); // before reading this.buf: room() may replace it
    this.buf[at] = code;
  }
  op2(code: number, arg: number): void {
    const at = this.room(2);
    this.buf[at] = code;
    this.buf[at + 1] = arg;
  }
  start(): void {
    this.op2(0x80, 4); // PROTO 4, then framing starts
    this.framing = true;
  }
  commitFrame(): void {
    if (this.frameStart === -1) return;
    const frameLen = this.len - this.frameStart - FRAME_HEADER;
    if (frameLen >= FRAME_SIZE_MIN) {
      this.buf[this.frameStart] = 0x95;
      this.buf.writeBigUInt64LE(BigInt(frameLen), this.frameStart + 1);
    } else {
      this.buf.copy(this.buf, this.frameStart, this.frameStart + FRAME_HEADER, this.len);
      this.len -= FRAME_HEADER;
    }
    this.frameStart = -1;
  }
  /** After each saved object, like `_Pickler_OpcodeBoundary`. */
  boundary(): void {
    if (this.frameStart !== -1 && this.len - this.frameStart - FRAME_HEADER >= FRAME_SIZE_TARGET) this.commitFrame();
  }
  memoize(): number {
    this.op(0x94);
    return this.memoSize++;
  }
  get(index: number): void {
    if (index < 256) return this.op2(0x68, index); // BINGET
    const at = this.room(5);
    this.buf[at] = 0x6a; // LONG_BINGET
    this.buf.writeUInt32LE(index, at + 1);
  }
  str(s: string, isKey: boolean): void {
    const sharable = isKey || s.length === 0 || (s.length === 1 && s.charCodeAt(0) < 256);
    if (sharable) {
      const index = this.shared.get(s);
      if (index !== undefined) return this.get(index);
    }
    const n = s.length;
    // Session strings are mostly short ASCII: write opcode, length and bytes in
    // one pass, checking as we go; on a non-ASCII character, undo and take the general path.
    if (n <= 0xff) {
      const at = this.room(n + 2);
      const buf = this.buf;
      buf[at] = 0x8c; // SHORT_BINUNICODE
      buf[at + 1] = n;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[at + 2 + i] = c;
      }
      if (i === n) {
        const index = this.memoize();
        if (sharable) this.shared.set(s, index);
        return;
      }
      this.len = at;
    }
    // Longer strings, and short ones the loop above found non-ASCII: size them and
    // copy them in without an intermediate Buffer.
    let ascii = n > 0xff;
    for (let i = 0; ascii && i < n; i++) if (s.charCodeAt(i) >= 0x80) ascii = false;
    const data = ascii ? null : LONE_SURROGATE.test(s) ? encodeSurrogatePass(s) : null;
    const size = ascii ? n : data ? data.length : Buffer.byteLength(s, "utf8");
    const large = size >= FRAME_SIZE_TARGET;
    if (large) {
      this.commitFrame();
      this.framing = false;
    }
    if (size <= 0xff) this.op2(0x8c, size); // SHORT_BINUNICODE
    else {
      const at = this.room(5);
      this.buf[at] = 0x58; // BINUNICODE
      this.buf.writeUInt32LE(size, at + 1);
    }
    const at = this.room(size); // room() may grow the buffer: take the position first
    const buf = this.buf;
    if (data) data.copy(buf, at);
    else buf.write(s, at, size, ascii ? "latin1" : "utf8");
    if (large) this.framing = true;
    const index = this.memoize();
    if (sharable) this.shared.set(s, index);
  }
  int(v: bigint | number): void {
    if (typeof v === "number" && v >= -2147483648 && v <= 2147483647) {
      if (v >= 0 && v < 256) return this.op2(0x4b, v); // BININT1
      if (v >= 0 && v < 65536) {
        const at = this.room(3);
        this.buf[at] = 0x4d; // BININT2
        this.buf.writeUInt16LE(v, at + 1);
        return;
      }
      const at = this.room(5);
      this.buf[at] = 0x4a; // BININT
      this.buf.writeInt32LE(v, at + 1);
      return;
    }
    const big = BigInt(v);
    if (big >= -2147483648n && big <= 2147483647n) return this.int(Number(big));
    const bytes = longBytes(big);
    if (bytes.length < 256) this.op2(0x8a, bytes.length); // LONG1
    else {
      const at = this.room(5);
      this.buf[at] = 0x8b; // LONG4
      this.buf.writeUInt32LE(bytes.length, at + 1);
    }
    const at = this.room(bytes.length);
    bytes.copy(this.buf, at);
  }
  /** A class, as `save_global` writes it at protocol 4: module and name strings, STACK_GLOBAL; BINGET once memoized. */
  global(module: string, name: string): void {
    const known = this.globals.get(`${module}.${name}`);
    if (known !== undefined) return this.get(known);
    const moduleIndex = this.modules.get(module);
    if (moduleIndex !== undefined) this.get(moduleIndex);
    else this.modules.set(module, this.asciiName(module));
    this.boundary();
    this.asciiName(name);
    this.boundary();
    this.op(0x93); // STACK_GLOBAL
    this.globals.set(`${module}.${name}`, this.memoize());
  }
  /** A module or class name (ASCII, short), memoized apart from the data's strings. */
  private asciiName(s: string): number {
    const at = this.room(s.length + 2);
    this.buf[at] = 0x8c; // SHORT_BINUNICODE
    this.buf[at + 1] = s.length;
    this.buf.write(s, at + 2, "latin1");
    return this.memoize();
  }
  bytes(data: Uint8Array): void {
    const at = this.room(data.length + 2);
    this.buf[at] = 0x43; // SHORT_BINBYTES (states are at most 10 bytes)
    this.buf[at + 1] = data.length;
    this.buf.set(data, at + 2);
    this.memoize();
  }
  float(v: number): void {
    const at = this.room(9);
    this.buf[at] = 0x47; // BINFLOAT
    this.buf.writeDoubleBE(v, at + 1);
  }
}

/** Minimal little-endian two's complement, as `_PyLong_AsByteArray` plus the pickler's trim. */
function longBytes(v: bigint): Buffer {
  const negative = v < 0n;
  let nbytes = ((negative ? -v : v).toString(2).length >> 3) + 1;
  let x = negative ? (1n << BigInt(nbytes * 8)) + v : v;
  const out = Buffer.alloc(nbytes);
  for (let i = 0; i < nbytes; i++, x >>= 8n) out[i] = Number(x & 0xffn);
  if (negative && nbytes > 1 && out[nbytes - 1] === 0xff && (out[nbytes - 2]! & 0x80) !== 0) nbytes--;
  return out.subarray(0, nbytes);
}

/** UTF-8 with Python's "surrogatepass": a lone surrogate becomes its own 3-byte sequence. */
function encodeSurrogatePass(s: string): Buffer {
  const bytes: number[] = [];
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0xd800 && cp <= 0xdfff) bytes.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    else bytes.push(...Buffer.from(ch, "utf8"));
  }
  return Buffer.from(bytes);
}

function save(w: PickleWriter, v: unknown, depth: number): void {
  if (depth > 200) throw new TypeError("dumpsPickle: nesting too deep");
  switch (typeof v) {
    case "string":
      w.str(v, false);
      break;
    case "boolean":
      w.op(v ? 0x88 : 0x89); // NEWTRUE / NEWFALSE
      break;
    case "bigint":
      w.int(v);
      break;
    case "number":
      if (Number.isInteger(v)) w.int(Number.isSafeInteger(v) ? v : BigInt(v));
      else w.float(v);
      break;
    case "object":
      if (v === null) w.op(0x4e); // NONE
      else if (v instanceof PyFloat) w.float(v.value);
      else if (pythonDatetimeType(v) !== null) saveDatetime(w, v as PyDatetimeValue);
      else if (Array.isArray(v)) saveList(w, v, depth);
      else if (v instanceof Map) saveDict(w, [...(v as Map<unknown, unknown>)], depth);
      else if (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null) {
        saveDict(w, orderedKeys(v).map((k) => [k, (v as Record<string, unknown>)[k]]), depth);
      } else throw new TypeError(`dumpsPickle: a ${(v as object).constructor?.name ?? "object"} is not a JSON-like value`);
      break;
    default:
      throw new TypeError(`dumpsPickle: a ${typeof v} is not a JSON-like value`);
  }
  w.boundary();
}

/** `obj.__reduce_ex__(4)` of a datetime value: the class, the argument tuple, REDUCE; memoized, BINGET when written before. */
function saveDatetime(w: PickleWriter, v: PyDatetimeValue): void {
  const known = w.objects.get(v);
  if (known !== undefined) return w.get(known);
  if (v === PyTimezone.PYTZ_UTC) {
    w.global("pytz", "_UTC");
    w.boundary();
    w.op(0x29); // EMPTY_TUPLE
    w.boundary();
  } else {
    const [name, args] = reduceArgs(v);
    w.global("datetime", name);
    w.boundary();
    for (const arg of args) {
      if (arg instanceof Uint8Array) w.bytes(arg);
      else if (typeof arg === "object") saveDatetime(w, arg);
      else if (typeof arg === "string") w.str(arg, false);
      else w.int(arg);
      w.boundary();
    }
    w.op(0x84 + args.length); // TUPLE1..TUPLE3
    w.memoize();
    w.boundary();
  }
  w.op(0x52); // REDUCE
  w.objects.set(v, w.memoize());
}

type ReduceArg = Uint8Array | PyDatetimeValue | string | number;

/** The class name and arguments CPython's `__reduce_ex__(4)` gives (fold in the month or hour byte, as protocol 4 keeps it). */
function reduceArgs(v: PyDatetimeValue): [string, ReduceArg[]] {
  const zone = (tz: PyTimezone | null): ReduceArg[] => (tz ? [tz] : []);
  if (v instanceof PyDatetime) {
    const us = v.microsecond;
    const state = [v.year >> 8, v.year & 255, v.month | (v.fold << 7), v.day, v.hour, v.minute, v.second, us >> 16, (us >> 8) & 255, us & 255];
    return ["datetime", [Uint8Array.from(state), ...zone(v.tzinfo)]];
  }
  if (v instanceof PyDate) return ["date", [Uint8Array.from([v.year >> 8, v.year & 255, v.month, v.day])]];
  if (v instanceof PyTime) {
    const us = v.microsecond;
    return ["time", [Uint8Array.from([v.hour | (v.fold << 7), v.minute, v.second, us >> 16, (us >> 8) & 255, us & 255]), ...zone(v.tzinfo)]];
  }
  if (v instanceof PyTimedelta) return ["timedelta", [v.days, v.seconds, v.microseconds]];
  return ["timezone", [v.offset, ...(v.name === null ? [] : [v.name])]];
}

function saveList(w: PickleWriter, items: readonly unknown[], depth: number): void {
  w.op(0x5d); // EMPTY_LIST
  w.memoize();
  if (items.length === 1) return (save(w, items[0], depth + 1), w.op(0x61)); // APPEND
  for (let i = 0; i < items.length; ) {
    w.op(0x28); // MARK
    for (const end = Math.min(i + BATCH, items.length); i < end; i++) save(w, items[i], depth + 1);
    w.op(0x65); // APPENDS
  }
}

function saveKey(w: PickleWriter, k: unknown): void {
  if (typeof k !== "string") throw new TypeError("dumpsPickle: session dict keys must be strings");
  w.str(k, true);
  w.boundary();
}

function saveDict(w: PickleWriter, entries: readonly (readonly [unknown, unknown])[], depth: number): void {
  w.op(0x7d); // EMPTY_DICT
  w.memoize();
  if (entries.length === 0) return;
  if (entries.length === 1) return (saveKey(w, entries[0]![0]), save(w, entries[0]![1], depth + 1), w.op(0x73)); // SETITEM
  // CPython's loop ends with an empty MARK/SETITEMS pair when the size is a multiple of 1000.
  let i = 0;
  let inBatch: number;
  do {
    w.op(0x28); // MARK
    for (inBatch = 0; i < entries.length && inBatch < BATCH; i++, inBatch++) {
      saveKey(w, entries[i]![0]);
      save(w, entries[i]![1], depth + 1);
    }
    w.op(0x75); // SETITEMS
  } while (inBatch === BATCH);
}

/** `pickle.dumps(d, 4)` of a session dict (a Map or a plain object). */
export function dumpsPickle(dict: ReadonlyMap<string, unknown> | Record<string, unknown>): Buffer {
  const w = new PickleWriter();
  w.start();
  save(w, dict, 0);
  w.op(0x2e); // STOP
  w.commitFrame();
  return Buffer.from(w.buf.subarray(0, w.len));
}
