import { describe, expect, it } from "vitest";
import { createSessionCodec } from "./codec.ts";
import { defineSessionConfig, toSessionPolicy, type SessionConfigInput } from "./config.ts";
import { createMemoryStore } from "./engines/memory.ts";
import { createSignedCookieStore } from "./engines/signed-cookies.ts";
import { commitSession } from "./middleware.ts";
import { Session } from "./session.ts";
import type { SessionStore } from "./store.ts";
import { loadMeta, loadVectors } from "../../test/fixtures/django-vectors.ts";

const { secret_key: SECRET } = loadMeta();
const NOW = new Date(1_700_000_000_000);
const vectors = loadVectors("middleware.json");
const expected = (name: string) => {
  const v = vectors.find((x) => x.name === name)!;
  return v.set_cookie === null ? null : String(v.set_cookie).replace(/^Set-Cookie: /, "");
};

function setup(input: Partial<SessionConfigInput> = {}, store: SessionStore = createMemoryStore()) {
  const config = defineSessionConfig({ secretKey: SECRET, ...input });
  const codec = createSessionCodec({ secretKey: SECRET });
  const open = (key: string | null) => new Session({ key, store, codec, policy: toSessionPolicy(config), clock: () => NOW });
  const commit = (session: Session, hadCookie: boolean, status = 200) => commitSession(session, { hadCookie, status, config, now: NOW });
  return { open, commit, store };
}

async function existingKey(open: (key: string | null) => Session): Promise<string> {
  const s = await open(null).load();
  s.set("foo", "bar");
  await s.save();
  return s.key!;
}

describe("commitSession follows Django's SessionMiddleware (middleware.json)", () => {
  it("sets the cookie for a new session with Django's attributes (db_new_session_set_cookie)", async () => {
    const { open, commit } = setup();
    const session = await open(null).load();
    session.set("foo", "bar");
    const result = await commit(session, false);
    expect(result.vary).toBe(true);
    expect(result.cookie?.header).toBe(expected("db_new_session_set_cookie")!.replace("q6msx8ab8dcoae3xb4zz157a2v5lguvu", session.key!));
    expect(result.cookie).toMatchObject({ name: "sessionid", value: session.key, maxAge: 1209600, httpOnly: true, sameSite: "Lax", secure: false });
  });

  it("writes a browser-session cookie with Secure, Domain, Path and SameSite from settings (db_browser_close_secure_domain)", async () => {
    const { open, commit } = setup({
      cookieName: "sid", expireAtBrowserClose: true, cookieSecure: true, cookieDomain: ".example.com", cookiePath: "/app", cookieSameSite: "Strict",
    });
    const session = await open(null).load();
    session.set("foo", "bar");
    const { cookie } = await commit(session, false);
    expect(cookie?.header).toBe(expected("db_browser_close_secure_domain")!.replace("5rgz5x9aib596aaaki1mwv3ltj9svons", session.key!));
    expect(cookie?.maxAge).toBeNull();
  });

  it("uses set_expiry for Max-Age and expires (db_set_expiry_300)", async () => {
    const { open, commit } = setup();
    const session = await open(null).load();
    session.setExpiry(300);
    const { cookie } = await commit(session, false);
    expect(cookie?.header).toBe(expected("db_set_expiry_300")!.replace("snws6zl7firw4ewc9i2y0363vav504ww", session.key!));
  });

  it("adds Vary but no cookie for a read-only request (db_read_only_no_cookie)", async () => {
    const { open, commit } = setup();
    const key = await existingKey(open);
    const session = await open(key).load();
    expect(session.get("foo")).toBe("bar");
    expect(await commit(session, true)).toEqual({ vary: true, saved: false, cookie: null });
  });

  it("touches nothing for a request that never used the session", async () => {
    const { open, commit } = setup();
    expect(await commit(open(await existingKey(open)), true)).toEqual({ vary: false, saved: false, cookie: null });
  });

  it("deletes the cookie of an unknown, short or logged-out session", async () => {
    const { open, commit } = setup();
    for (const [key, name] of [
      ["doesnotexist12345678901234567890", "db_unknown_key_cookie_deleted"],
      ["short", "db_invalid_short_key"],
    ] as const) {
      const session = await open(key).load();
      expect(session.get("anything")).toBeUndefined();
      expect((await commit(session, true)).cookie?.header).toBe(expected(name));
    }
    const session = await open(await existingKey(open)).load();
    await session.flush();
    const result = await commit(session, true);
    expect(result.cookie?.header).toBe(expected("logout_delete_cookie"));
    expect(result.cookie).toMatchObject({ value: "", maxAge: 0 });
  });

  it("saves nothing and sets no cookie on a 5xx", async () => {
    const { open, commit, store } = setup();
    const session = await open(null).load();
    session.set("foo", "bar");
    expect(await commit(session, false, 503)).toEqual({ vary: true, saved: false, cookie: null });
    expect(session.key).toBeNull();
    expect(await store.exists("anything")).toBe(false);
  });

  it("marks the cookie Secure when the request came over HTTPS", async () => {
    const { open } = setup();
    const config = defineSessionConfig({ secretKey: SECRET });
    const session = await open(null).load();
    session.set("foo", "bar");
    const { cookie } = await commitSession(session, { hadCookie: false, status: 200, config, now: NOW, secure: true });
    expect(cookie?.header.endsWith("; Secure")).toBe(true);
  });

  it("signed cookies: sets the signed value itself (signed_cookies_set_cookie)", async () => {
    const store = createSignedCookieStore({ secretKey: SECRET, maxAge: 1209600, zlib: "cpython" });
    const { open, commit } = setup({}, store);
    const session = await open(null).load();
    session.set("foo", "bar");
    const { cookie } = await commit(session, false);
    // SessionScope also stores `_session_created`; Django's value holds only foo.
    expect(cookie?.header).toMatch(/^sessionid=[A-Za-z0-9_.-]+:1r31eq:[A-Za-z0-9_-]{43}; expires=Tue, 28 Nov 2023 22:13:20 GMT; HttpOnly; Max-Age=1209600; Path=\/; SameSite=Lax$/);
    const read = await open(cookie!.value).load();
    expect(read.get("foo")).toBe("bar");
    expect(await commit(read, true)).toEqual({ vary: true, saved: false, cookie: null });
  });

  it("signed cookies: a tampered cookie is a fresh session and the bad cookie is deleted", async () => {
    const store = createSignedCookieStore({ secretKey: SECRET, maxAge: 1209600 });
    const { open, commit } = setup({}, store);
    const tampered = String(vectors.find((v) => v.name === "signed_cookies_tampered_cookie")!.request_cookie);
    const session = await open(tampered).load();
    expect(session.size).toBe(0);
    // Django re-issues a cookie holding a signed `{}`; SessionScope deletes the bad cookie instead.
    expect((await commit(session, true)).cookie).toMatchObject({ value: "", maxAge: 0 });
  });
});
