// Property-based bad-input suite for the Python JSON reader (python-json-parse.ts)
// and round trips with the writer: any text gives a value or a SyntaxError (what
// Python's ValueError becomes), in linear time, and never a value a writer could
// not write back (nesting and integer size are Python's own limits).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dumpsPython, loadsPython } from "./python-json.ts";
import { anyText, LINEAR_RUNS, expectLinearWork, mutatedText, pump, pumped, pythonJsonValue } from "../../test/helpers/fuzz.ts";
import { loadVectors } from "../../test/fixtures/django-vectors.ts";

const TEXTS = ["db.json", "file.json", "signed_cookies.json", "legacy.json", "other_key.json"]
  .flatMap((f) => loadVectors(f))
  .flatMap((v) => [v.serialized, typeof v.decoded === "object" && v.decoded !== null ? dumpsPython(v.decoded) : undefined])
  .filter((s): s is string => typeof s === "string");

/** A value or a SyntaxError; anything else escaping is a bug. */
function parseOrSyntaxError(text: string): unknown {
  try {
    return loadsPython(text);
  } catch (error) {
    expect(error).toBeInstanceOf(SyntaxError);
    return undefined;
  }
}

function depthOf(v: unknown): number {
  if (typeof v !== "object" || v === null) return 0;
  let deepest = 0;
  for (const x of Object.values(v)) deepest = Math.max(deepest, depthOf(x));
  return deepest + 1;
}

describe("loadsPython on bad input: a value or a SyntaxError", () => {
  it("random text", () => {
    fc.assert(fc.property(anyText, (t) => void parseOrSyntaxError(t)), { numRuns: 500 });
  });

  it("Django's serialized sessions with byte-wise mutations; whatever parses can be written back", () => {
    fc.assert(
      fc.property(mutatedText(TEXTS), (t) => {
        const value = parseOrSyntaxError(t);
        if (value !== undefined) expect(typeof dumpsPython(value)).toBe("string");
      }),
      { numRuns: 500 },
    );
  });
});

describe("limits Python's own json module has", () => {
  it("nesting deeper than 1000 is a SyntaxError on the fast path too (the writers recurse)", () => {
    for (const [open, close] of [["[", "]"], ['{"a":', "}"]]) {
      expect(() => loadsPython(open!.repeat(100_000) + close!.repeat(100_000))).toThrow(/Nesting too deep/);
      expect(depthOf(loadsPython(open!.repeat(1000) + "1" + close!.repeat(1000)))).toBe(1000);
      expect(() => loadsPython(open!.repeat(1001) + "1" + close!.repeat(1001))).toThrow(/Nesting too deep/);
    }
    // Brackets inside strings are not nesting.
    expect(loadsPython(`{"a":"${"[".repeat(5000)}"}`)).toEqual({ a: "[".repeat(5000) });
  });

  it("an integer of more than 4300 digits is a SyntaxError, as Python 3.11+ refuses to convert it", () => {
    expect(loadsPython(`{"n":${"7".repeat(4300)}}`)).toEqual({ n: BigInt("7".repeat(4300)) });
    expect(() => loadsPython(`{"n":${"7".repeat(4301)}}`)).toThrow(/Exceeds the limit \(4300 digits\)/);
    expect(() => loadsPython(`[-${"7".repeat(100_000)}]`)).toThrow(/Exceeds the limit/);
  });
});

describe("round trips", () => {
  it("loadsPython(dumpsPython(v)) equals v, and the text is a fixed point", () => {
    fc.assert(
      fc.property(pythonJsonValue, (v) => {
        const text = dumpsPython(v);
        const back = loadsPython(text);
        expect(back).toEqual(v);
        expect(dumpsPython(back)).toBe(text);
      }),
      { numRuns: 400 },
    );
  });
});

const JSON_PIECES = fc.string({
  unit: fc.constantFrom("[", "]", "{", "}", '"', '"a":', '"1":', ":", ",", " ", "\n", "1", "0", "-", ".", "e", "E", "+", "5", "1.0", "NaN", "Infinity", "-Infinity", "true", "null", "\\", "\\u00", "\\ud83d", "\\\\", "é", "\u2028"),
  maxLength: 8,
});

describe("linear work", () => {
  it("on pumped texts", () => {
    fc.assert(fc.property(pumped(JSON_PIECES), (p) => expectLinearWork((size) => pump(p, size), (t) => loadsPython(t))), LINEAR_RUNS(60));
  });

  it("on long numbers, strings, escapes and nesting", () => {
    for (const p of [
      { prefix: "[", unit: "9", suffix: "]" },
      { prefix: "[-", unit: "9", suffix: ".5e5]" },
      { prefix: '["', unit: "\\u00e9", suffix: '"]' },
      { prefix: "", unit: "[", suffix: "" },
      { prefix: "", unit: "[1,", suffix: "" },
      { prefix: "{", unit: '"10":1,', suffix: '"a":2}' },
    ]) {
      expectLinearWork((size) => pump(p, size), (t) => loadsPython(t));
    }
  });
});
