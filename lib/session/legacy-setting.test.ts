// The pre-3.1 session format and SHA-1 signatures are read only when asked
// for (allowLegacyFormats), as Django 4.0+ no longer reads them at all.
import { describe, expect, it } from "vitest";
import { createSessionCodec } from "./codec.ts";
import { defineSessionConfig } from "./config.ts";
import { SessionConfigError } from "./errors.ts";
import { loadMeta, loadVectors, str } from "../../test/fixtures/django-vectors.ts";

const { secret_key: SECRET } = loadMeta();
const legacyOnly = loadVectors("legacy.json").filter((v) => v.expected_valid !== false);

describe("legacy formats are off by default", () => {
  it("has Django 3.2 vectors that only the legacy paths read", () => {
    expect(legacyOnly.map((v) => v.name)).toEqual(expect.arrayContaining(["legacy_simple", "signing_format_sha1_signature"]));
  });

  it.each(legacyOnly.map((v) => [v.name, v]))("%s is an invalid session for a default codec", (_n, v) => {
    expect(createSessionCodec({ secretKey: SECRET }).decode(str(v, "encoded"))).toEqual({ ok: false, reason: expect.any(String) });
  });

  it.each(legacyOnly.map((v) => [v.name, v]))("%s decodes with legacy: true", (_n, v) => {
    const result = createSessionCodec({ secretKey: SECRET, legacy: true }).decode(str(v, "encoded"));
    expect(result.ok && Object.fromEntries(result.data)).toEqual(v.decoded);
  });

  it("defineSessionConfig: allowLegacyFormats defaults to false and must be a boolean", () => {
    expect(defineSessionConfig({ secretKey: "k" }).allowLegacyFormats).toBe(false);
    expect(defineSessionConfig({ secretKey: "k", allowLegacyFormats: true }).allowLegacyFormats).toBe(true);
    expect(() => defineSessionConfig({ secretKey: "k", allowLegacyFormats: "yes" as never })).toThrow(SessionConfigError);
  });
});
