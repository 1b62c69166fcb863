import { describe, expect, it } from "vitest";
import { createMemoryCounterStore, type CounterClaim } from "./rate-limit.ts";

const rule = (key: string, limit: number | null = 3): CounterClaim => ({ key, limit, windowSeconds: 60 });

describe("in-memory login counters", () => {
  it("refuses once a counter reaches its limit, until its window ends", async () => {
    let now = 0;
    const store = createMemoryCounterStore({ clock: () => now });
    for (let i = 0; i < 3; i++) expect(await store.claim([rule("alice")])).toEqual({ ok: true });
    expect(await store.claim([rule("alice")])).toEqual({ ok: false, retryAfterSeconds: 60 });
    expect(await store.claim([rule("bob")])).toEqual({ ok: true });
    now += 45_000;
    expect(await store.claim([rule("alice")])).toEqual({ ok: false, retryAfterSeconds: 15 });
    now += 15_000;
    expect(await store.claim([rule("alice")])).toEqual({ ok: true });
  });

  it("counts a claim before anything else runs, so a parallel burst gets exactly the limit", async () => {
    const store = createMemoryCounterStore();
    const results = await Promise.all(Array.from({ length: 200 }, () => store.claim([rule("alice", 5)])));
    expect(results.filter((result) => result.ok)).toHaveLength(5);
  });

  it("changes no counter when one of them refuses", async () => {
    const store = createMemoryCounterStore();
    await store.claim([rule("address", 1)]);
    expect((await store.claim([rule("pair", 2), rule("address", 1)])).ok).toBe(false);
    expect((await store.claim([rule("pair", 1)])).ok).toBe(true);
    expect((await store.claim([rule("pair", 1)])).ok).toBe(false);
  });

  it("counts without a limit, gives claims back and forgets on reset", async () => {
    const store = createMemoryCounterStore();
    for (let i = 0; i < 10; i++) expect((await store.claim([rule("soft", null)])).ok).toBe(true);
    expect((await store.claim([rule("soft", 10)])).ok).toBe(false);
    await store.release(["soft"]);
    expect((await store.claim([rule("soft", 10)])).ok).toBe(true);
    await store.reset("soft");
    expect((await store.claim([rule("soft", 1)])).ok).toBe(true);
  });

  it("never takes a counter below zero", async () => {
    const store = createMemoryCounterStore();
    await store.claim([rule("alice", 1)]);
    await store.release(["alice"]);
    await store.release(["alice"]);
    expect((await store.claim([rule("alice", 1)])).ok).toBe(true);
    expect((await store.claim([rule("alice", 1)])).ok).toBe(false);
  });

  it("evicts the oldest counters when full, and keeps the rest", async () => {
    const store = createMemoryCounterStore();
    // 100,000 is the store's default bound; a flood of 100,010 new keys.
    for (let i = 0; i < 100_010; i++) await store.claim([rule(`flood-${i}`, 1)]);
    expect((await store.claim([rule("flood-0", 1)])).ok).toBe(true); // the oldest went
    expect((await store.claim([rule("flood-50000", 1)])).ok).toBe(false); // the middle is still locked
    expect((await store.claim([rule("flood-100009", 1)])).ok).toBe(false);
  });

  it("stays within its bound", async () => {
    const store = createMemoryCounterStore({ maxEntries: 3 });
    for (const key of ["a", "b", "c", "d"]) await store.claim([rule(key, 1)]);
    expect((await store.claim([rule("a", 1)])).ok).toBe(true); // evicted: counts from zero again
    for (const key of ["c", "d"]) expect((await store.claim([rule(key, 1)])).ok).toBe(false);
  });

  it("remembers marks until they expire", async () => {
    let now = 0;
    const store = createMemoryCounterStore({ clock: () => now });
    await store.mark("known", 10);
    expect(await store.isMarked("known")).toBe(true);
    expect(await store.isMarked("other")).toBe(false);
    now += 10_000;
    expect(await store.isMarked("known")).toBe(false);
  });
});
