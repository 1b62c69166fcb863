// The pickle reader's work is linear in its input whatever the bytes: shared
// references cannot blow up, deep nesting and huge integers are refused.
import { describe, expect, it } from "vitest";
import { dumpsPython } from "../python-json.ts";
import { MAX_PICKLE_EXPANDED_SIZE, MAX_PICKLE_INT_BYTES, MAX_PICKLE_NESTING, PickleError, loadsPickle } from "./pickle-read.ts";

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};
const op = (code: number, ...args: Buffer[]) => Buffer.concat([Buffer.from([code]), ...args]);
const text = (s: string) => op(0x58, u32(Buffer.byteLength(s)), Buffer.from(s)); // BINUNICODE
const PROTO = Buffer.from([0x80, 0x04]);
const [EMPTY_DICT, EMPTY_LIST, MARK, APPENDS, APPEND, SETITEM, MEMOIZE, POP, DUP, TUPLE2, STOP] = [0x7d, 0x5d, 0x28, 0x65, 0x61, 0x73, 0x94, 0x30, 0x32, 0x86, 0x2e].map((c) => op(c));
const longGet = (i: number) => op(0x6a, u32(i)); // LONG_BINGET

/** `{"a": <value ops>}` as a whole pickle. */
const dictOf = (...value: Buffer[]) => Buffer.concat([PROTO, EMPTY_DICT!, text("a"), ...value, SETITEM!, STOP!]);

/** `x0 = []; x(i+1) = [x(i), x(i)]`, through the memo (LONG_BINGET): 2^depth leaves once shared references are followed. */
function memoDoubling(depth: number): Buffer {
  const ops = [EMPTY_LIST!, MEMOIZE!, POP!];
  for (let i = 0; i < depth; i++) ops.push(EMPTY_LIST!, MARK!, longGet(i), longGet(i), APPENDS!, MEMOIZE!, POP!);
  return dictOf(...ops, longGet(depth));
}

/** `t = (); t = (t, t)` repeated through DUP: the same blow-up without the memo. */
const dupDoubling = (depth: number) => dictOf(op(0x29), ...Array.from({ length: depth }, () => Buffer.concat([DUP!, TUPLE2!])));

const LONG4 = (bytes: Buffer) => op(0x8b, u32(bytes.length), bytes);

function timed<T>(run: () => T): { value: T | Error; ms: number } {
  const started = performance.now();
  let value: T | Error;
  try {
    value = run();
  } catch (error) {
    value = error as Error;
  }
  return { value, ms: performance.now() - started };
}

// Generous bounds for a loaded machine: the fixed reader takes milliseconds;
// the exponential or quadratic one takes hours.
const QUICK_MS = 3000;

describe("shared references cannot make the reader exponential", () => {
  it("a list holding a memoised list twice, nested 40 deep, is refused quickly", () => {
    const { value, ms } = timed(() => loadsPickle(memoDoubling(40)));
    expect(value).toBeInstanceOf(PickleError);
    expect((value as Error).message).toMatch(/expands to more than \d+ values and characters/);
    expect(ms).toBeLessThan(QUICK_MS);
  });

  it("the same with DUP and tuples, 60 deep", () => {
    const { value, ms } = timed(() => loadsPickle(dupDoubling(60)));
    expect((value as Error).message).toMatch(/expands to more than/);
    expect(ms).toBeLessThan(QUICK_MS);
  });

  it("moderate sharing still loads, each shared list once and by reference", () => {
    const loaded = loadsPickle(memoDoubling(10));
    let level = loaded.get("a") as unknown[];
    for (let i = 0; i < 10; i++) {
      expect(level).toHaveLength(2);
      expect(level[0]).toBe(level[1]);
      level = level[0] as unknown[];
    }
    expect(level).toEqual([]);
    // 2^10 empty leaves: what Django's JSON serializer would write too.
    expect(dumpsPython(loaded)).toBe(`{"a":${nestedPairs(10)}}`);
  });

  it("shared tuples come back as one array each, shared by reference", () => {
    const loaded = loadsPickle(dupDoubling(3));
    const top = loaded.get("a") as unknown[];
    expect(Array.isArray(top) && !Object.isFrozen(top)).toBe(true);
    expect(top[0]).toBe(top[1]);
    expect(dumpsPython(loaded)).toBe(`{"a":${nestedPairs(3)}}`);
  });

  it("a long string repeated through the memo counts once per use", () => {
    const long = "x".repeat(64 * 1024);
    const uses = Math.ceil(MAX_PICKLE_EXPANDED_SIZE / long.length) + 1;
    const pickle = dictOf(text(long), MEMOIZE!, POP!, EMPTY_LIST!, MARK!, ...Array<Buffer>(uses).fill(longGet(0)), APPENDS!);
    expect(pickle.length).toBeLessThan(MAX_PICKLE_EXPANDED_SIZE / 16);
    expect(() => loadsPickle(pickle)).toThrow(/expands to more than/);
  });
});

describe("nesting and integers are bounded", () => {
  it(`nesting deeper than ${MAX_PICKLE_NESTING} is refused, not left to overflow the stack later`, () => {
    const depth = 100_000;
    const pickle = dictOf(Buffer.alloc(depth, EMPTY_LIST![0]), Buffer.alloc(depth - 1, APPEND![0]));
    const { value, ms } = timed(() => loadsPickle(pickle));
    expect((value as Error).message).toMatch(/nested more than 1000 deep/);
    expect(ms).toBeLessThan(QUICK_MS);
    // Exactly at the limit it still loads.
    const ok = dictOf(Buffer.alloc(MAX_PICKLE_NESTING, EMPTY_LIST![0]), Buffer.alloc(MAX_PICKLE_NESTING - 1, APPEND![0]));
    expect(dumpsPython(loadsPickle(ok))).toBe(`{"a":${"[".repeat(MAX_PICKLE_NESTING)}${"]".repeat(MAX_PICKLE_NESTING)}}`);
  });

  it("a 1 MB LONG4 is refused quickly (Python cannot write it as JSON either)", () => {
    const { value, ms } = timed(() => loadsPickle(dictOf(LONG4(Buffer.alloc(1 << 20, 0x5a)))));
    expect((value as Error).message).toMatch(/integer of 1048576 bytes/);
    expect(ms).toBeLessThan(QUICK_MS);
  });

  it(`integers up to ${MAX_PICKLE_INT_BYTES} bytes read exactly, positive and negative`, () => {
    const bytes = Buffer.alloc(MAX_PICKLE_INT_BYTES, 0xa7);
    bytes[bytes.length - 1] = 0x12;
    const expected = BigInt("0x" + Buffer.from(bytes).reverse().toString("hex"));
    expect(loadsPickle(dictOf(LONG4(bytes))).get("a")).toBe(expected);
    bytes[bytes.length - 1] = 0xf2;
    const negative = BigInt("0x" + Buffer.from(bytes).reverse().toString("hex")) - (1n << BigInt(bytes.length * 8));
    expect(loadsPickle(dictOf(LONG4(bytes))).get("a")).toBe(negative);
    expect(loadsPickle(dictOf(LONG4(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f])))).get("a")).toBe(2n ** 55n - 1n);
    expect(loadsPickle(dictOf(LONG4(Buffer.from([0x00, 0x00, 0x00, 0x00, 0x00, 0x80])))).get("a")).toBe(-(2 ** 47));
  });
});

function nestedPairs(depth: number): string {
  return depth === 0 ? "[]" : `[${nestedPairs(depth - 1)},${nestedPairs(depth - 1)}]`;
}
