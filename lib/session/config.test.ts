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
    [{ secretKey: "k", cookieSameSite: "None" as const }, /requires cookieSecure/],
    [{ secretKey: "k", idleTimeoutSeconds: -1 }, /idleTimeoutSeconds/],
    [{ secretKey: "k", secretKeyFallbacks: [""] }, /secretKeyFallbacks/],
  ])("rejects %j with a prefixed message", (input, message) => {
    expect(() => defineSessionConfig(input)).toThrow(SessionConfigError);
    expect(() => defineSessionConfig(input)).toThrow(message);
    expect(() => defineSessionConfig(input)).toThrow(/^SessionScope: /);
  });

  it("ignores explicitly undefined options", () => {
    expect(defineSessionConfig({ secretKey: "k", cookieName: undefined }).cookieName).toBe("sessionid");
  });
});
