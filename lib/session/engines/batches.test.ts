import { describe, expect, it } from "vitest";
import { FIRST_TIMED_BATCH, removeInBatches } from "./batches.ts";

/** A step over a table of `rows` expired rows, each batch removing what it scanned. */
function fakeTable(rows: number) {
  let left = rows;
  const limits: number[] = [];
  const step = (limit: number): [number, number] => {
    limits.push(limit);
    const taken = Math.min(limit, left);
    left -= taken;
    return [taken, taken];
  };
  return { step, limits };
}

describe("removeInBatches", () => {
  it("runs batches until one comes back short, reporting the running total", async () => {
    const table = fakeTable(7);
    const progress: number[] = [];
    expect(await removeInBatches(table.step, { batchSize: 3, onProgress: (n) => progress.push(n) })).toBe(7);
    expect(table.limits).toEqual([3, 3, 3]);
    expect(progress).toEqual([3, 6, 7]);
  });

  it("asks for one more batch after a full one, and reports nothing when nothing went", async () => {
    const table = fakeTable(4);
    const progress: number[] = [];
    expect(await removeInBatches(table.step, { batchSize: 2, onProgress: (n) => progress.push(n) })).toBe(4);
    expect(table.limits).toEqual([2, 2, 2]);
    expect(progress).toEqual([2, 4]);
  });

  it("pauses between batches, never after the last", async () => {
    const events: string[] = [];
    const table = fakeTable(5);
    const step = (limit: number) => (events.push("batch"), table.step(limit));
    await removeInBatches(step, { batchSize: 2 }, async () => void events.push("pause"));
    expect(events).toEqual(["batch", "pause", "batch", "pause", "batch"]);
  });

  it("takes async steps, a small first batch when no size is given, and at least one row per batch", async () => {
    const table = fakeTable(1);
    expect(await removeInBatches(async (limit) => table.step(limit))).toBe(1);
    expect(table.limits).toEqual([FIRST_TIMED_BATCH]);
    const tiny = fakeTable(2);
    expect(await removeInBatches(tiny.step, { batchSize: 0 })).toBe(2);
    expect(tiny.limits).toEqual([1, 1, 1]);
  });

  it("counts removed sessions, not rows looked at", async () => {
    // A batch that scanned 2 rows but removed 1 (the other was saved meanwhile).
    const results: [number, number][] = [[2, 1], [1, 1]];
    expect(await removeInBatches(() => results.shift()!, { batchSize: 2 })).toBe(2);
  });

  describe("without a batch size, batches bounded by time", () => {
    /** A table whose rows each cost `msPerRow` on a clock the test owns. */
    function timedTable(rows: number, msPerRow: (limit: number) => number) {
      const table = fakeTable(rows);
      let now = 0;
      const step = (limit: number) => {
        now += limit * msPerRow(limit);
        return table.step(limit);
      };
      return { step, limits: table.limits, clock: () => now };
    }

    it("grow while rows are cheap, at most doubling, and remove everything", async () => {
      const t = timedTable(20_000, () => 0.001);
      expect(await removeInBatches(t.step, {}, undefined, t.clock)).toBe(20_000);
      expect(t.limits.slice(0, 5)).toEqual([100, 200, 400, 800, 1600]);
    });

    it("shrink to the time asked for where rows are dear, at most halving", async () => {
      // 1 ms a row against 20 ms a batch: 100, 50, 25, then about 20 rows a batch.
      const t = timedTable(300, () => 1);
      expect(await removeInBatches(t.step, {}, undefined, t.clock)).toBe(300);
      expect(t.limits.slice(0, 4)).toEqual([100, 50, 25, 20]);
      const slower = timedTable(1000, () => 1);
      await removeInBatches(slower.step, { batchMs: 50 }, undefined, slower.clock);
      expect(slower.limits.slice(0, 3)).toEqual([100, 50, 50]);
    });

    it("follow a database whose rows get dearer as batches grow", async () => {
      // Below 1,000 rows a row costs 0.01 ms, above it 0.1 ms: batches settle around 200 to 1,000 rows (2 to 20 ms).
      const t = timedTable(100_000, (limit) => (limit > 1000 ? 0.1 : 0.01));
      expect(await removeInBatches(t.step, {}, undefined, t.clock)).toBe(100_000);
      const settled = t.limits.slice(6, -1);
      expect(Math.max(...settled)).toBeLessThanOrEqual(1600);
      expect(Math.min(...settled)).toBeGreaterThanOrEqual(200);
    });

    it("keep a given batch size fixed, however long batches take", async () => {
      const t = timedTable(10, () => 100);
      await removeInBatches(t.step, { batchSize: 4 }, undefined, t.clock);
      expect(t.limits).toEqual([4, 4, 4]);
    });
  });
});
