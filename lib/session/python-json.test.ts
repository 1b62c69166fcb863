import { describe, expect, it } from "vitest";
import { PYTHON_KEY_ORDER, PyFloat, dumpsPython, formatPythonFloat, loadsPython } from "./python-json.ts";
import { loadVector, str } from "../../test/fixtures/django-vectors.ts";

const SERIALIZER_VECTORS = ["scalars", "floats_repr", "big_int", "nan_infinity", "key_order", "unicode", "escapes", "nested", "large_compressible", "large_random_text"];

describe("dumpsPython / loadsPython against Django's serialized bytes", () => {
  it.each(SERIALIZER_VECTORS)("%s round-trips byte for byte", (name) => {
    const serialized = str(loadVector("db.json", name), "serialized");
    expect(dumpsPython(loadsPython(serialized))).toBe(serialized);
  });

  it("reads floats_repr with Python's types and writes them back as Python floats", () => {
    const data = loadsPython(str(loadVector("db.json", "floats_repr"), "serialized")) as Record<string, unknown>;
    expect(data.one).toEqual(new PyFloat(1));
    expect(data.huge).toEqual(new PyFloat(1e22));
    expect(Object.is((data.neg0 as PyFloat).value, -0)).toBe(true);
    expect(data.tiny).toBe(1e-7);
    expect(data.third).toBe(1 / 3);
  });

  it("keeps every digit of big ints as bigint", () => {
    const data = loadsPython(str(loadVector("db.json", "big_int"), "serialized")) as Record<string, unknown>;
    expect(data.big).toBe(18446744073709551616n);
    expect(data.max_safe).toBe(9007199254740991);
  });

  it("reads NaN and Infinity as Python does", () => {
    const data = loadsPython(str(loadVector("db.json", "nan_infinity"), "serialized")) as Record<string, number>;
    expect(data.nan).toBeNaN();
    expect(data.inf).toBe(Infinity);
    expect(data.ninf).toBe(-Infinity);
  });

  it("keeps integer-like key order that a JS object cannot", () => {
    const data = loadsPython('{"z":1,"10":4,"2":5}') as Record<string, unknown>;
    expect(Object.keys(data)).toEqual(["2", "10", "z"]);
    expect(dumpsPython(data)).toBe('{"z":1,"10":4,"2":5}');
    delete data["10"];
    data.new = 6;
    expect(dumpsPython(data)).toBe('{"z":1,"2":5,"new":6}');
  });

  it("writes the unicode vector's decoded strings as Django did", () => {
    const v = loadVector("db.json", "unicode");
    expect(dumpsPython(v.decoded)).toBe(str(v, "serialized"));
  });
});

describe("dumpsPython", () => {
  it("writes Maps as dicts in insertion order, integer-like keys included", () => {
    expect(dumpsPython(new Map<string, unknown>([["z", 1], ["10", [true, null]], ["2", "é"]]))).toBe('{"z":1,"10":[true,null],"2":"\\u00e9"}');
  });

  it.each([
    [1e-5, "1e-05"], [1e16, "1e+16"], [0.0001, "0.0001"], [123.456, "123.456"], [1.2345678901234568e17, "1.2345678901234568e+17"],
    [-2.5e-10, "-2.5e-10"], [1e15 + 0.5, "1000000000000000.5"], [5e-324, "5e-324"], [1.7976931348623157e308, "1.7976931348623157e+308"],
  ])("formats the float %s as Python's repr %s", (x, expected) => {
    expect(formatPythonFloat(x)).toBe(expected);
  });

  it("writes integral JS numbers as ints, PyFloat as floats, bigint exactly", () => {
    expect(dumpsPython([1, -0, 2 ** 60, new PyFloat(100), new PyFloat(1e16), 12345678901234567890n, 0.5])).toBe(
      "[1,0,1152921504606846976,100.0,1e+16,12345678901234567890,0.5]",
    );
  });

  it("escapes like ensure_ascii: DEL, U+2028, lone and paired surrogates, lower-case hex", () => {
    expect(dumpsPython("\x7f\u2028\ud800😀\u00ff\x01\n/")).toBe('"\\u007f\\u2028\\ud800\\ud83d\\ude00\\u00ff\\u0001\\n/"');
  });

  it.each([
    ["undefined", { a: undefined }],
    ["a function", { a: () => 1 }],
    ["a symbol", [Symbol("x")]],
    ["a Date", { when: new Date(0) }],
    ["a class instance", { set: new Set([1]) }],
  ])("refuses %s with a TypeError", (_label, value) => {
    expect(() => dumpsPython(value)).toThrow(TypeError);
  });

  it("tells callers how to store a Date", () => {
    expect(() => dumpsPython(new Map([["d", new Date(0)]]))).toThrow(/toISOString/);
  });
});

describe("loadsPython", () => {
  it("accepts whitespace and rejects trailing garbage or invalid JSON", () => {
    expect(loadsPython(' {"foo": "bar", "n": [1, 2]}\n')).toEqual({ foo: "bar", n: [1, 2] });
    for (const bad of ['{"a":1}x', "", "{'a':1}", "[1,]", "01", '"\\x"', "nan", "{\"a\":1.0} 2"]) {
      expect(() => loadsPython(bad), bad).toThrow(SyntaxError);
    }
  });

  it("reads integral floats in any spelling as PyFloat, and other floats as numbers", () => {
    expect(loadsPython("[1.5e3,2E-1,1e400,-0.0]")).toEqual([new PyFloat(1500), 0.2, new PyFloat(Infinity), new PyFloat(-0)]);
    expect(dumpsPython(loadsPython("[1.5e3,2E-1,1e400,-0.0]"))).toBe("[1500.0,0.2,Infinity,-0.0]");
  });

  it("keeps __proto__ as an own data key", () => {
    const data = loadsPython('{"__proto__":{"x":1},"10":2}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(Object.hasOwn(data, "__proto__")).toBe(true);
    expect(dumpsPython(data)).toBe('{"__proto__":{"x":1},"10":2}');
  });

  it("records key order only when JS would lose it", () => {
    const plain = loadsPython('{"2":1,"10":2, "a":3}') as object;
    expect(PYTHON_KEY_ORDER in plain).toBe(false);
  });

  it("round-trips generated Python-style documents byte for byte", () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const atoms = ["1.0", "-0.0", "1e-07", "0.1", "3", "-12", "18446744073709551616", "NaN", "-Infinity", "true", "null", '"caf\\u00e9"', '"\\ud83d\\ude00"', '"a\\"b\\\\"'];
    const gen = (depth: number): string => {
      const r = rand();
      if (depth > 3 || r < 0.5) return atoms[Math.floor(rand() * atoms.length)]!;
      const n = Math.floor(rand() * 4);
      if (r < 0.75) return "[" + Array.from({ length: n }, () => gen(depth + 1)).join(",") + "]";
      const keys = ["z", "10", "2", "a", "0", "-1", "01"].slice(0, n + 1);
      return "{" + keys.map((k) => `"${k}":${gen(depth + 1)}`).join(",") + "}";
    };
    for (let i = 0; i < 300; i++) {
      const doc = gen(0);
      expect(dumpsPython(loadsPython(doc))).toBe(doc);
    }
  });
});
