import { describe, expect, it } from "vitest";
import { defineSessionConfig, toSessionPolicy } from "./config.ts";
import { SessionConfigError } from "./errors.ts";

describe("defineSessionConfig", () => {
  it("fills Django's defaults and freezes the result", () => {
    const config = defineSessionConfig({ secretKey: "k" });
    expect(config).toEqual({
      cookieName: "sessionid", cookieAge: 1_209_600, cookieDomain: null, cookiePath: "/", cookieSecure: false, cookieHttpOnly: true,
      cookieSameSite: "Lax", saveEveryRequest: false, expireAtBrowserClose: false, secretKey: "k", secretKeyFallbacks: [],
      idleTimeoutSeconds: null, absoluteLifetimeSeconds: null, allowLegacyFormats: false,
    });
    expect(Object.isFrozen(config) && Object.isFrozen(config.secretKeyFallbacks)).toBe(true);
    expect(toSessionPolicy(config)).toEqual({ cookieAge: 1_209_600, expireAtBrowserClose: false, saveEveryRequest: false, idleTimeoutSeconds: null, absoluteLifetimeSeconds: null });
  });

  it.each([
    [{ secretKey: "" }, /secretKey/],
    [{ secretKey: "k", cookieAge: 0 }, /cookieAge/],
    [{ secretKey: "k", cookieAge: 1.5 }, /cookieAge/],
    [{ secretKey: "k", cookieName: "bad name" }, /cookieName/],
    [{ secretKey: "k", cookiePath: "app" }, /cookiePath/],
    [{ secretKey: "k", cookieSameSite: "lax" as never }, /cookieSameSite/],
    [{ secretKey: "k", cookieSameSite: "None" as const }, /cookieSameSite "None" requires cookieSecure to be true/],
    [{ secretKey: "k", idleTimeoutSeconds: -1 }, /idleTimeoutSeconds/],
    [{ secretKey: "k", secretKeyFallbacks: [""] }, /secretKeyFallbacks/],
  ])("rejects %j with a prefixed message", (input, message) => {
    expect(() => defineSessionConfig(input)).toThrow(SessionConfigError);
    expect(() => defineSessionConfig(input)).toThrow(message);
    expect(() => defineSessionConfig(input)).toThrow(/^SessionScope: /);
  });

  it("names the settings as the caller does, with the same rules and wording", () => {
    const names = { cookieSameSite: "SESSION_COOKIE_SAMESITE", cookieSecure: "SESSION_COOKIE_SECURE", cookieName: "SESSION_COOKIE_NAME" };
    expect(() => defineSessionConfig({ secretKey: "k", cookieSameSite: "None" }, { names })).toThrow(
      'SessionScope: SESSION_COOKIE_SAMESITE "None" requires SESSION_COOKIE_SECURE to be true (browsers drop SameSite=None cookies without Secure)',
    );
    expect(() => defineSessionConfig({ secretKey: "k", cookieName: "a;b" }, { names })).toThrow(/^SessionScope: SESSION_COOKIE_NAME "a;b" is not a valid cookie name/);
    expect(() => defineSessionConfig({ secretKey: "k", cookieAge: -1 }, { names })).toThrow(/^SessionScope: cookieAge must be/);
  });

  it("ignores explicitly undefined options", () => {
    expect(defineSessionConfig({ secretKey: "k", cookieName: undefined }).cookieName).toBe("sessionid");
  });
});
