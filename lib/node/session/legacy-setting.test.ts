// SESSION_ACCEPT_LEGACY turns the pre-3.1 format and SHA-1 signatures back on for the app's codec.
import { describe, expect, it } from "vitest";
import { parseEnv } from "../env.ts";
import { createSessionCodecFromConfig } from "./engines.ts";
import { loadMeta, loadVector, str } from "../../../test/fixtures/django-vectors.ts";

const { secret_key: SECRET } = loadMeta();
const legacy = str(loadVector("legacy.json", "legacy_simple"), "encoded");

describe("SESSION_ACCEPT_LEGACY", () => {
  it("is off unless set, like Django 4.0+", () => {
    const config = parseEnv({ SESSION_SECRET_KEY: SECRET }).session;
    expect(config.allowLegacyFormats).toBe(false);
    expect(createSessionCodecFromConfig(config).decode(legacy, new Date()).ok).toBe(false);
  });

  it("=true lets the app read sessions Django 3.1/3.2 wrote in the pre-3.1 format", () => {
    const config = parseEnv({ SESSION_SECRET_KEY: SECRET, SESSION_ACCEPT_LEGACY: "true" }).session;
    expect(config.allowLegacyFormats).toBe(true);
    const decoded = createSessionCodecFromConfig(config).decode(legacy, new Date());
    expect(decoded.ok && Object.fromEntries(decoded.data)).toEqual({ foo: "bar" });
  });
});
