// The JSON.parse fast path of loadsPython (python-json-parse.ts) against the
// Python-faithful parser: on every text, valid or not, both give the same value
// (same types, -0, bigints, PyFloats, key order) or the same SyntaxError.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PYTHON_KEY_ORDER, PyFloat, dumpsPython } from "./python-json.ts";
import { loadsPython, loadsPythonAs, needsFullParser } from "./python-json-parse.ts";
import { anyText, mutatedText, pythonJsonValue } from "../../test/helpers/fuzz.ts";
import { loadVectors } from "../../test/fixtures/django-vectors.ts";

/** Every observable part of a parsed value, as text: a difference anywhere changes it. */
function portrait(v: unknown): string {
  if (typeof v === "number") return Object.is(v, -0) ? "-0" : String(v);
  if (typeof v === "bigint") return `${v}n`;
  if (typeof v === "string") return JSON.stringify(v);
  if (v instanceof PyFloat) return `PyFloat(${Object.is(v.value, -0) ? "-0" : v.value})`;
  if (Array.isArray(v)) return `[${v.map(portrait).join(",")}]`;
  if (typeof v === "object" && v !== null) {
    const proto = Object.getPrototypeOf(v) === Object.prototype ? "" : "!proto";
    const order = (v as { [PYTHON_KEY_ORDER]?: string[] })[PYTHON_KEY_ORDER];
    const entries = Object.keys(v).map((k) => `${JSON.stringify(k)}:${portrait((v as Record<string, unknown>)[k])}`);
    return `{${proto}${order ? `order=${JSON.stringify(order)};` : ""}${entries.join(",")}}`;
  }
  return String(v);
}

function outcome(read: () => unknown): string {
  try {
    return portrait(read());
  } catch (error) {
    expect(error).toBeInstanceOf(SyntaxError);
    return `SyntaxError: ${(error as Error).message}`;
  }
}

/** loadsPython (which picks JSON.parse when the pre-scan allows) against the full parser alone; and the fast path itself wherever it is picked. */
function expectSamePaths(text: string): void {
  const slow = outcome(() => loadsPythonAs(text, true));
  expect(outcome(() => loadsPython(text))).toBe(slow);
  if (!needsFullParser(text)) expect(outcome(() => loadsPythonAs(text, false))).toBe(slow);
}

/** Number literals where JSON.parse and Python part ways, and their harmless neighbours. */
const trickyNumber: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "-0", "0", "-0.0", "0.0", "1.0", "1.00", "1.005", "-1.50", "1e5", "1E+5", "1e-5", "2.5e-7", "1.5e3", "1e400", "-1e400", "5e-324", "1e-400",
    "NaN", "Infinity", "-Infinity", "9007199254740991", "9007199254740992", "-9007199254740993", "123456789012345", "1234567890123456",
    "0.6428571428571428", "0.1", "9.99", "1.9999999999999999", "1.9999999999999998", "12345678901234567.5", "123456789012345.5",
    "99999999999999.99", "999999999999999.9", "4503599627370495.5", "4503599627370496.5", "100000000000000000000", "-00", "01", "1.", ".5", "1e", "--1", "1.2.3",
    "0.9999999999999999", "0.99999999999999999", "9.9999999999999999", "1764067337.9999999", "1764067337.99999999", "99999999999999.99999",
    "0.00000000000000001", "123456789012345.00000001", "-1.0000000000000001", "1764067337.1234567",
  ),
  // Near-integers: fractions of nines and zeros after integer parts of every length, where rounding decides.
  fc.tuple(fc.boolean(), fc.stringMatching(/^[1-9]\d{0,17}$/), fc.stringMatching(/^[09]{1,20}[0-9]?$/)).map(([neg, int, frac]) => `${neg ? "-" : ""}${int}.${frac}`),
  fc.double({ noNaN: true }).map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Number.isInteger(x)).map((x) => dumpsPython(x)),
  fc.tuple(fc.boolean(), fc.stringMatching(/^[1-9]\d{0,24}$/), fc.option(fc.stringMatching(/^\d{1,22}$/)), fc.option(fc.stringMatching(/^[eE][-+]?\d{1,3}$/))).map(
    ([neg, int, frac, exp]) => `${neg ? "-" : ""}${int}${frac === null ? "" : "." + frac}${exp ?? ""}`,
  ),
);

const space = fc.constantFrom("", "", " ", "\n", "\t ", "\r\n");
const trickyKey = fc.constantFrom("a", "10", "2", "0", "01", "-1", "4294967295", "4294967294", "__proto__", "\\u0031", "1\\u00302", "a:1.0", "x,1e5", "é");

/** Texts built from tricky tokens: arrays and objects (duplicate and integer-like keys included), random whitespace. */
const trickyText: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    trickyNumber,
    fc.constantFrom("true", "null", '"s"', '"1.0"', '"[1e5"', '"\\ud800"', '"\\u0000"', '"a\\"b"'),
    fc.tuple(space, fc.array(fc.tuple(space, tie("value"), space), { maxLength: 5 })).map(([s, xs]) => `[${s}${xs.map((x) => x.join("")).join(",")}]`),
    fc.array(fc.tuple(space, trickyKey, space, tie("value")), { maxLength: 5 }).map((kv) => `{${kv.map(([s, k, t, v]) => `${s}"${k}"${t}:${v}`).join(",")}}`),
  ),
})).value;

const VECTOR_TEXTS = ["db.json", "file.json", "signed_cookies.json", "legacy.json", "other_key.json"]
  .flatMap((f) => loadVectors(f))
  .map((v) => v.serialized)
  .filter((s): s is string => typeof s === "string");

describe("the JSON.parse fast path reads exactly what the Python-faithful parser reads", () => {
  it("on what Python writes (dumpsPython of any value Python's JSON round-trips)", () => {
    fc.assert(fc.property(pythonJsonValue, (v) => expectSamePaths(dumpsPython(v))), { numRuns: 1000 });
  });

  it("on texts of tricky numbers, keys and whitespace", () => {
    fc.assert(fc.property(trickyText, expectSamePaths), { numRuns: 3000 });
  });

  it("on Django's vectors, mutated byte by byte, and on any text (same value or the same error)", () => {
    fc.assert(fc.property(mutatedText(VECTOR_TEXTS), expectSamePaths), { numRuns: 1000 });
    fc.assert(fc.property(anyText, expectSamePaths), { numRuns: 500 });
  });

  it("on nesting around Python's limit of 1000", () => {
    for (const depth of [999, 1000, 1001, 5000]) expectSamePaths("[".repeat(depth) + "1" + "]".repeat(depth));
  });
});

describe("the pre-scan sends only what needs it to the full parser", () => {
  it.each([
    ['{"ratio":0.6428571428571428,"price":9.99,"n":[1,2,3],"t":-2.5e-7}', false],
    ['{"big":12345678901234567}', true],
    ['{"x":1.0}', true],
    ['{"x":1e5}', true],
    ['{"x":1.9999999999999999}', true],
    ['{"x":-0}', true],
    ['{"x":NaN}', true],
    ['{"10":1}', true],
    ['{"s":"1.0 and 1e5 in a string"}', false],
    ['{"s":"a:1.0","t":"\\"1e5"}', false], // strings are skipped, escaped quotes included
    ['{"a":{"b":[0.1,{"c":-0}]}}', true],
    ['{"t":1764067337.1234567,"u":0.9999999999999999}', false], // 17-digit reprs decided from their digits
    ['{"n":-0.0}', true],
    ['{"n":123456789012345678}', true],
  ])("%s → full parser: %s", (text, full) => {
    expect(needsFullParser(text)).toBe(full);
  });

  it("an invalid text's error is Python's on both paths", () => {
    expect(() => loadsPython('{"a":1,}')).toThrow("Expecting property name enclosed in double quotes: line 1 column 8 (char 7)");
  });
});
