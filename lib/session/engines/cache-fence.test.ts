import { describe, expect, it } from "vitest";
import type { CacheInvalidation, CacheInvalidationKind, CacheOutboxStore } from "../store.ts";
import { createCacheFence } from "./cache-fence.ts";

/** The outbox's contract in memory (the SQL tables are tested in test/integration/cache-outage.test.ts). */
function memoryOutbox(): CacheOutboxStore & { rows: CacheInvalidation[] } {
  let next = 1;
  const rows: CacheInvalidation[] = [];
  return {
    rows,
    async recordCacheInvalidations(keys, kind) {
      for (const key of keys) rows.push({ id: next++, key, kind });
    },
    async pendingCacheInvalidations(limit) {
      return rows.slice(0, limit);
    },
    async clearCacheInvalidations(ids) {
      for (const id of ids) rows.splice(rows.findIndex((row) => row.id === id), 1);
    },
  };
}

describe("cache fence", () => {
  const now = () => new Date(0);

  it("distrusts the cache from the start until a first replay finds the outbox empty", async () => {
    const fence = createCacheFence({ outbox: memoryOutbox(), apply: async () => true, now });
    expect(fence.trusted).toBe(false);
    expect(await fence.replay()).toBe(true);
    expect(fence.trusted).toBe(true);
  });

  it("applies every recorded invalidation, in order, before trusting the cache again", async () => {
    const outbox = memoryOutbox();
    const applied: Array<[string, CacheInvalidationKind]> = [];
    const fence = createCacheFence({ outbox, apply: async (key, kind) => (applied.push([key, kind]), true), now });
    await fence.replay();
    await fence.record(["a", "b"], "kill");
    await fence.record(["c"], "stale");
    expect(fence.trusted).toBe(false);
    expect(await fence.replay()).toBe(true);
    expect(applied).toEqual([["a", "kill"], ["b", "kill"], ["c", "stale"]]);
    expect(outbox.rows).toEqual([]);
    expect(fence.trusted).toBe(true);
  });

  it("keeps what the cache did not take, and stays distrusted", async () => {
    const outbox = memoryOutbox();
    const fence = createCacheFence({ outbox, apply: async (key) => key !== "b", now });
    await fence.record(["a", "b"], "kill");
    expect(await fence.replay()).toBe(false);
    expect(fence.trusted).toBe(false);
    expect(outbox.rows.map((row) => row.key)).toEqual(["b"]);
  });

  it("stays distrusted when the cache fails while a replay runs (a kill recorded meanwhile is not skipped)", async () => {
    const outbox = memoryOutbox();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const fence = createCacheFence({ outbox, apply: async () => (await gate, true), now });
    await fence.record(["a"], "kill");
    const replaying = fence.replay();
    fence.failed();
    release();
    expect(await replaying).toBe(false);
    expect(fence.trusted).toBe(false);
    expect(await fence.replay()).toBe(true);
  });

  it("runs one replay at a time for every load that waits on it", async () => {
    let reads = 0;
    const outbox = memoryOutbox();
    const counting = { ...outbox, pendingCacheInvalidations: async (limit: number) => (reads++, outbox.pendingCacheInvalidations(limit)) };
    const fence = createCacheFence({ outbox: counting, apply: async () => true, now });
    expect(await Promise.all([fence.replay(), fence.replay(), fence.replay()])).toEqual([true, true, true]);
    expect(reads).toBe(1);
  });

  it("a kill the database cannot record fails, rather than vanish", async () => {
    const outbox = { ...memoryOutbox(), recordCacheInvalidations: async () => Promise.reject(new Error("database is down")) };
    const fence = createCacheFence({ outbox, apply: async () => true, now });
    await expect(fence.record(["a"], "kill")).rejects.toThrow("database is down");
  });
});
