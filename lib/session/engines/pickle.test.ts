// Byte-exactness against real CPython: every case is pickled by /usr/bin/python3.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { dumpsPython, loadsPython, orderedKeys } from "../python-json.ts";
import { PyFloat } from "../python-values.ts";
import { dumpsPickle, loadsPickle } from "./pickle.ts";

const PYTHON = "/usr/bin/python3";
const hasPython = existsSync(PYTHON);
if (!hasPython && process.env.CI === "true") throw new Error(`pickle tests: ${PYTHON} is required under CI`);
if (!hasPython) console.warn(`\n*** pickle byte-exactness tests SKIPPED: ${PYTHON} not found ***\n`);

function python(script: string, input: unknown): unknown {
  const result = spawnSync(PYTHON, ["-c", script], { input: JSON.stringify(input), encoding: "utf8", maxBuffer: 64 << 20 });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout);
}

const big = (n: number) => JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i])));
const DOCS = [
  `{"foo":"bar"}`,
  `{}`,
  `{"a":"a","b":"","c":"\\u00e9","d":"ab","e":{"a":1,"d":"d"},"xy":"xy"}`,
  `{"emoji":"\\ud83d\\ude00","cjk":"\\u6f22\\u5b57","lone":"\\ud800x","nul":"\\u0000"}`,
  `{"ints":[0,1,255,256,65535,65536,-1,-128,-129,2147483647,2147483648,-2147483648,-2147483649]}`,
  `{"big":[9007199254740993,-9007199254740993,18446744073709551616,-18446744073709551616,1180591620717411303424,-549755813888]}`,
  `{"huge":${"9".repeat(700)},"neg":-${"1".repeat(650)}}`,
  `{"floats":[1.5,-0.1,1e300,1.0,-0.0,0.0,2.5e-7,123456789.125]}`,
  `{"nested":{"list":[[],[1],[1,2],{"x":null,"y":true,"z":false}],"d":{"10":1,"2":2,"a":3}},"one":[{}]}`,
  `{"_auth_user_id":"1","_auth_user_backend":"django.contrib.auth.backends.ModelBackend","_auth_user_hash":"abc","_session_expiry":3600}`,
  big(999),
  big(1000),
  big(2000),
  big(2500),
  `{"list":[${Array.from({ length: 2001 }, (_, i) => i).join(",")}]}`,
  `{"long":"${"x".repeat(70000)}","after":"y"}`,
  `{"only":"${"é".repeat(40000)}"}`,
  JSON.stringify(Object.fromEntries(Array.from({ length: 700 }, (_, i) => [`k${i}`, `v${i}`.repeat(60)]))),
  JSON.stringify({ items: Array.from({ length: 300 }, (_, i) => ({ id: i, name: `item ${i}`, tags: ["a", "bb", `t${i}`] })) }),
];

describe.skipIf(!hasPython)("pickle against CPython", () => {
  it("writes exactly the bytes of pickle.dumps(json.loads(doc), 4)", () => {
    const expected = python(
      "import json,pickle,sys\nprint(json.dumps([pickle.dumps(json.loads(d), 4).hex() for d in json.load(sys.stdin)]))",
      DOCS,
    ) as string[];
    DOCS.forEach((doc, i) => {
      const ours = dumpsPickle(loadsPython(doc) as Record<string, unknown>).toString("hex");
      expect(ours.length, `document ${i}`).toBe(expected[i]!.length);
      expect(ours === expected[i], `document ${i} differs`).toBe(true);
    });
  });

  it("reads random dicts CPython pickles in protocols 2 to 5 exactly as json.loads would give them", () => {
    // 300 seeded random session-like dicts: nesting, integer-like and duplicate-looking keys,
    // big ints, integral floats, NaN, non-ASCII and astral strings, tuples, and values shared by reference.
    const script = `import json,math,pickle,random
rnd=random.Random(20261126)
def s():
    return rnd.choice(["", "a", "é", "10", "2", "0", "__proto__", "x"*rnd.randint(1,40), "\u6f22\U0001f600", "k%d" % rnd.randint(0,9)])
def v(d):
    r=rnd.random()
    if d>3 or r<0.45:
        return rnd.choice([None, True, False, rnd.randint(-300,300), rnd.randint(-2**70,2**70), 2**53+1, float(rnd.randint(-5,5)), rnd.random()*1e6, -0.0, float("nan"), float("inf"), s()])
    if r<0.65: return [v(d+1) for _ in range(rnd.randint(0,5))]
    if r<0.75: return tuple(v(d+1) for _ in range(rnd.randint(0,3)))
    return {s(): v(d+1) for _ in range(rnd.randint(0,6))}
out=[]
for i in range(300):
    doc={s(): v(0) for _ in range(rnd.randint(1,8))}
    shared=[1,{"z":2}]
    if i%5==0: doc["a_shared"]=shared; doc["b_shared"]=shared
    p=rnd.choice([2,3,4,5])
    out.append([pickle.dumps(doc,p).hex(), json.dumps(doc, separators=(",",":"))])
print(json.dumps(out))`;
    const cases = python(script, null) as [string, string][];
    expect(cases).toHaveLength(300);
    for (const [hex, text] of cases) {
      const loaded = loadsPickle(Buffer.from(hex, "hex"));
      // Django's JSON of what we read equals Python's JSON of the dict: same types, values and key order.
      expect(dumpsPython(loaded), text).toBe(text);
    }
  });

  it("writes the example of docs/django-format.md §5.2 from a Map", () => {
    expect(dumpsPickle(new Map([["foo", "bar"]])).toString("hex")).toBe("80049510000000000000007d948c03666f6f948c0362617294732e");
  });

  it("reads back what CPython writes in protocols 2 to 5, tuples as arrays", () => {
    const script = `import json,pickle,sys
out=[]
for d in json.load(sys.stdin):
    v=json.loads(d)
    v["tuple"]=(1,"two",(3.0,None))
    v["t1"]=(1,)
    for p in (2,3,4,5): out.append(pickle.dumps(v,p).hex())
print(json.dumps(out))`;
    const pickles = python(script, DOCS) as string[];
    DOCS.forEach((doc, i) => {
      const expected = new Map(Object.entries(loadsPython(doc) as Record<string, unknown>));
      expected.set("tuple", [1, "two", [new PyFloat(3), null]]);
      expected.set("t1", [1]);
      for (let p = 0; p < 4; p++) {
        const loaded = loadsPickle(Buffer.from(pickles[i * 4 + p]!, "hex"));
        expect(loaded, `document ${i} protocol ${p + 2}`).toEqual(expected);
      }
    });
  });

  it("round-trips through Python: what we write, pickle.loads reads as the same dict", () => {
    const script = `import json,pickle,sys
print(json.dumps([json.dumps(pickle.loads(bytes.fromhex(h)),separators=(",",":")) for h in json.load(sys.stdin)]))`;
    const docs = DOCS.filter((d) => d.length < 100_000 && !d.includes("lone"));
    const back = python(script, docs.map((d) => dumpsPickle(loadsPython(d) as Record<string, unknown>).toString("hex"))) as string[];
    docs.forEach((doc, i) => expect(loadsPython(back[i]!)).toEqual(loadsPython(doc)));
  });

  it("refuses pickles that construct objects, without running them", () => {
    const script = `import json,pickle,datetime,os,sys
class Evil:
    def __reduce__(self): return (os.system, ("touch /tmp/sessionscope-pickle-pwned",))
print(json.dumps([pickle.dumps({"when": datetime.datetime(2024,1,1)}, 4).hex(), pickle.dumps({"x": Evil()}, 2).hex(),
  pickle.dumps({"s": {1,2}}, 4).hex(), pickle.dumps({"b": b"raw"}, 4).hex()]))`;
    const [datetime, evil, set, bytes] = (python(script, null) as string[]).map((h) => Buffer.from(h, "hex"));
    // A datetime is read as data (pickle-datetime.test.ts); a function to call never is.
    expect(String(loadsPickle(datetime!).get("when"))).toBe("2024-01-01T00:00:00");
    expect(() => loadsPickle(evil!)).toThrow(/refusing opcode GLOBAL "posix.system"/);
    expect(existsSync("/tmp/sessionscope-pickle-pwned")).toBe(false);
    expect(() => loadsPickle(set!)).toThrow(/unsupported opcode/);
    expect(() => loadsPickle(bytes!)).toThrow(/a class or a bytes value is not session data/);
  });
});

describe("pickle edge cases", () => {
  it("rejects truncated data and non-dict values", () => {
    const good = dumpsPickle({ a: 1 });
    expect(() => loadsPickle(good.subarray(0, good.length - 3))).toThrow(/truncated/);
    expect(() => loadsPickle(Buffer.from("80044b012e", "hex"))).toThrow(/not a dict/);
  });

  it("refuses values that are not JSON-like", () => {
    expect(() => dumpsPickle({ d: new Date() })).toThrow(/not a JSON-like value/);
    expect(() => dumpsPickle({ f: () => 1 })).toThrow(/not a JSON-like value/);
  });

  // Pickles below were written by CPython 3.11: pickle.dumps(value, 4).
  it("refuses recursive structures instead of handing back a cycle", () => {
    // l = []; l.append(l); {"a": l}
    expect(() => loadsPickle(Buffer.from("8004950d000000000000007d948c0161945d94680261732e", "hex"))).toThrow(/recursive structure/);
    // d = {}; d["self"] = d; {"d": d}
    expect(() => loadsPickle(Buffer.from("80049514000000000000007d948c0164947d948c0473656c6694680273732e", "hex"))).toThrow(/recursive structure/);
  });

  it("reads a value shared twice as the same data in both places", () => {
    // shared = [1]; {"a": shared, "b": shared}
    const loaded = loadsPickle(Buffer.from("80049514000000000000007d94288c0161945d944b01618c0162946802752e", "hex"));
    expect(Object.fromEntries(loaded)).toEqual({ a: [1], b: [1] });
  });

  it("gives tuples back as ordinary arrays, nested dicts in Python key order, and __proto__ as a plain key", () => {
    // {"t": (1, 2), "n": {"10": 1, "2": 2, "a": 3}, "__proto__": {"x": 1}}
    const loaded = loadsPickle(Buffer.from(
      "8004953f000000000000007d94288c0174944b014b0286948c016e947d94288c023130944b018c0132944b028c0161944b03758c095f5f70726f746f5f5f947d948c0178944b0173752e",
      "hex",
    ));
    const tuple = loaded.get("t") as number[];
    expect(tuple).toEqual([1, 2]);
    tuple.push(3); // an app may change what it read
    expect(tuple).toEqual([1, 2, 3]);
    expect(orderedKeys(loaded.get("n") as object)).toEqual(["10", "2", "a"]);
    expect([...loaded.keys()]).toEqual(["t", "n", "__proto__"]);
    const proto = loaded.get("__proto__") as Record<string, unknown>;
    expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
    expect(proto.x).toBe(1);
    // Written back and read again, the nested order survives.
    expect(orderedKeys(loadsPickle(dumpsPickle(loaded)).get("n") as object)).toEqual(["10", "2", "a"]);
  });
});
