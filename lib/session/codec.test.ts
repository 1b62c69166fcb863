import { describe, expect, it } from "vitest";
import { COOKIE_SALT, SESSION_COMPRESS_MIN_BYTES, SESSION_SALT, createCookieCodec, createSessionCodec, type DecodeResult } from "./codec.ts";
import { dumpsPython } from "./python-json.ts";
import { createSignedSerializer } from "./signing.ts";
import { loadMeta, loadVectors, str, type DjangoVector } from "../../test/fixtures/django-vectors.ts";

const { secret_key: SECRET, other_secret_key: OTHER } = loadMeta();
const NOW = new Date(1_700_000_000_000);
// CPython's zlib bytes, so that re-encoding reproduces Django's values exactly.
const db = createSessionCodec({ secretKey: SECRET, zlib: "cpython" });
const cookie = createCookieCodec({ secretKey: SECRET, maxAge: 1_209_600, zlib: "cpython" });

/** The decoded data written back in Python form: equal values and equal key order. */
function asPython(result: DecodeResult): string {
  if (!result.ok) throw new Error(`expected ok, got: ${result.reason}`);
  return dumpsPython(result.data);
}
const codecFor = (v: DjangoVector) => (v.salt === COOKIE_SALT ? cookie : db);
const verifyAt = (v: DjangoVector) => new Date(Number(v.verify_at ?? 1_700_000_000) * 1000);

const dbVectors = loadVectors("db.json").filter((v) => typeof v.encoded === "string" && v.decoded !== null);
const cookieVectors = loadVectors("signed_cookies.json").filter((v) => !v.signing_loads_error);

describe("session codec on Django's db and cookie vectors", () => {
  it.each(dbVectors.map((v) => [v.name, v]))("db %s decodes to Django's dict, in order", (_n, v) => {
    expect(asPython(db.decode(str(v, "encoded")))).toBe(dumpsPython(v.decoded));
  });

  it.each(dbVectors.filter((v) => v.encode_is_deterministic !== false).map((v) => [v.name, v]))("db %s re-encodes byte for byte", (_n, v) => {
    const decoded = db.decode(str(v, "encoded"));
    if (!decoded.ok) throw new Error(decoded.reason);
    expect(db.encode(decoded.data, new Date(Number(v.timestamp) * 1000))).toBe(v.encoded);
  });

  it("db nan_infinity decodes to NaN and infinities (Django's decoded field cannot hold them)", () => {
    const v = loadVectors("db.json").find((x) => x.name === "nan_infinity")!;
    const result = db.decode(str(v, "encoded"));
    expect(result.ok && [...result.data.values()]).toEqual([NaN, Infinity, -Infinity]);
    expect(result.ok && db.encode(result.data, NOW)).toBe(v.encoded);
  });

  it.each(cookieVectors.map((v) => [v.name, v]))("cookie %s decodes and re-encodes", (_n, v) => {
    const result = cookie.decode(str(v, "encoded"), verifyAt(v));
    expect(asPython(result)).toBe(dumpsPython(v.decoded));
    expect(result.ok && cookie.encode(result.data, NOW)).toBe(v.encoded);
  });

  it("cookie max age: valid at exactly max age, expired one second later", () => {
    const expired = loadVectors("signed_cookies.json").find((v) => v.name === "max_age_check_max_age_plus_1s")!;
    const result = cookie.decode(str(expired, "encoded"), verifyAt(expired));
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/age/) });
  });
});

describe("keys (other_key.json)", () => {
  it.each(loadVectors("other_key.json").map((v) => [v.name, v]))("%s decodes with its own key only", (_n, v) => {
    const key = typeof v.secret_key === "string" ? v.secret_key : OTHER;
    const own = v.salt === COOKIE_SALT ? createCookieCodec({ secretKey: key, maxAge: 1_209_600 }) : createSessionCodec({ secretKey: key });
    expect(asPython(own.decode(str(v, "encoded"), NOW))).toBe(dumpsPython(v.decoded));
    if (v.decoded_with_primary_key !== undefined) expect(codecFor(v).decode(str(v, "encoded"), NOW).ok).toBe(false);
  });

  it("accepts values signed with a fallback key", () => {
    const v = loadVectors("other_key.json").find((x) => x.name === "db_simple")!;
    const rotated = createSessionCodec({ secretKey: "new-key", fallbackKeys: [OTHER] });
    expect(asPython(rotated.decode(str(v, "encoded")))).toBe('{"foo":"bar"}');
  });
});

describe("bad input never throws", () => {
  const rejected = [...loadVectors("tampered.json"), ...loadVectors("interop.json")].filter((v) => !v.accepted && v.expected_valid !== true);
  it.each(rejected.map((v) => [v.name, v]))("%s gives ok:false with a reason", (_n, v) => {
    const result = codecFor(v).decode(str(v, "encoded"), verifyAt(v));
    expect(result).toEqual({ ok: false, reason: expect.any(String) });
  });

  it.each(loadVectors("interop.json").filter((v) => v.accepted).map((v) => [v.name, v]))("interop %s is accepted as Django accepts it", (_n, v) => {
    const result = codecFor(v).decode(str(v, "encoded"), verifyAt(v));
    if (Array.isArray(v.decoded)) expect(result).toEqual({ ok: false, reason: "session data is a JSON list, not an object" });
    else expect(asPython(result)).toBe(dumpsPython(v.decoded));
  });
});

describe("legacy fallback (legacy.json)", () => {
  const legacyDb = createSessionCodec({ secretKey: SECRET, legacy: true });
  it.each(loadVectors("legacy.json").map((v) => [v.name, v]))("%s: Django 3.2's result with legacy on", (_n, v) => {
    const result = legacyDb.decode(str(v, "encoded"));
    if (v.expected_valid === false) expect(result.ok).toBe(false);
    else expect(asPython(result)).toBe(dumpsPython(v.decoded));
  });

  it("with legacy off (the default), behaves like Django 4.0+", () => {
    const modern = createSessionCodec({ secretKey: SECRET });
    for (const v of loadVectors("legacy.json")) expect(modern.decode(str(v, "encoded")).ok, v.name).toBe(false);
  });
});

describe("encoding", () => {
  it("uses the db salt by default and compresses sessions from SESSION_COMPRESS_MIN_BYTES of JSON up", () => {
    const cart = (n: number) => new Map<string, unknown>([["cart", Array.from({ length: n }, (_, i) => ({ sku: `A-${i}`, qty: 1 }))]]);
    const large = cart(120);
    expect(dumpsPython(large).length).toBeGreaterThanOrEqual(SESSION_COMPRESS_MIN_BYTES);
    const native = createSessionCodec({ secretKey: SECRET });
    const encoded = native.encode(large, NOW);
    expect(encoded.startsWith(".")).toBe(true);
    expect(createSessionCodec({ secretKey: SECRET, salt: SESSION_SALT }).decode(encoded)).toEqual({ ok: true, data: large });
    expect(cookie.decode(encoded, NOW).ok).toBe(false);
    // Below the threshold a session is stored plain (base64 of its JSON), which Django reads as well.
    const small = cart(30);
    expect(dumpsPython(small).length).toBeLessThan(SESSION_COMPRESS_MIN_BYTES);
    const plain = native.encode(small, NOW);
    expect(plain.startsWith("eyJ")).toBe(true);
    expect(db.decode(plain)).toEqual({ ok: true, data: small });
    // The cpython flavour is for Django's exact bytes, Django's rule included.
    expect(db.encode(small, NOW).startsWith(".")).toBe(true);
  });

  it("compresses as Django does (whenever that is shorter) with compressMinBytes: 0, and so does the cookie codec", () => {
    const data = new Map<string, unknown>([["cart", Array.from({ length: 30 }, (_, i) => ({ sku: `A-${i}`, qty: 1 }))]]);
    expect(createSessionCodec({ secretKey: SECRET, compressMinBytes: 0 }).encode(data, NOW).startsWith(".")).toBe(true);
    expect(cookie.encode(data, NOW).startsWith(".")).toBe(true);
    // Not when compression would not make it shorter.
    expect(createSessionCodec({ secretKey: SECRET, compressMinBytes: 0 }).encode(new Map([["k", "v"]]), NOW).startsWith("eyJ")).toBe(true);
  });

  it("can skip compression", () => {
    const plain = createSessionCodec({ secretKey: SECRET, compress: false });
    expect(plain.encode(new Map([["k", "a".repeat(200)]]), NOW).startsWith("eyJ")).toBe(true);
  });
});

describe("zlib flavours and the verified-value cache", () => {
  // Above SESSION_COMPRESS_MIN_BYTES, so that the native codec compresses it.
  const big = new Map<string, unknown>([["cart", { items: Array.from({ length: 100 }, (_, i) => ({ productId: i, quantity: 1 })) }]]);

  it("native zlib output is a valid Django value that decodes to the same data", () => {
    const fast = createSessionCodec({ secretKey: SECRET });
    const encoded = fast.encode(big, NOW);
    expect(encoded.startsWith(".")).toBe(true);
    expect(asPython(db.decode(encoded))).toBe(dumpsPython(big));
  });

  it("gives every caller its own copy of cached data", () => {
    const codec = createSessionCodec({ secretKey: SECRET });
    const encoded = codec.encode(big, NOW);
    const first = codec.decode(encoded);
    if (!first.ok) throw new Error(first.reason);
    (first.data.get("cart") as { items: unknown[] }).items.length = 0;
    const second = codec.decode(encoded);
    expect(second.ok && (second.data.get("cart") as { items: unknown[] }).items).toHaveLength(100);
  });

  it("reads a value it encoded itself (remembered as verified) exactly as a codec that never saw it", () => {
    // A big integer needs the Python-faithful parser: what is remembered must say so.
    const data = new Map<string, unknown>([...big, ["id", 2n ** 70n], ["ratio", 0.6428571428571428]]);
    const encoded = createSessionCodec({ secretKey: SECRET }).encode(data, NOW);
    const writer = createSessionCodec({ secretKey: SECRET });
    const own = writer.encode(data, NOW);
    expect(own).toBe(encoded);
    const fresh = createSessionCodec({ secretKey: SECRET, verifiedCacheSize: 0 }).decode(encoded);
    const remembered = writer.decode(own);
    if (!fresh.ok || !remembered.ok) throw new Error("decode failed");
    expect(remembered.data).toEqual(fresh.data);
    expect(remembered.data.get("id")).toBe(2n ** 70n);
  });

  it("never trusts a value it did not verify, cached or not", () => {
    const codec = createSessionCodec({ secretKey: SECRET });
    const encoded = codec.encode(big, NOW);
    expect(codec.decode(encoded).ok).toBe(true);
    const tampered = encoded.slice(0, -1) + (encoded.endsWith("A") ? "B" : "A");
    expect(codec.decode(tampered).ok).toBe(false);
    expect(codec.decode(tampered).ok).toBe(false);
    // A codec with other keys does not share what this one verified.
    expect(createSessionCodec({ secretKey: OTHER }).decode(encoded).ok).toBe(false);
  });
});

describe("inspect: which key or format verified a value", () => {
  // With the legacy formats on (SESSION_ACCEPT_LEGACY), so that every format has a name to give.
  const db = createSessionCodec({ secretKey: SECRET, zlib: "cpython", legacy: true });
  const v = (file: string, name: string) => str(loadVectors(file).find((x) => x.name === name)!, "encoded");

  it("names the current key, a fallback key, and the pre-3.1 format", () => {
    const encoded = db.encode(new Map([["foo", "bar"]]), NOW);
    expect(db.inspect(encoded)).toEqual({ ok: true, data: new Map([["foo", "bar"]]), signedWith: "secret_key" });
    const rotated = createSessionCodec({ secretKey: "a-new-key", fallbackKeys: ["an-older-key", OTHER] });
    expect(rotated.inspect(v("other_key.json", "db_simple"))).toMatchObject({ ok: true, signedWith: "fallback_key" });
    expect(db.inspect(v("legacy.json", "legacy_simple"))).toMatchObject({ ok: true, signedWith: "legacy_format" });
  });

  it("names SHA-1 signatures made with the current key (Django 3.1/3.2)", () => {
    const sha1 = createSignedSerializer({ secretKey: SECRET, salt: SESSION_SALT, compress: true, algorithm: "sha1" }).dumps({ foo: "bar" }, NOW);
    expect(db.inspect(sha1)).toMatchObject({ ok: true, signedWith: "legacy_sha1" });
    expect(createSessionCodec({ secretKey: SECRET, legacy: false }).inspect(sha1)).toEqual({ ok: false, reason: "signature does not match" });
  });

  it("gives the reason for what it refuses, and accepts exactly what decode accepts", () => {
    const vectors = [...loadVectors("tampered.json"), ...loadVectors("legacy.json"), ...dbVectors].filter((x) => x.salt !== COOKIE_SALT);
    for (const vector of vectors) {
      const encoded = str(vector, "encoded");
      const inspected = db.inspect(encoded);
      const decoded = db.decode(encoded);
      expect(inspected.ok, vector.name).toBe(decoded.ok);
      if (!inspected.ok) expect(inspected.reason, vector.name).toMatch(/\S/);
    }
    expect(db.inspect("not a session")).toEqual({ ok: false, reason: expect.stringMatching(/\S/) });
  });
});
