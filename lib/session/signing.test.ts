import { describe, expect, it } from "vitest";
import { BadSignature, MalformedPayload, SignatureExpired } from "./errors.ts";
import { createSigner, createTimestampSigner, decodeBase62, dumps, encodeBase62, loads, saltedHmac } from "./signing.ts";
import { loadMeta, loadVectors, str, type DjangoVector } from "../../test/fixtures/django-vectors.ts";

const { secret_key: SECRET, other_secret_key: OTHER } = loadMeta();
const NOW = new Date(1_700_000_000_000);
const primitives = loadVectors("signing_primitives.json");
const byFn = (prefix: string) => primitives.filter((v) => String(v.fn).startsWith(prefix));
const at = (v: DjangoVector) => new Date(Number(v.verify_at ?? 1_700_000_000) * 1000);

describe("signing primitives (signing_primitives.json)", () => {
  it.each(byFn("base62.encode").map((v) => [v.input as number, str(v, "value")]))("base62 %s is %s and back", (n, s) => {
    expect(encodeBase62(n)).toBe(s);
    expect(decodeBase62(s)).toBe(n);
  });

  it("salted_hmac matches for SHA-256 and SHA-1", () => {
    const [sha256, sha1] = byFn("salted_hmac");
    expect(saltedHmac("key_salt", "value", SECRET, "sha256").toString("hex")).toBe(str(sha256!, "value"));
    expect(saltedHmac("key_salt", "value", SECRET, "sha1").toString("hex")).toBe(str(sha1!, "value"));
  });

  it("Signer with the default salt and TimestampSigner with a custom salt", () => {
    expect(createSigner({ secretKey: SECRET }).sign("hello")).toBe(str(byFn("Signer(")[0]!, "value"));
    expect(createTimestampSigner({ secretKey: SECRET, salt: "my.salt" }).sign("hello", NOW)).toBe(str(byFn("TimestampSigner")[0]!, "value"));
  });

  it.each(byFn("signing.dumps").map((v) => [v.value as string, v]))("signing.dumps gives %s and loads reads it back", (_value, v) => {
    const options = { secretKey: SECRET, salt: str(v, "salt"), compress: Boolean(v.compress), zlib: "cpython" as const, now: NOW };
    expect(dumps(v.obj, options)).toBe(str(v, "value"));
    expect(loads(str(v, "value"), options)).toEqual(v.obj);
  });
});

describe("signed cookie vectors (signed_cookies.json)", () => {
  for (const v of loadVectors("signed_cookies.json")) {
    it(`${v.name}: ${v.signing_loads_error ?? "valid"} at its verification time`, () => {
      const read = () => loads(str(v, "encoded"), { secretKey: SECRET, salt: str(v, "salt"), maxAge: Number(v.max_age), now: at(v) });
      if (v.signing_loads_error === "SignatureExpired") expect(read).toThrow(SignatureExpired);
      else expect(read()).toEqual(v.decoded);
    });
  }

  it("encodes every signed cookie byte for byte", () => {
    for (const v of loadVectors("signed_cookies.json").filter((x) => !x.signing_loads_error)) {
      expect(dumps(v.decoded, { secretKey: SECRET, salt: str(v, "salt"), compress: true, zlib: "cpython", now: NOW }), v.name).toBe(str(v, "encoded"));
    }
  });
});

describe("keys and rotation (other_key.json)", () => {
  const vectors = loadVectors("other_key.json").filter((v) => v.primary_secret_key !== undefined);
  it.each(vectors.map((v) => [v.name, v]))("%s is rejected by the primary key and accepted as a fallback", (_n, v) => {
    const signed = str(v, "encoded");
    expect(() => loads(signed, { secretKey: SECRET, salt: str(v, "salt") })).toThrow(BadSignature);
    expect(loads(signed, { secretKey: SECRET, fallbackKeys: ["unrelated", OTHER], salt: str(v, "salt") })).toEqual(v.decoded);
  });

  it("signs with a non-ASCII secret as its UTF-8 bytes", () => {
    const v = loadVectors("other_key.json").find((x) => x.name === "db_non_ascii_secret")!;
    expect(dumps(v.decoded, { secretKey: str(v, "secret_key"), salt: str(v, "salt"), compress: true, zlib: "cpython", now: NOW })).toBe(str(v, "encoded"));
  });
});

describe("rejections (tampered.json, interop.json)", () => {
  it.each(loadVectors("tampered.json").map((v) => [v.name, v]))("%s fails like Django", (_n, v) => {
    const expected = v.signing_loads_error === "BadSignature" ? BadSignature : MalformedPayload;
    expect(() => loads(str(v, "encoded"), { secretKey: SECRET, salt: str(v, "salt") })).toThrow(expected);
  });

  it.each(loadVectors("interop.json").map((v) => [v.name, v]))("%s: accepted exactly when Django accepts", (_n, v) => {
    const read = () => loads(str(v, "encoded"), { secretKey: SECRET, salt: str(v, "salt"), maxAge: 1_209_600, now: at(v) });
    if (v.accepted) expect(read()).toEqual(v.decoded);
    else expect(read).toThrow(v.signing_loads_error === "BadSignature" ? BadSignature : MalformedPayload);
  });
});

describe("Signer details", () => {
  it("accepts a SHA-1 signature by the main key only when allowed", () => {
    const v = loadVectors("legacy.json").find((x) => x.name === "signing_format_sha1_signature")!;
    const options = { secretKey: SECRET, salt: str(v, "salt") };
    expect(() => loads(str(v, "encoded"), options)).toThrow(BadSignature);
    expect(loads(str(v, "encoded"), { ...options, allowLegacySha1: true })).toEqual(v.decoded);
    expect(() => loads(str(v, "encoded"), { secretKey: OTHER, fallbackKeys: [SECRET], salt: str(v, "salt"), allowLegacySha1: true })).toThrow(BadSignature);
  });

  it("splits at the last colon, so values may contain colons", () => {
    const signer = createSigner({ secretKey: SECRET, salt: "s" });
    expect(signer.unsign(signer.sign("a:b:c"))).toBe("a:b:c");
  });

  it("treats exactly max-age seconds as valid, one more as expired, and a future timestamp as valid", () => {
    const ts = createTimestampSigner({ secretKey: SECRET, salt: "s" });
    const signed = ts.sign("v", NOW);
    expect(ts.unsign(signed, { maxAge: 10, now: new Date(NOW.getTime() + 10_000) })).toBe("v");
    expect(() => ts.unsign(signed, { maxAge: 10, now: new Date(NOW.getTime() + 10_001) })).toThrow(SignatureExpired);
    expect(ts.unsign(signed, { maxAge: 10, now: new Date(0) })).toBe("v");
  });

  it("signs floor(now) seconds", () => {
    const ts = createTimestampSigner({ secretKey: SECRET, salt: "s" });
    expect(ts.sign("v", new Date(1_700_000_000_999))).toBe(ts.sign("v", NOW));
  });
});
