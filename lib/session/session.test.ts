import { describe, expect, it, vi } from "vitest";
import { createSessionCodec } from "./codec.ts";
import { SessionInterrupted, SessionKeyError } from "./errors.ts";
import { CREATED_KEY, DEFAULT_SESSION_POLICY, EXPIRY_KEY, type SessionPolicy } from "./expiry.ts";
import { createMemoryStore } from "./engines/memory.ts";
import { Session, type SessionOptions } from "./session.ts";
import type { SessionStore } from "./store.ts";

const codec = createSessionCodec({ secretKey: "test-secret-key" });
const T0 = 1_700_000_000_000;

function setup(policy: SessionPolicy = DEFAULT_SESSION_POLICY) {
  const store = createMemoryStore();
  let now = T0;
  const clock = () => new Date(now);
  const open = (key: string | null = null, extra: Partial<SessionOptions> = {}) =>
    new Session({ key, store, codec, policy, clock, backoff: async () => {}, ...extra });
  return { store, open, advance: (seconds: number) => (now += seconds * 1000) };
}

async function seed(open: ReturnType<typeof setup>["open"], values: Record<string, unknown>): Promise<string> {
  const s = await open().load();
  s.update(values);
  await s.save();
  return s.key!;
}

describe("Session basics", () => {
  it("creates a 32-character key on first save and reads the data back under it", async () => {
    const { open } = setup();
    const key = await seed(open, { foo: "bar" });
    expect(key).toMatch(/^[a-z0-9]{32}$/);
    const again = await open(key).load();
    expect(again.get("foo")).toBe("bar");
    expect(again.get(CREATED_KEY)).toBe(T0 / 1000);
  });

  it("reads nothing until loaded, and refuses dict access before load", async () => {
    const { store, open } = setup();
    const spy = vi.spyOn(store, "load");
    const s = open("abcdefgh12345678");
    expect(spy).not.toHaveBeenCalled();
    expect(() => s.get("x")).toThrow(/await session.load\(\)/);
    await Promise.all([s.load(), s.load()]);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it("treats keys shorter than 8 characters as no key (Django's rule)", async () => {
    const { store, open } = setup();
    const spy = vi.spyOn(store, "load");
    const s = await open("short").load();
    expect(s.key).toBeNull();
    expect(spy).not.toHaveBeenCalled();
  });

  it("mirrors Python dict semantics for del, pop and setdefault", async () => {
    const s = await setup().open().load();
    s.set("a", 1);
    expect(() => s.delete("missing")).toThrow(SessionKeyError);
    expect(() => s.pop("missing")).toThrow(SessionKeyError);
    expect(s.pop("missing", null)).toBeNull();
    expect(s.pop("a")).toBe(1);
    expect(s.setDefault("b", 2)).toBe(2);
    expect(s.setDefault("b", 3)).toBe(2);
    expect(s.entries()).toEqual([["b", 2]]);
  });

  it("sets accessed on reads and modified only on writes", async () => {
    const { open } = setup();
    const key = await seed(open, { a: 1 });
    const s = await open(key).load();
    expect([s.accessed, s.modified]).toEqual([false, false]);
    s.get("a");
    expect([s.accessed, s.modified, s.needsSave()]).toEqual([true, false, false]);
    s.pop("nope", 0);
    expect(s.modified).toBe(false);
    s.set("a", 2);
    expect([s.modified, s.needsSave()]).toEqual([true, true]);
  });

  it("handles the test cookie like Django", async () => {
    const s = await setup().open().load();
    s.setTestCookie();
    expect(s.testCookieWorked()).toBe(true);
    s.deleteTestCookie();
    expect(s.testCookieWorked()).toBe(false);
  });

  it("stores Django-compatible data that Django's codec reads", async () => {
    const { store, open } = setup();
    const key = await seed(open, { cart: [1, 2] });
    const stored = await store.load(key, new Date(T0));
    const decoded = codec.decode(stored!.encoded!);
    expect(decoded.ok && Object.fromEntries(decoded.data)).toEqual({ cart: [1, 2], [CREATED_KEY]: T0 / 1000 });
    expect(stored!.expireDate).toEqual(new Date(T0 + 1_209_600_000));
  });
});

describe("expiry on the Session", () => {
  it("setExpiry takes seconds, 0, a Date (stored as ISO like Django 4.2) and null", async () => {
    const s = await setup().open().load();
    s.setExpiry(300);
    expect([s.getExpiryAge(), s.getExpireAtBrowserClose()]).toEqual([300, false]);
    s.setExpiry(0);
    expect([s.getExpiryAge(), s.getExpireAtBrowserClose()]).toEqual([1_209_600, true]);
    s.setExpiry(new Date(T0 + 3_600_000));
    expect(s.get(EXPIRY_KEY)).toBe("2023-11-14T23:13:20+00:00");
    expect(s.getExpiryDate()).toEqual(new Date(T0 + 3_600_000));
    s.setExpiry(null);
    expect(s.has(EXPIRY_KEY)).toBe(false);
  });

  it("drops a session past a newly configured absolute lifetime and deletes it from the store", async () => {
    const { store, open, advance } = setup();
    const key = await seed(open, { a: 1 });
    advance(3600);
    const reasons: string[] = [];
    const policy = { ...DEFAULT_SESSION_POLICY, absoluteLifetimeSeconds: 3600 };
    const s = await open(key, { policy, onInvalid: (r) => reasons.push(r) }).load();
    expect([s.key, s.size, reasons]).toEqual([null, 0, ["absolute session lifetime exceeded"]]);
    expect(await store.exists(key)).toBe(false);
  });

  it("caps the stored expiry by the absolute lifetime, so the store itself drops the session", async () => {
    const { open, advance } = setup({ ...DEFAULT_SESSION_POLICY, absoluteLifetimeSeconds: 3600 });
    const key = await seed(open, { a: 1 });
    advance(3599);
    expect((await open(key).load()).key).toBe(key);
    advance(1);
    expect((await open(key).load()).key).toBeNull();
  });

  it("keeps an idle-limited session alive while it is used, and drops it when unused", async () => {
    const { open, advance } = setup({ ...DEFAULT_SESSION_POLICY, idleTimeoutSeconds: 600 });
    const key = await seed(open, { a: 1 });
    advance(500);
    const used = await open(key).load();
    expect(used.needsSave()).toBe(true);
    await used.save();
    advance(500);
    expect((await open(key).load()).key).toBe(key);
    advance(601);
    expect((await open(key).load()).key).toBeNull();
  });
});

describe("invalid cookies give a fresh session (fixation protection)", () => {
  it("forgets an unknown key and saves under a new one", async () => {
    const { open } = setup();
    const reasons: string[] = [];
    const s = await open("doesnotexist12345678901234567890", { onInvalid: (r) => reasons.push(r) }).load();
    expect(s.key).toBeNull();
    s.set("x", 1);
    await s.save();
    expect(s.key).not.toBe("doesnotexist12345678901234567890");
    expect(reasons).toEqual(["session not found or expired"]);
  });

  it("reports tampered stored data", async () => {
    const { store, open } = setup();
    const key = await seed(open, { a: 1 });
    const stored = (await store.load(key, new Date(T0)))!;
    await store.save(key, { ...(await fakeRecord()), encoded: stored.encoded!.slice(0, -1) + "A" }, stored.version);
    const onInvalid = vi.fn();
    const s = await open(key, { onInvalid }).load();
    expect(s.key).toBeNull();
    expect(onInvalid).toHaveBeenCalledWith(expect.stringMatching(/^session data rejected: signature/));
  });
});

describe("concurrency: compare-and-swap with replay", () => {
  it("keeps both changes when two overlapping requests change different keys", async () => {
    const { open } = setup();
    const key = await seed(open, { a: 0, b: 0 });
    const [r1, r2] = await Promise.all([open(key).load(), open(key).load()]);
    r1.set("a", 1);
    r2.set("b", 2);
    r2.delete("a");
    await r1.save();
    await r2.save();
    const after = await open(key).load();
    expect(Object.fromEntries(after.entries())).toMatchObject({ b: 2 });
    expect(after.has("a")).toBe(false);
  });

  it("persists 50 concurrent modify() increments", async () => {
    const { open } = setup();
    const key = await seed(open, { cart: 0 });
    const requests = Array.from({ length: 50 }, async () => {
      const s = await open(key, { backoff: undefined }).load();
      s.modify<number>("cart", (n) => (n ?? 0) + 1);
      await s.save();
    });
    await Promise.all(requests);
    expect((await open(key).load()).get("cart")).toBe(50);
  });

  it("throws SessionInterrupted when the session was deleted meanwhile", async () => {
    const { store, open } = setup();
    const key = await seed(open, { a: 1 });
    const s = await open(key).load();
    s.set("a", 2);
    await store.delete(key);
    await expect(s.save()).rejects.toBeInstanceOf(SessionInterrupted);
  });

  it("gives up with a clear error after the bounded retries", async () => {
    const { store, open } = setup();
    const key = await seed(open, { a: 1 });
    const always: SessionStore = { ...store, save: async () => ({ ok: false, reason: "conflict" }) };
    const s = await open(key, { store: always, maxSaveAttempts: 3 }).load();
    s.set("a", 2);
    await expect(s.save()).rejects.toThrow(/after 3 attempts/);
  });
});

describe("flush and cycleKey", () => {
  it("flush empties, deletes the stored session and forgets the key", async () => {
    const { store, open } = setup();
    const key = await seed(open, { a: 1 });
    const s = open(key);
    await s.flush();
    expect([s.key, s.isEmpty(), s.modified, await store.exists(key)]).toEqual([null, true, true, false]);
  });

  it("cycleKey keeps the data under a new key and deletes the old one", async () => {
    const { store, open } = setup();
    const key = await seed(open, { cart: [1] });
    const s = open(key);
    await s.cycleKey();
    expect(s.key).not.toBe(key);
    expect(await store.exists(key)).toBe(false);
    expect((await open(s.key).load()).get("cart")).toEqual([1]);
  });
});

async function fakeRecord() {
  return { encoded: "", expireDate: new Date(T0 + 60_000), ttlSeconds: 60, data: new Map(), createdAt: new Date(T0), userId: null };
}
