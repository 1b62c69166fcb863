import { describe, expect, it } from "vitest";
import { loadsPython, PyDate, PyDatetime, PyFloat, PyTime, PyTimedelta, PyTimezone } from "@/lib/session";
import { maskHash, presentData } from "./session-data.ts";

describe("presentData", () => {
  const hash = "6fbb5a3c1d2e4f5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c";

  it("masks the login hash unless asked, and keeps the session's key order", () => {
    const data = new Map<string, unknown>([["_auth_user_id", "7"], ["_auth_user_hash", hash], ["cart", { items: [] }]]);
    expect(presentData(data, false)).toEqual({ _auth_user_id: "7", _auth_user_hash: "••••2b3c", cart: { items: [] } });
    expect(Object.keys(presentData(data, false))).toEqual(["_auth_user_id", "_auth_user_hash", "cart"]);
    expect(presentData(data, true)._auth_user_hash).toBe(hash);
    expect(maskHash("abcdef")).toBe("••••cdef");
  });

  it("turns Python's values into JSON that survives the trip", () => {
    const decoded = loadsPython('{"big": 18446744073709551616, "small": 12, "float": 1.0, "nan": NaN, "inf": -Infinity, "nested": {"2": [1.0, 3]}}') as Record<string, unknown>;
    const data = new Map(Object.entries(decoded));
    data.set("boxed", new PyFloat(2));
    data.set("bigSafe", 5n);
    const shown = presentData(data, false);
    expect(JSON.parse(JSON.stringify(shown))).toEqual({
      big: "18446744073709551616",
      small: 12,
      float: 1,
      nan: "NaN",
      inf: "-Infinity",
      nested: { "2": [1, 3] },
      boxed: 2,
      bigSafe: 5,
    });
  });

  it("keeps a key named __proto__ as a key", () => {
    const shown = presentData(new Map<string, unknown>([["__proto__", { polluted: true }]]), false);
    expect(Object.getPrototypeOf(shown)).toBe(Object.prototype);
    expect(Object.hasOwn(shown, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("shows Python's datetime values (a pickled cache entry's) as tagged ISO text, and keeps a dict of the session's own unambiguous", () => {
    const ist = PyTimezone.of(new PyTimedelta(0, 19800), "IST");
    const data = new Map<string, unknown>([
      ["_session_expiry", new PyDatetime(2026, 1, 2, 3, 4, 5, 678901, PyTimezone.PYTZ_UTC)],
      ["when", [new PyDatetime(2026, 1, 2, 8, 34, 5, 0, ist), new PyDatetime(2026, 1, 2), new PyDate(2024, 2, 29)]],
      ["nested", { t: new PyTime(13, 45, 0, 0, PyTimezone.UTC), d: new PyTimedelta(-1, 5), z: PyTimezone.of(new PyTimedelta(0, -3600)) }],
      ["lookalike", { __python__: "datetime", text: "not one" }],
    ]);
    expect(JSON.parse(JSON.stringify(presentData(data, false)))).toEqual({
      _session_expiry: { __python__: "datetime", text: "2026-01-02T03:04:05.678901+00:00", tz: "pytz.utc", at: "2026-01-02T03:04:05.678Z" },
      when: [
        { __python__: "datetime", text: "2026-01-02T08:34:05+05:30", tz: "IST", at: "2026-01-02T03:04:05.000Z" },
        { __python__: "datetime", text: "2026-01-02T00:00:00", tz: "naive", at: "2026-01-02T00:00:00.000Z" },
        { __python__: "date", text: "2024-02-29" },
      ],
      nested: {
        t: { __python__: "time", text: "13:45:00+00:00", tz: "timezone.utc" },
        d: { __python__: "timedelta", text: "-1 day, 0:00:05" },
        z: { __python__: "timezone", text: "UTC-01:00" },
      },
      lookalike: { __python__: "dict", value: { __python__: "datetime", text: "not one" } },
    });
  });
});
