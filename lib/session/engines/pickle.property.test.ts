// Property-based bad-input suite for the pickle reader (Redis cache entries):
// random bytes, mutated real pickles and random opcode programs give a dict or
// a PickleError (the engine then counts the entry as a miss), in linear time.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dumpsPython } from "../python-json.ts";
import { dumpsPickle } from "./pickle.ts";
import { PickleError, loadsPickle } from "./pickle-read.ts";
import { LINEAR_RUNS, expectLinearWork, mutatedBytes, pump, pumped, sessionData } from "../../../test/helpers/fuzz.ts";
import { loadVectors } from "../../../test/fixtures/django-vectors.ts";

// Real pickles: what this writer makes of Django's session dicts (byte-identical to CPython's,
// see pickle.test.ts), and CPython's own with a shared list, a tuple and integer-like keys.
const PICKLES = [
  ...["db.json", "signed_cookies.json", "cache.json", "legacy.json"]
    .flatMap((f) => loadVectors(f))
    .filter((v) => typeof v.decoded === "object" && v.decoded !== null && !Array.isArray(v.decoded))
    .map((v) => dumpsPickle(v.decoded as Record<string, unknown>)),
  Buffer.from("80049514000000000000007d94288c0161945d944b01618c0162946802752e", "hex"),
  Buffer.from(
    "8004953f000000000000007d94288c0174944b014b0286948c016e947d94288c023130944b018c0132944b028c0161944b03758c095f5f70726f746f5f5f947d948c0178944b0173752e",
    "hex",
  ),
];

function loadsOrPickleError(bytes: Uint8Array): void {
  try {
    expect(loadsPickle(bytes)).toBeInstanceOf(Map);
  } catch (error) {
    expect(error, String(error)).toBeInstanceOf(PickleError);
  }
}

const u32 = (n: number) => String.fromCharCode(n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24);
/** Opcodes with their arguments, as latin-1 text: containers, marks, memo, DUP, numbers, strings and refused ones. */
const OPCODE = fc.oneof(
  fc.constantFrom("}", "]", ")", "(", "d", "l", "t", "\x85", "\x86", "\x87", "s", "u", "a", "e", "\x94", "0", "1", "2", "N", "\x88", "\x89", ".", "c", "R", "b"),
  fc.integer({ min: 0, max: 3 }).map((i) => `q${String.fromCharCode(i)}`),
  fc.integer({ min: 0, max: 3 }).map((i) => `h${String.fromCharCode(i)}`),
  fc.integer({ min: 0, max: 3 }).map((i) => `j${u32(i)}`),
  fc.integer({ min: 0, max: 255 }).map((i) => `K${String.fromCharCode(i)}`),
  fc.constantFrom("M\x01\x02", "J\xff\xff\xff\xff", "\x8a\x02\xff\x7f", "\x8a\x09\x01\x00\x00\x00\x00\x00\x00\x00\x80", `\x8b${u32(3)}\x01\x02\x03`, "G\x3f\xf0\x00\x00\x00\x00\x00\x00"),
  fc.constantFrom("\x8c\x01a", "\x8c\x0210", "\x8c\x012", "\x8c\x09__proto__", `X${u32(2)}\xc3\xa9`, `X${u32(3)}\xed\xa0\x80`, `\x95${u32(9)}${u32(0)}`),
);
const PROGRAM = fc.array(OPCODE, { maxLength: 40 }).map((ops) => ops.join(""));
const asPickle = (body: string) => Buffer.from(`\x80\x04}${body}.`, "latin1");

const KEY = fc.constantFrom("\x8c\x01a", "\x8c\x0210", "\x8c\x012", "\x8c\x09__proto__", "K\x07");
/**
 * Well-formed value programs (each leaves one value on the stack), so the
 * fuzzing reaches deep: nested lists, tuples and dicts, memo puts and gets,
 * DUP pairs, ints, floats and strings.
 */
const VALUE = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom("N", "\x88", "K\x05", "\x8c\x01a", "\x8a\x02\xff\x7f", "G\x3f\xf0\x00\x00\x00\x00\x00\x00", "]", ")", "}", "h\x00", "h\x01"),
    fc.array(tie("value"), { maxLength: 4 }).map((items) => `(${items.join("")}l`),
    fc.array(tie("value"), { maxLength: 4 }).map((items) => `(${items.join("")}t`),
    fc.array(tie("value"), { maxLength: 4 }).map((items) => `](${items.join("")}e`),
    fc.array(fc.tuple(KEY, tie("value")), { maxLength: 3 }).map((pairs) => `}(${pairs.flat().join("")}u`),
    tie("value").map((v) => `${v}\x94`),
    tie("value").map((v) => `${v}2\x86`),
  ),
})).value;
const DICT_BODY = fc.array(fc.tuple(KEY, VALUE), { maxLength: 4 }).map((pairs) => `(${pairs.flat().join("")}u`);
/** Programs that turn the value on top of the stack into another one: repeated, they nest, share and double. */
const TRANSFORMER = fc.array(fc.constantFrom("2\x86", "22\x87", "\x85", "\x94", "\x940h\x00", "]\x94(h\x00h\x00e0", "}\x8c\x01a", "s"), { minLength: 1, maxLength: 4 }).map((t) => t.join(""));

describe("loadsPickle on bad input: a dict or a PickleError", () => {
  it("random bytes", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), loadsOrPickleError), { numRuns: 500 });
  });

  it("real pickles with byte-wise mutations", () => {
    fc.assert(fc.property(mutatedBytes(PICKLES), loadsOrPickleError), { numRuns: 500 });
  });

  it("random opcode programs", () => {
    fc.assert(fc.property(PROGRAM, (body) => loadsOrPickleError(asPickle(body))), { numRuns: 1000 });
  });

  it("well-formed programs of nested, shared and memoised values", () => {
    fc.assert(fc.property(DICT_BODY, (body) => loadsOrPickleError(asPickle(body))), { numRuns: 1000 });
  });
});

describe("round trip", () => {
  it("loadsPickle(dumpsPickle(data)) is the data, in order", () => {
    fc.assert(
      fc.property(sessionData, (data) => {
        const back = loadsPickle(dumpsPickle(data));
        expect(back).toEqual(data);
        expect(dumpsPython(back)).toBe(dumpsPython(data));
      }),
      { numRuns: 300 },
    );
  });
});

describe("linear work", () => {
  it("on pumped opcode programs", () => {
    fc.assert(
      fc.property(pumped(PROGRAM), (p) => expectLinearWork((size) => asPickle(pump(p, size)), loadsPickle)),
      LINEAR_RUNS(40),
    );
  });

  it("on a value transformed over and over (nesting, sharing, doubling through DUP and the memo)", () => {
    const program = fc.record({ prefix: fc.tuple(KEY, VALUE).map(([k, v]) => k + v), unit: TRANSFORMER, suffix: fc.constantFrom("s", "s(u", "") });
    fc.assert(
      fc.property(program, (p) => expectLinearWork((size) => asPickle(pump(p, size)), loadsPickle)),
      LINEAR_RUNS(40),
    );
  });
});
