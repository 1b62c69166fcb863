import { describe, expect, it } from "vitest";
import { BadSignature, MalformedPayload } from "./errors.ts";
import { decodeLegacySession, encodeLegacySession } from "./legacy.ts";
import { loadMeta, loadVectors, str } from "../../test/fixtures/django-vectors.ts";

const { secret_key: SECRET, other_secret_key: OTHER } = loadMeta();
const preV31 = loadVectors("legacy.json").filter((v) => String(v.format).startsWith("pre-3.1"));

describe("pre-3.1 session format (legacy.json)", () => {
  it.each(preV31.filter((v) => v.expected_valid !== false).map((v) => [v.name, v]))("%s decodes like Django 3.2", (_n, v) => {
    expect(decodeLegacySession(str(v, "encoded"), { secretKey: SECRET })).toEqual(v.decoded);
  });

  it.each(preV31.filter((v) => v.serialized !== undefined).map((v) => [v.name, v]))("%s is reproduced byte for byte", (_n, v) => {
    expect(encodeLegacySession(str(v, "serialized"), { secretKey: SECRET })).toBe(str(v, "encoded"));
  });

  it("rejects a wrong hash and a foreign key", () => {
    const bad = preV31.find((v) => v.name === "legacy_bad_hash")!;
    expect(() => decodeLegacySession(str(bad, "encoded"), { secretKey: SECRET })).toThrow(BadSignature);
    const good = preV31.find((v) => v.name === "legacy_simple")!;
    expect(() => decodeLegacySession(str(good, "encoded"), { secretKey: OTHER })).toThrow(BadSignature);
    expect(decodeLegacySession(str(good, "encoded"), { secretKey: OTHER, fallbackKeys: [SECRET] })).toEqual({ foo: "bar" });
  });

  it("calls non-base64 input malformed, not a signature failure", () => {
    expect(() => decodeLegacySession("not base64!", { secretKey: SECRET })).toThrow(MalformedPayload);
    expect(() => decodeLegacySession("bm9jb2xvbg==", { secretKey: SECRET })).toThrow(MalformedPayload);
  });
});
