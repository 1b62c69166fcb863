// A cookie that cannot be a session key is no session, decided before any
// engine is asked: junk never reaches Redis, SQL or the file system.
import { describe, expect, it } from "vitest";
import { createSessionCodec } from "./codec.ts";
import { createMemoryStore } from "./engines/memory.ts";
import { createSignedCookieStore } from "./engines/signed-cookies.ts";
import { generateSessionKey, isWellFormedSessionKey } from "./keys.ts";
import { Session } from "./session.ts";
import type { SessionStore } from "./store.ts";

const SECRET = "session-key-shape-test-secret";
const codec = createSessionCodec({ secretKey: SECRET });

/** The memory engine, counting every call the Session makes to it (the store itself is real). */
function countingStore(): { store: SessionStore; calls: string[] } {
  const inner = createMemoryStore();
  const calls: string[] = [];
  const store = new Proxy(inner, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        calls.push(String(name));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store, calls };
}

const IMPOSSIBLE = [
  "../../etc/passwd",
  "ABCDEFGHIJKLMNOP",
  "abcdefgh ijklmnop",
  "abcdefgh*",
  "lease:{abcdefgh}",
  "abcdefgh\r\nFLUSHALL",
  "a".repeat(41),
  "é".repeat(16),
  "x".repeat(100_000),
];

describe("impossible session keys are rejected before the store", () => {
  it.each(IMPOSSIBLE.map((k) => [JSON.stringify(k).slice(0, 40), k]))("%s: no session, no store call, reported", async (_name, key) => {
    const { store, calls } = countingStore();
    const reasons: string[] = [];
    const session = await new Session({ key, store, codec, onInvalid: (r) => reasons.push(r) }).load();
    expect(session.key).toBeNull();
    expect(session.isEmpty()).toBe(true);
    expect(calls).toEqual([]);
    expect(reasons).toEqual(["malformed session key"]);
  });

  it("a saved session under a rejected cookie gets a fresh key", async () => {
    const { store, calls } = countingStore();
    const session = await new Session({ key: "NOT-A-KEY-1234567890", store, codec }).load();
    session.set("cart", [1]);
    await session.save();
    expect(session.key).toMatch(/^[a-z0-9]{32}$/);
    expect(calls).toEqual(["save"]);
  });

  it("well-formed keys, 8 to 40 of [a-z0-9], still reach the store", async () => {
    for (const key of ["abcdefgh", "12345678", generateSessionKey(), "z".repeat(40)]) {
      const { store, calls } = countingStore();
      const reasons: string[] = [];
      await new Session({ key, store, codec, onInvalid: (r) => reasons.push(r) }).load();
      expect(calls, key).toEqual(["load"]);
      expect(reasons).toEqual(["session not found or expired"]);
    }
  });

  it("signed cookies, whose key is the signed data, keep their own shape", async () => {
    const store = createSignedCookieStore({ secretKey: SECRET, maxAge: 3600 });
    const first = await new Session({ store, codec }).load();
    first.set("cart", [1, 2]);
    await first.save();
    expect(isWellFormedSessionKey(first.key)).toBe(false);
    const again = await new Session({ key: first.key, store, codec }).load();
    expect(again.get("cart")).toEqual([1, 2]);
    // Longer than any cookie a browser sends back: not even verified.
    const reasons: string[] = [];
    await new Session({ key: first.key + "A".repeat(5000), store, codec, onInvalid: (r) => reasons.push(r) }).load();
    expect(reasons).toEqual(["malformed session key"]);
  });
});

describe("isWellFormedSessionKey", () => {
  it("is [a-z0-9]{8,40}: every key Django or SessionScope generates, and the width of the key column", () => {
    expect(isWellFormedSessionKey(generateSessionKey())).toBe(true);
    expect(isWellFormedSessionKey("abcdefgh")).toBe(true);
    expect(isWellFormedSessionKey("a".repeat(40))).toBe(true);
    for (const bad of ["abcdefg", "a".repeat(41), "Abcdefgh", "abcdefg-", "", null, undefined, 12345678]) expect(isWellFormedSessionKey(bad)).toBe(false);
  });
});
