// Property-based bad-input suite for the pickle reader (Redis cache entries):
// random bytes, mutated real pickles and random opcode programs give a dict or
// a PickleError (the engine then counts the entry as a miss), in linear time.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dumpsPython } from "../python-json.ts";
import { PyDate, PyDatetime, PyTime, PyTimedelta, PyTimezone } from "../python-values.ts";
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
  // CPython's {"_session_expiry": datetime(2026, 1, 2, 3, 4, 5, tzinfo=pytz.utc), "t": timedelta(days=1)} at protocols 5 and 2
  // (Django 3.2's set_expiry), and {"d": date(2024, 2, 29), "z": timezone(timedelta(hours=2), "X"), "tm": time(1, 2, tzinfo=timezone.utc)} at 4.
  Buffer.from(
    "80059571000000000000007d94288c0f5f73657373696f6e5f657870697279948c086461746574696d65948c086461746574696d65949394430a07ea0102030405000000948c047079" +
      "747a948c045f555443949394295294869452948c01749468028c0974696d6564656c74619493944b014b004b0087945294752e",
    "hex",
  ),
  Buffer.from(
    "80027d7100580f0000005f73657373696f6e5f6578706972797101636461746574696d650a6461746574696d650a7102635f636f646563730a656e636f64650a7103580b00000007c3" +
      "aa0102030405000000710458060000006c6174696e317105867106527107637079747a0a5f5554430a71082952710986710a52710b732e",
    "hex",
  ),
  dumpsPickle({ d: new PyDate(2024, 2, 29), z: PyTimezone.of(new PyTimedelta(0, 7200), "X"), tm: new PyTime(1, 2, 0, 0, PyTimezone.UTC) }),
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
  // Globals (allowed and near misses), datetime states, bytes, REDUCE's arguments.
  fc.constantFrom(
    "cdatetime\ndatetime\n", "cdatetime\ntimedelta\n", "cdatetime\ntimezone\n", "cdatetime\ndate\n", "cpytz\n_UTC\n", "c_codecs\nencode\n",
    "cdatetime\nsys\n", "cos\nsystem\n", "\x8c\x08datetime\x8c\x04time\x93", "\x8c\x04pytz\x8c\x08timezone\x93",
    "C\x04\x07\xe8\x02\x1d", "C\x06\x81\x02\x03\x00\x00\x04", "C\x0a\x07\xea\x01\x02\x03\x04\x05\x00\x00\x00", `B${u32(1)}\x00`, "X\x06\x00\x00\x00latin1",
    "K\x00K\x00K\x00\x87R", ")R", "\x85R", "\x86R",
  ),
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

/** Module and class names around the allowed ones: every pair but the seven allowed is refused, in either opcode. */
const MODULES = ["datetime", "pytz", "_codecs", "os", "posix", "builtins", "__builtin__", "sys", "copyreg", "zoneinfo", "Datetime", "datetime ", "datetime.datetime", ""];
const NAMES = [
  "datetime", "date", "time", "timedelta", "timezone", "_UTC", "encode", "sys", "system", "eval", "exec", "getattr", "timezone.utc", "datetime.fromtimestamp",
  "_p", "utc", "UTC", "__import__", "decode", "tzinfo", "timedelta ", "",
];
const ALLOWED = new Set(["datetime.datetime", "datetime.date", "datetime.time", "datetime.timedelta", "datetime.timezone", "pytz._UTC", "_codecs.encode"]);
const short = (s: string) => `\x8c${String.fromCharCode(s.length)}${s}`;

describe("globals: only the datetime classes, matched exactly", () => {
  it("refuses every near miss (datetime.sys, pytz.timezone, os.system, builtins.eval…) by GLOBAL and STACK_GLOBAL, naming it", () => {
    const pair = fc.tuple(fc.constantFrom(...MODULES), fc.constantFrom(...NAMES)).filter(([m, n]) => !ALLOWED.has(`${m}.${n}`));
    fc.assert(
      fc.property(pair, fc.boolean(), fc.constantFrom("", ")R", "K\x00\x85R"), ([module, name], stack, call) => {
        const global = stack ? `${short(module)}${short(name)}\x93` : `c${module}\n${name}\n`;
        const read = () => loadsPickle(Buffer.from(`\x80\x04}\x8c\x01x${global}${call}s.`, "latin1"));
        expect(read).toThrow(PickleError);
        expect(read).toThrow(`refusing opcode ${stack ? "STACK_GLOBAL" : "GLOBAL"} ${JSON.stringify(`${module}.${name}`)}`);
      }),
      { numRuns: 300 },
    );
  });

  it("keeps an allowed class itself out of the data: a class is not a value", () => {
    for (const allowed of ALLOWED) {
      const [module, name] = [allowed.slice(0, allowed.indexOf(".")), allowed.slice(allowed.indexOf(".") + 1)];
      expect(() => loadsPickle(Buffer.from(`\x80\x04}\x8c\x01x${short(module)}${short(name)}\x93s.`, "latin1"))).toThrow(/a class or a bytes value is not session data/);
    }
  });

  it("reads the real datetime pickles among the seeds (Django 3.2's expiry at protocols 5 and 2)", () => {
    for (const seed of PICKLES.slice(-3, -1)) expect(String(loadsPickle(seed).get("_session_expiry"))).toBe("2026-01-02T03:04:05+00:00");
  });
});

const TZ = fc.oneof(
  fc.constantFrom(null, PyTimezone.UTC, PyTimezone.PYTZ_UTC),
  fc.tuple(fc.integer({ min: -86_399_999_999, max: 86_399_999_999 }), fc.option(fc.string({ maxLength: 5 }))).map(([us, name]) => PyTimezone.of(new PyTimedelta(0, 0, us), name)),
);
const DATETIME_VALUE = fc.oneof(
  fc.tuple(fc.date({ min: new Date("0001-01-01T00:00:00Z"), max: new Date("9999-12-30T00:00:00Z"), noInvalidDate: true }), fc.integer({ min: 0, max: 999 }), TZ, fc.constantFrom(0, 1) as fc.Arbitrary<0 | 1>).map(
    ([d, us, tz, fold]) => new PyDatetime(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds() * 1000 + us, tz, fold),
  ),
  fc.date({ min: new Date("0001-01-01T00:00:00Z"), max: new Date("9999-12-31T00:00:00Z"), noInvalidDate: true }).map((d) => new PyDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate())),
  fc.tuple(fc.integer({ min: 0, max: 86_399_999_999 }), TZ).map(([us, tz]) => new PyTime(Math.floor(us / 3_600_000_000), Math.floor(us / 60_000_000) % 60, Math.floor(us / 1e6) % 60, us % 1e6, tz)),
  fc.tuple(fc.integer({ min: -999_999_999, max: 999_999_999 }), fc.integer({ min: 0, max: 86_399 }), fc.integer({ min: 0, max: 999_999 })).map(([d, s, us]) => new PyTimedelta(d, s, us)),
  TZ.filter((tz) => tz !== null),
);

describe("round trip", () => {
  it("datetime values, alone and inside lists and dicts, come back equal and of the same classes (utc singletons as themselves)", () => {
    const data = fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(DATETIME_VALUE, fc.array(DATETIME_VALUE, { maxLength: 3 }), fc.dictionary(fc.constantFrom("a", "b"), DATETIME_VALUE, { noNullPrototype: true })), { maxKeys: 5, noNullPrototype: true });
    fc.assert(
      fc.property(data, (d) => {
        const back = Object.fromEntries(loadsPickle(dumpsPickle(d)));
        expect(back).toStrictEqual(d);
        for (const k of Object.keys(d)) {
          const v = d[k];
          if (v === PyTimezone.UTC || v === PyTimezone.PYTZ_UTC) expect(back[k]).toBe(v);
        }
      }),
      { numRuns: 300 },
    );
  });

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
