import { describe, expect, it } from "vitest";
import { loadsPython, PyFloat } from "@/lib/session";
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
});
