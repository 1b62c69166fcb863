import { describe, expect, it } from "vitest";
import { createMemoryStore } from "./memory.ts";
import type { SaveRecord } from "../store.ts";

const T0 = new Date(1_700_000_000_000);
const later = (s: number) => new Date(T0.getTime() + s * 1000);
const record = (encoded: string, expiresIn = 60, userId: string | null = null): SaveRecord => ({
  encoded, expireDate: later(expiresIn), ttlSeconds: expiresIn, data: new Map(), createdAt: T0, userId,
});

describe("memory engine: the compare-and-swap contract", () => {
  it("creates only when the key is free", async () => {
    const store = createMemoryStore();
    expect(await store.save("k1", record("a"), null)).toMatchObject({ ok: true });
    expect(await store.save("k1", record("b"), null)).toEqual({ ok: false, reason: "exists" });
    expect((await store.load("k1", T0))?.encoded).toBe("a");
  });

  it("updates only from the current version", async () => {
    const store = createMemoryStore();
    const created = await store.save("k1", record("a"), null);
    if (!created.ok) throw new Error("create failed");
    const first = await store.save("k1", record("b"), created.version);
    expect(first.ok).toBe(true);
    expect(await store.save("k1", record("c"), created.version)).toEqual({ ok: false, reason: "conflict" });
    expect(await store.save("gone", record("c"), created.version)).toEqual({ ok: false, reason: "missing" });
    expect((await store.load("k1", T0))?.encoded).toBe("b");
  });

  it("hides expired sessions from load but not from exists, and clears them", async () => {
    const store = createMemoryStore();
    await store.save("old", record("a", 10), null);
    await store.save("new", record("b", 100), null);
    expect(await store.load("old", later(10))).toBeNull();
    expect(await store.exists("old")).toBe(true);
    expect(await store.clearExpired(later(11))).toBe(1);
    expect(await store.exists("old")).toBe(false);
  });

  it("lists, counts and deletes by user", async () => {
    const store = createMemoryStore();
    for (const [key, user] of [["aaa", "1"], ["bbb", "1"], ["ccc", "2"]] as const) await store.save(key, record(key, 60, user), null);
    expect(await store.count({ userId: "1" }, T0)).toBe(2);
    const page = await store.list({}, { limit: 2 }, T0);
    expect(page.items.map((i) => i.key)).toEqual(["aaa", "bbb"]);
    expect((await store.list({}, { limit: 2, cursor: page.nextCursor }, T0)).items.map((i) => i.key)).toEqual(["ccc"]);
    expect(await store.deleteByUser("1", "aaa")).toBe(1);
    expect((await store.listByUser("1", T0)).map((i) => i.key)).toEqual(["aaa"]);
  });
});
