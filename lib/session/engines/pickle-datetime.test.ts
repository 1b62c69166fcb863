// Python's datetime values in pickled sessions, against real CPython: what
// Django 3.2's cache engine stores after set_expiry(timedelta), and dates in
// application data. Every pickle here is written by /usr/bin/python3.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { dumpsPython } from "../python-json.ts";
import { PyDate, PyDatetime, PyTime, PyTimedelta, PyTimezone, pythonDatetimeType } from "../python-values.ts";
import { dumpsPickle } from "./pickle.ts";
import { PickleError, loadsPickle } from "./pickle-read.ts";

const PYTHON = "/usr/bin/python3";
const hasPython = existsSync(PYTHON) && spawnSync(PYTHON, ["-c", "import pytz"]).status === 0;
if (!hasPython && process.env.CI === "true") throw new Error(`pickle datetime tests: ${PYTHON} with pytz is required under CI`);
if (!hasPython) console.warn(`\n*** pickle datetime tests against CPython SKIPPED: ${PYTHON} or pytz not found ***\n`);

function python(script: string, input: unknown = null): unknown {
  const result = spawnSync(PYTHON, ["-c", script], { input: JSON.stringify(input), encoding: "utf8", maxBuffer: 64 << 20 });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout);
}

/** Python values of every kind; `describe(v)` gives what the reader must agree on. */
const VALUES = `import datetime as dt, pytz
UTC, IST = dt.timezone.utc, dt.timezone(dt.timedelta(hours=5, minutes=30), "IST")
ODD = dt.timezone(dt.timedelta(hours=-3, seconds=-7, microseconds=-250))
VALUES = {
  "expiry_pytz": dt.datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=pytz.utc),
  "expiry_utc": dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
  "naive": dt.datetime(2024, 2, 29, 23, 59, 59, 999999),
  "named_offset": dt.datetime(2026, 6, 1, 12, 0, tzinfo=IST),
  "odd_offset": dt.datetime(1, 1, 1, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=23, minutes=59))),
  "odd_offset2": dt.datetime(9999, 12, 31, 23, 59, 59, 1, tzinfo=ODD),
  "fold": dt.datetime(2025, 11, 2, 1, 30, fold=1),
  "year_99": dt.datetime(99, 3, 1, tzinfo=UTC),
  "date": dt.date(2024, 2, 29),
  "date_min": dt.date(1, 1, 1),
  "time": dt.time(13, 45),
  "time_aware": dt.time(1, 2, 3, 4, tzinfo=IST, fold=1),
  "delta": dt.timedelta(days=30),
  "delta_negative": dt.timedelta(days=-1, seconds=5, microseconds=7),
  "delta_max": dt.timedelta.max,
  "delta_min": dt.timedelta.min,
  "zone": IST,
  "zone_utc": UTC,
  "zone_pytz": pytz.utc,
  "in_list": [dt.date(2020, 1, 1), "x", (dt.timedelta(seconds=1), None)],
  "in_dict": {"when": dt.datetime(2020, 1, 1, tzinfo=pytz.utc), "n": 1},
}
def describe(v):
    if isinstance(v, (list, tuple)): return [describe(x) for x in v]
    if isinstance(v, dict): return {k: describe(x) for k, x in v.items()}
    if v is None or isinstance(v, (str, int, float)): return v
    if isinstance(v, dt.tzinfo): return {"type": "timezone", "text": str(v), "pytz": v is pytz.utc, "offset": v.utcoffset(None) // dt.timedelta(microseconds=1)}
    d = {"type": type(v).__name__, "text": v.isoformat() if hasattr(v, "isoformat") else str(v)}
    if isinstance(v, dt.timedelta): d.update(total=v.total_seconds(), parts=[v.days, v.seconds, v.microseconds])
    if isinstance(v, (dt.datetime, dt.time)): d.update(fold=v.fold, pytz=v.tzinfo is pytz.utc)
    if isinstance(v, dt.datetime):
        aware = v if v.tzinfo else v.replace(tzinfo=UTC)
        d["epoch_us"] = str((aware - dt.datetime(1970, 1, 1, tzinfo=UTC)) // dt.timedelta(microseconds=1))
    return d
`;

function describeOurs(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(describeOurs);
  const type = pythonDatetimeType(v);
  if (type === null) return typeof v === "object" && v !== null ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, describeOurs(x)])) : v;
  const d: Record<string, unknown> = { type, text: String(v) };
  if (v instanceof PyTimezone) Object.assign(d, { pytz: v === PyTimezone.PYTZ_UTC, offset: v.offsetMicroseconds() });
  if (v instanceof PyTimedelta) Object.assign(d, { total: v.totalSeconds(), parts: [v.days, v.seconds, v.microseconds] });
  if (v instanceof PyDatetime || v instanceof PyTime) Object.assign(d, { fold: v.fold, pytz: v.tzinfo === PyTimezone.PYTZ_UTC });
  if (v instanceof PyDatetime) d.epoch_us = String(v.epochMicroseconds());
  return d;
}

describe.skipIf(!hasPython)("datetime values in pickles, against CPython", () => {
  it("reads every kind at protocols 2 to 5: type, isoformat, tz (pytz's utc kept apart), fold (kept from protocol 4), instant", () => {
    const cases = python(`${VALUES}
import json, pickle
out = []
for p in (2, 3, 4, 5):
    for k, v in VALUES.items():
        back = pickle.loads(pickle.dumps(v, p))  # what Python itself reads back at this protocol (fold needs 4+)
        out.append([p, k, pickle.dumps({k: v}, p).hex(), describe(back)])
print(json.dumps(out))`) as [number, string, string, unknown][];
    expect(cases).toHaveLength(4 * 21);
    for (const [protocol, key, hex, expected] of cases) {
      const loaded = loadsPickle(Buffer.from(hex, "hex"));
      expect(describeOurs(loaded.get(key)), `${key} at protocol ${protocol}`).toEqual(expected);
    }
    // Spot checks a person would read: Django 3.2's expiry, and the instant a naive datetime stands for.
    const [, , hex] = cases.find(([p, k]) => p === 5 && k === "expiry_pytz")!;
    const expiry = loadsPickle(Buffer.from(hex, "hex")).get("expiry_pytz") as PyDatetime;
    expect(expiry.tzinfo).toBe(PyTimezone.PYTZ_UTC);
    expect(expiry.toDate().toISOString()).toBe("2026-01-02T03:04:05.678Z");
    expect(expiry.isoformat()).toBe("2026-01-02T03:04:05.678901+00:00");
  });

  it("writes them back exactly as CPython's pickle.dumps(d, 4) does, sharing classes, utc singletons and shared values as it does", () => {
    const [p4, p5, p2] = python(`${VALUES}
import json, pickle
tz = dt.timezone(dt.timedelta(hours=2))
# (No data string equal to a class or module name: in Python source those are the interned name objects themselves.)
# (Tuples are read as lists: the tuple of "in_list" is a list here.)
doc = dict(VALUES, in_list=[dt.date(2020, 1, 1), "x", [dt.timedelta(seconds=1), None]], shared_tz=[dt.datetime(2020, 1, 1, tzinfo=tz), dt.datetime(2020, 1, 2, tzinfo=tz)],
           many=[dt.datetime(2020, 1, 1, 0, 0, i, tzinfo=pytz.utc) for i in range(50)], big="x" * 70000, after=[dt.date(2000, 1, i) for i in range(1, 29)] * 200)
print(json.dumps([pickle.dumps(doc, 4).hex(), pickle.dumps(doc, 5).hex(), pickle.dumps(doc, 2).hex()]))`) as string[];
    const fromP4 = loadsPickle(Buffer.from(p4!, "hex"));
    expect(dumpsPickle(fromP4).toString("hex") === p4, "protocol 4 rewritten byte for byte").toBe(true);
    expect(dumpsPickle(loadsPickle(Buffer.from(p5!, "hex"))).toString("hex") === p4, "protocol 5 written as protocol 4").toBe(true);
    // From protocol 2 the fold bits are gone (Python drops them too), the rest is equal.
    expect(describeOurs(Object.fromEntries(loadsPickle(dumpsPickle(loadsPickle(Buffer.from(p2!, "hex"))))))).toEqual(
      describeOurs(Object.fromEntries([...fromP4].map(([k, v]) => [k, k === "fold" ? new PyDatetime(2025, 11, 2, 1, 30) : k === "time_aware" ? new PyTime(1, 2, 3, 4, (v as PyTime).tzinfo) : v]))),
    );
  });

  it("round-trips SessionScope → Python: pickle.loads gives equal values of the same classes, pytz's utc as pytz.utc", () => {
    const IST = PyTimezone.of(new PyTimedelta(0, 19800), "IST");
    const data = new Map<string, unknown>([
      ["_session_expiry", PyDatetime.fromDate(new Date("2026-03-04T05:06:07.089Z"), PyTimezone.PYTZ_UTC)],
      ["utc", new PyDatetime(2026, 3, 4, 5, 6, 7, 89000, PyTimezone.UTC)],
      ["ist", PyDatetime.fromDate(new Date("2026-03-04T05:06:07Z"), IST)],
      ["naive", new PyDatetime(1999, 12, 31, 23, 59, 59, 999999, null, 1)],
      ["date", new PyDate(2024, 2, 29)],
      ["time", new PyTime(23, 0, 0, 5, IST)],
      ["delta", new PyTimedelta(0, -1)],
      ["zone", PyTimezone.of(new PyTimedelta(0, -3600))],
      ["nested", { at: [new PyDate(1, 1, 1), PyTimezone.PYTZ_UTC] }],
    ]);
    const checks = python(`import datetime as dt, json, pickle, pytz, sys
d = pickle.loads(bytes.fromhex(json.load(sys.stdin)))
IST = dt.timezone(dt.timedelta(hours=5, minutes=30), "IST")
expected = {
  "_session_expiry": dt.datetime(2026, 3, 4, 5, 6, 7, 89000, tzinfo=pytz.utc),
  "utc": dt.datetime(2026, 3, 4, 5, 6, 7, 89000, tzinfo=dt.timezone.utc),
  "ist": dt.datetime(2026, 3, 4, 10, 36, 7, tzinfo=IST),
  "naive": dt.datetime(1999, 12, 31, 23, 59, 59, 999999, fold=1),
  "date": dt.date(2024, 2, 29),
  "time": dt.time(23, 0, 0, 5, tzinfo=IST),
  "delta": dt.timedelta(seconds=-1),
  "zone": dt.timezone(dt.timedelta(hours=-1)),
  "nested": {"at": [dt.date(1, 1, 1), pytz.utc]},
}
print(json.dumps({
  "equal": d == expected,
  "types": {k: type(v).__name__ for k, v in d.items()},
  "expiry_tz_is_pytz_utc": d["_session_expiry"].tzinfo is pytz.utc,
  "utc_is_timezone_utc": d["utc"].tzinfo is dt.timezone.utc,
  "ist": [d["ist"].tzname(), d["ist"].isoformat()],
  "fold": d["naive"].fold,
  "nested_pytz": d["nested"]["at"][1] is pytz.utc,
}))`, dumpsPickle(data).toString("hex")) as Record<string, unknown>;
    expect(checks).toEqual({
      equal: true,
      types: { _session_expiry: "datetime", utc: "datetime", ist: "datetime", naive: "datetime", date: "date", time: "time", delta: "timedelta", zone: "timezone", nested: "dict" },
      expiry_tz_is_pytz_utc: true,
      utc_is_timezone_utc: true,
      ist: ["IST", "2026-03-04T10:36:07+05:30"],
      fold: 1,
      nested_pytz: true,
    });
  });

  it("refuses every other global, and the allowed ones called in any other shape, without running anything", () => {
    const refusals = python(`import datetime as dt, json, os, pickle, pytz, zoneinfo
class Evil:
    def __reduce__(self): return (os.system, ("touch /tmp/sessionscope-pickle-pwned",))
class Near:
    def __init__(self, f, args): self.f, self.args = f, args
    def __reduce__(self): return (self.f, self.args)
class Sub(dt.date):
    def __reduce_ex__(self, p): return (__import__("copyreg").__newobj__, (type(self), 2020, 1, 1))
def dump(v, p=4): return pickle.dumps({"x": v}, p).hex()
def raw(body): return (b"\\x80\\x02}X\\x01\\x00\\x00\\x00x" + body + b"s.").hex()
print(json.dumps({
  "os.system": dump(Evil(), 2),
  "builtins.eval": dump(Near(eval, ("1",))),
  "datetime.sys": raw(b"cdatetime\\nsys\\n"),
  "pytz.timezone": dump(pytz.timezone("Europe/Paris")),
  "pytz zone datetime": dump(dt.datetime(2020, 1, 1, tzinfo=pytz.timezone("Europe/Paris"))),
  "zoneinfo": dump(dt.datetime(2020, 1, 1, tzinfo=zoneinfo.ZoneInfo("Europe/Paris"))),
  "a bound classmethod": dump(Near(dt.datetime.fromtimestamp, (0,))),
  "datetime.datetime.fromtimestamp": raw(b"\\x8c\\x08datetime\\x8c\\x16datetime.fromtimestamp\\x93K\\x00\\x85R"),
  "a class as a value": dump(dt.datetime),
  "bytes as a value": dump(b"raw"),
  "bytes at protocol 2": dump(b"raw", 2),
  "a set": dump({1, 2}),
  "timedelta of floats": dump(Near(dt.timedelta, (1.5, 0, 0))),
  "timedelta of two": dump(Near(dt.timedelta, (1, 0))),
  "timedelta beyond max": dump(Near(dt.timedelta, (999999999, 86400, 0))),
  "datetime state of 9 bytes": dump(Near(dt.datetime, (b"\\x07\\xe8\\x01\\x01\\x00\\x00\\x00\\x00\\x00",))),
  "datetime on February 30": dump(Near(dt.datetime, (b"\\x07\\xe8\\x02\\x1e\\x00\\x00\\x00\\x00\\x00\\x00",))),
  "datetime at hour 24": dump(Near(dt.date, (b"\\x07\\xe8\\x02\\x1e",))),
  "datetime with a str tzinfo": raw(b"cdatetime\\ndatetime\\nC\\n\\x07\\xe8\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00X\\x03\\x00\\x00\\x00UTC\\x86R"),
  "timezone of a day": raw(b"cdatetime\\ntimezone\\ncdatetime\\ntimedelta\\nK\\x01K\\x00K\\x00\\x87R\\x85R"),
  "_UTC with arguments": raw(b"cpytz\\n_UTC\\nK\\x01\\x85R"),
  "_codecs.encode to utf8": raw(b"c_codecs\\nencode\\nX\\x01\\x00\\x00\\x00aX\\x04\\x00\\x00\\x00utf8\\x86R"),
  "_codecs.encode as a value": raw(b"c_codecs\\nencode\\nX\\x01\\x00\\x00\\x00aX\\x06\\x00\\x00\\x00latin1\\x86R"),
  "REDUCE on a string": raw(b"X\\x01\\x00\\x00\\x00a)R"),
  "REDUCE with a list": raw(b"cdatetime\\ntimedelta\\n](K\\x01K\\x00K\\x00eR"),
  "a datetime as a dict key": dump({dt.date(2020, 1, 1): 1}),
  "a datetime subclass": dump(Sub(2020, 1, 1)),
  "NEWOBJ of an allowed class": raw(b"cdatetime\\ndate\\n)\\x81"),
  "BUILD on a datetime": raw(b"cdatetime\\ntimedelta\\nK\\x01K\\x00K\\x00\\x87R}b"),
}))`) as Record<string, string>;
    const expected: Record<string, RegExp> = {
      "os.system": /refusing opcode GLOBAL "posix.system"/,
      "builtins.eval": /refusing opcode STACK_GLOBAL "builtins.eval"/,
      "datetime.sys": /refusing opcode GLOBAL "datetime.sys"/,
      "pytz.timezone": /refusing opcode STACK_GLOBAL "pytz._p"/,
      "pytz zone datetime": /refusing opcode STACK_GLOBAL "pytz._p"/,
      zoneinfo: /refusing opcode STACK_GLOBAL "builtins.getattr"/,
      "a bound classmethod": /refusing opcode STACK_GLOBAL "builtins.getattr"/,
      "datetime.datetime.fromtimestamp": /refusing opcode STACK_GLOBAL "datetime.datetime.fromtimestamp"/,
      "a class as a value": /a class or a bytes value is not session data/,
      "bytes as a value": /a class or a bytes value is not session data/,
      "bytes at protocol 2": /a class or a bytes value is not session data/,
      "a set": /unsupported opcode/,
      "timedelta of floats": /timedelta takes three integers/,
      "timedelta of two": /timedelta called with 2 arguments/,
      "timedelta beyond max": /must have magnitude <= 999999999/,
      "datetime state of 9 bytes": /datetime takes a 10-byte state/,
      "datetime on February 30": /day must be an integer in 1..29/,
      "datetime at hour 24": /day must be an integer in 1..29/,
      "datetime with a str tzinfo": /tzinfo must be datetime.timezone or pytz.utc/,
      "timezone of a day": /strictly between/,
      "_UTC with arguments": /pytz._UTC called with 1 arguments/,
      "_codecs.encode to utf8": /only as protocol 2 writes bytes/,
      "_codecs.encode as a value": /a class or a bytes value is not session data/,
      "REDUCE on a string": /REDUCE on something that is not an allowed class/,
      "REDUCE with a list": /REDUCE without an argument tuple/,
      "a datetime as a dict key": /dict keys must be str or int/,
      "a datetime subclass": /refusing opcode STACK_GLOBAL "__main__.Sub"/,
      "NEWOBJ of an allowed class": /refusing opcode NEWOBJ/,
      "BUILD on a datetime": /refusing opcode BUILD/,
    };
    expect(Object.keys(refusals).sort()).toEqual(Object.keys(expected).sort());
    for (const [name, hex] of Object.entries(refusals)) {
      const read = () => loadsPickle(Buffer.from(hex, "hex"));
      expect(read, name).toThrow(PickleError);
      expect(read, name).toThrow(expected[name]!);
    }
    expect(existsSync("/tmp/sessionscope-pickle-pwned")).toBe(false);
  });
});

describe("datetime values", () => {
  it("check their ranges as Python's constructors do", () => {
    expect(() => new PyDatetime(2023, 2, 29)).toThrow(/day must be an integer in 1..28/);
    expect(() => new PyDatetime(10000, 1, 1)).toThrow(/year/);
    expect(() => new PyTime(24)).toThrow(/hour/);
    expect(() => new PyDate(2020, 13, 1)).toThrow(/month/);
    expect(() => PyTimezone.of(new PyTimedelta(-1))).toThrow(/strictly between/);
    expect(() => new PyTimedelta(1e9)).toThrow(/magnitude/);
    expect(PyTimezone.of(new PyTimedelta())).toBe(PyTimezone.UTC);
    expect(String(new PyTimedelta(0, -1))).toBe("-1 day, 23:59:59");
    expect(String(new PyTimedelta(2, 3 * 3600 + 4 * 60 + 5, 6))).toBe("2 days, 3:04:05.000006");
    expect(new PyDatetime(99, 3, 1, 0, 0, 0, 0, PyTimezone.UTC).toDate().toISOString()).toBe("0099-03-01T00:00:00.000Z");
  });

  it("are refused by the JSON codec, as Django's JSONSerializer refuses them", () => {
    expect(() => dumpsPython({ _session_expiry: PyDatetime.fromDate(new Date(), PyTimezone.PYTZ_UTC) })).toThrow(
      "dumpsPython: Object of type datetime is not JSON serializable (Django's JSONSerializer refuses it too)",
    );
    expect(() => dumpsPython(new Map([["d", [new PyTimedelta(1)]]]))).toThrow(/Object of type timedelta is not JSON serializable/);
  });
});
