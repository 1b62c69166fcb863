import { describe, expect, it } from "vitest";
import { defineSessionConfig } from "./config.ts";
import { buildDeleteCookie, buildSessionCookie, parseSessionCookie } from "./cookie.ts";
import { loadVector, str } from "../../test/fixtures/django-vectors.ts";

const NOW = new Date(1_700_000_000_000);
const defaults = defineSessionConfig({ secretKey: "k" });
const header = (name: string) => str(loadVector("middleware.json", name), "set_cookie").replace(/^Set-Cookie: /, "");

describe("Set-Cookie exactly as Django's middleware (middleware.json)", () => {
  it("db_new_session_set_cookie", () => {
    const v = loadVector("middleware.json", "db_new_session_set_cookie");
    expect(buildSessionCookie(defaults, str(v, "session_key"), 1_209_600, NOW)).toBe(header(v.name));
  });

  it("db_set_expiry_300", () => {
    const v = loadVector("middleware.json", "db_set_expiry_300");
    expect(buildSessionCookie(defaults, str(v, "session_key"), 300, NOW)).toBe(header(v.name));
  });

  it("db_browser_close_secure_domain", () => {
    const v = loadVector("middleware.json", "db_browser_close_secure_domain");
    const config = defineSessionConfig({ secretKey: "k", cookieName: "sid", cookieDomain: ".example.com", cookiePath: "/app", cookieSameSite: "Strict", cookieSecure: true, expireAtBrowserClose: true });
    expect(buildSessionCookie(config, str(v, "session_key"), null, NOW)).toBe(header(v.name));
  });

  it("signed_cookies_set_cookie", () => {
    const v = loadVector("middleware.json", "signed_cookies_set_cookie");
    expect(buildSessionCookie(defaults, str(v, "cookie_value"), 1_209_600, NOW)).toBe(header(v.name));
  });

  it.each(["logout_delete_cookie", "db_unknown_key_cookie_deleted", "db_invalid_short_key"])("%s deletes the cookie", (name) => {
    expect(buildDeleteCookie(defaults)).toBe(header(name));
  });

  it("adds Secure to the delete form only for prefixed names or SameSite=None", () => {
    expect(buildDeleteCookie(defineSessionConfig({ secretKey: "k", cookieName: "__Host-sid" }))).toMatch(/; Secure$/);
    expect(buildDeleteCookie(defineSessionConfig({ secretKey: "k", cookieSecure: true }))).not.toMatch(/Secure/);
  });

  it("refuses values that would need quoting", () => {
    expect(() => buildSessionCookie(defaults, "a;b", 10, NOW)).toThrow(TypeError);
  });
});

describe("parseSessionCookie", () => {
  it("finds the session cookie among others and unquotes it", () => {
    expect(parseSessionCookie("csrftoken=abc; sessionid=q6msx8ab8dcoae3xb4zz157a2v5lguvu; theme=dark", "sessionid")).toBe("q6msx8ab8dcoae3xb4zz157a2v5lguvu");
    expect(parseSessionCookie('sessionid=""', "sessionid")).toBe("");
    expect(parseSessionCookie('sessionid="a\\"b"', "sessionid")).toBe('a"b');
  });

  it("takes the last occurrence like Django, and null when absent", () => {
    expect(parseSessionCookie("sessionid=first; sessionid=second", "sessionid")).toBe("second");
    expect(parseSessionCookie("other=1", "sessionid")).toBeNull();
    expect(parseSessionCookie(undefined, "sessionid")).toBeNull();
  });
});
