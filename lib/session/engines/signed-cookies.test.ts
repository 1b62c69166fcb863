import { describe, expect, it } from "vitest";
import { COOKIE_SALT, createSessionCodec } from "../codec.ts";
import { DEFAULT_SESSION_POLICY } from "../expiry.ts";
import { loads } from "../signing.ts";
import { Session } from "../session.ts";
import { loadMeta, loadVectors, str } from "../../../test/fixtures/django-vectors.ts";
import { createSignedCookieStore } from "./signed-cookies.ts";

const { secret_key: SECRET } = loadMeta();
const T0 = 1_700_000_000_000;
const AGE = 1_209_600;

function setup() {
  let now = T0;
  const store = createSignedCookieStore({ secretKey: SECRET, maxAge: AGE });
  const codec = createSessionCodec({ secretKey: SECRET });
  const open = (key: string | null = null) => new Session({ key, store, codec, policy: DEFAULT_SESSION_POLICY, clock: () => new Date(now) });
  return { open, advance: (seconds: number) => (now += seconds * 1000) };
}

describe("signed-cookies engine", () => {
  it("keeps the whole session in the key, signed with Django's cookie salt", async () => {
    const { open } = setup();
    const session = await open().load();
    session.set("cart", [1, 2, 3]);
    await session.save();
    const value = session.key!;
    expect(value).toMatch(/^[A-Za-z0-9_.-]+:[0-9A-Za-z]+:[A-Za-z0-9_-]{43}$/);
    expect(loads(value, { secretKey: SECRET, salt: COOKIE_SALT })).toMatchObject({ cart: [1, 2, 3] });
    const again = await open(value).load();
    expect(again.get("cart")).toEqual([1, 2, 3]);
  });

  it("signs with its clock's time when the save does not carry one", async () => {
    const store = createSignedCookieStore({ secretKey: SECRET, maxAge: AGE, clock: () => new Date(T0) });
    const result = await store.save("", { encoded: "", expireDate: new Date(T0), ttlSeconds: AGE, data: new Map([["a", 1]]), createdAt: new Date(T0), userId: null }, null);
    const value = result.ok ? result.key! : "";
    expect(value.split(":")[1]).toBe("1r31eq");
    expect((await store.load(value, new Date(T0)))?.expireDate).toEqual(new Date(T0 + AGE * 1000));
  });

  it("loads the cookies Django wrote", async () => {
    const store = createSignedCookieStore({ secretKey: SECRET, maxAge: AGE });
    for (const v of loadVectors("signed_cookies.json").filter((x) => !x.signing_loads_error && x.name === "auth")) {
      const loaded = await store.load(str(v, "encoded"), new Date(T0));
      expect(loaded?.data && Object.fromEntries(loaded.data)).toEqual(v.decoded);
    }
  });

  it("gives a fresh session for a tampered or expired cookie", async () => {
    const { open, advance } = setup();
    const session = await open().load();
    session.set("user", "alice");
    await session.save();
    const value = session.key!;
    const tampered = await open(value.replace(/.$/, (c) => (c === "A" ? "B" : "A"))).load();
    expect(tampered.key).toBeNull();
    expect(tampered.size).toBe(0);
    advance(AGE);
    expect((await open(value).load()).get("user")).toBe("alice");
    advance(1);
    const expired = await open(value).load();
    expect(expired.key).toBeNull();
    expect(expired.size).toBe(0);
  });

  it("re-signs on every save, so the cookie's age restarts", async () => {
    const { open, advance } = setup();
    const session = await open().load();
    session.set("n", 1);
    await session.save();
    advance(AGE - 10);
    const later = await open(session.key).load();
    later.set("n", 2);
    await later.save();
    advance(100);
    expect((await open(later.key).load()).get("n")).toBe(2);
  });

  it("refuses a session too large for a cookie, with a clear error", async () => {
    const { open } = setup();
    const session = await open().load();
    session.set("blob", Array.from({ length: 600 }, (_, i) => `${i}-${Math.random().toString(36)}`));
    await expect(session.save()).rejects.toThrow(/over the \d+ that fit in a 4096-byte cookie/);
  });
});
