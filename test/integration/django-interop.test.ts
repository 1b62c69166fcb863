// What SessionScope writes, a real Django reads, and the other way round.
import { describe, expect, it } from "vitest";
import { COOKIE_SALT, createCookieCodec, createSessionCodec, dumpsPython, hashPassword, loadsPython, PyFloat, SESSION_COMPRESS_MIN_BYTES, SESSION_SALT, verifyPassword } from "../../lib/session/index.ts";
import { askDjango, djangoAvailable } from "../helpers/django.ts";

const SECRET = "interop-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-!@#$%^&*()";
const NOW = new Date();

const SESSIONS: Array<Map<string, unknown>> = [
  new Map(),
  new Map<string, unknown>([["foo", "bar"]]),
  new Map<string, unknown>([["unicode", "café ☕ 😀 \u2028 \u007f"], ["escapes", 'quote " backslash \\ tab \t nl \n']]),
  new Map<string, unknown>([["big", 18446744073709551616n], ["neg", -9007199254740993n], ["float", new PyFloat(1)], ["e", 1e-5], ["pi", 3.141592653589793]]),
  new Map<string, unknown>([["nan", NaN], ["inf", Infinity], ["ninf", -Infinity]]),
  new Map<string, unknown>([["order", loadsPython('{"z":1,"10":4,"2":5,"a":[true,false,null]}')]]),
  new Map<string, unknown>([
    ["_auth_user_id", "42"],
    ["_auth_user_backend", "django.contrib.auth.backends.ModelBackend"],
    ["cart", { items: Array.from({ length: 40 }, (_, i) => ({ productId: i, quantity: (i % 3) + 1, name: `Item ${i}` })) }],
  ]),
  // Ordinary floats, as Python writes them (the JSON.parse fast path reads them), in a session stored plain...
  new Map<string, unknown>([["ratio", 0.6428571428571428], ["prices", [9.99, 19.5, 0.1, -2.5e-7, 1.2345678901234568e17]], ["score", 1 / 3]]),
  // ...and a large one, above SESSION_COMPRESS_MIN_BYTES, stored compressed.
  new Map<string, unknown>([["cart", { items: Array.from({ length: 120 }, (_, i) => ({ sku: `SKU-${i}`, price: 9.99 + i / 7, qty: (i % 3) + 1 })) }]]),
];

describe.skipIf(!djangoAvailable())("Django interoperability (python3-django)", () => {
  for (const zlib of ["native", "cpython"] as const) {
    it(`Django decodes SessionScope's session values (${zlib} zlib)`, () => {
      const codec = createSessionCodec({ secretKey: SECRET, zlib });
      const values = SESSIONS.map((data) => ({ salt: SESSION_SALT, encoded: codec.encode(data, NOW), max_age: null }));
      const { results } = askDjango<{ results: Array<{ ok: boolean; json?: string; error?: string }> }>({ op: "decode", secret_key: SECRET, values });
      expect(results).toEqual(SESSIONS.map((data) => ({ ok: true, json: dumpsPython(data) })));
    });
  }

  it("the default codec writes small sessions plain and large ones compressed, and Django reads both", () => {
    const codec = createSessionCodec({ secretKey: SECRET });
    const encoded = SESSIONS.map((data) => codec.encode(data, NOW));
    expect(encoded.map((e, i) => e.startsWith(".") === dumpsPython(SESSIONS[i]!).length >= SESSION_COMPRESS_MIN_BYTES)).not.toContain(false);
    expect(encoded.some((e) => e.startsWith("."))).toBe(true);
    expect(encoded.some((e) => !e.startsWith("."))).toBe(true);
    const values = encoded.map((e) => ({ salt: SESSION_SALT, encoded: e, max_age: null }));
    const { results } = askDjango<{ results: Array<{ ok: boolean; json?: string }> }>({ op: "decode", secret_key: SECRET, values });
    expect(results).toEqual(SESSIONS.map((data) => ({ ok: true, json: dumpsPython(data) })));
  });

  it("Django decodes SessionScope's signed cookies, with its max age", () => {
    const codec = createCookieCodec({ secretKey: SECRET, maxAge: 1209600 });
    const values = SESSIONS.map((data) => ({ salt: COOKIE_SALT, encoded: codec.encode(data, NOW), max_age: 1209600 }));
    const { results } = askDjango<{ results: Array<{ ok: boolean; json?: string }> }>({ op: "decode", secret_key: SECRET, values });
    expect(results.map((r) => r.json)).toEqual(SESSIONS.map((data) => dumpsPython(data)));
  });

  it("Django rejects what SessionScope signed with another key or salt", () => {
    const codec = createSessionCodec({ secretKey: "some-other-key" });
    const encoded = codec.encode(SESSIONS[1]!, NOW);
    const ours = createSessionCodec({ secretKey: SECRET }).encode(SESSIONS[1]!, NOW);
    const { results } = askDjango<{ results: Array<{ ok: boolean; error?: string }> }>({
      op: "decode",
      secret_key: SECRET,
      values: [
        { salt: SESSION_SALT, encoded, max_age: null },
        { salt: COOKIE_SALT, encoded: ours, max_age: null },
      ],
    });
    expect(results.map((r) => r.ok)).toEqual([false, false]);
    expect(results[0]!.error).toMatch(/BadSignature/);
  });

  it("SessionScope decodes what Django encodes now, with Django's zlib", () => {
    const texts = SESSIONS.filter((d) => ![...d.values()].some((v) => typeof v === "number" && !Number.isFinite(v))).map((d) => dumpsPython(d));
    const { results } = askDjango<{ results: string[] }>({ op: "encode", secret_key: SECRET, sessions: texts });
    const codec = createSessionCodec({ secretKey: SECRET });
    expect(results.map((encoded) => {
      const decoded = codec.decode(encoded);
      return decoded.ok ? dumpsPython(decoded.data) : decoded.reason;
    })).toEqual(texts);
  });

  it("password hashes go both ways", async () => {
    const ours = await hashPassword("s3cret påss", { iterations: 20_000 });
    const django = askDjango<{ result: string }>({ op: "make_password", password: "s3cret påss", salt: "pepperandsalt", iterations: 20_000 }).result;
    const { results } = askDjango<{ results: boolean[] }>({
      op: "check_password",
      checks: [
        { password: "s3cret påss", encoded: ours },
        { password: "wrong", encoded: ours },
      ],
    });
    expect(results).toEqual([true, false]);
    expect(await verifyPassword("s3cret påss", django)).toBe(true);
    expect(await verifyPassword("s3cret pass", django)).toBe(false);
  });
});
