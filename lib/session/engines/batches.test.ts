import { describe, expect, it } from "vitest";
import { DEFAULT_BATCH_SIZE, removeInBatches } from "./batches.ts";

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

  it("takes async steps, the default batch size, and at least one row per batch", async () => {
    const table = fakeTable(1);
    expect(await removeInBatches(async (limit) => table.step(limit))).toBe(1);
    expect(table.limits).toEqual([DEFAULT_BATCH_SIZE]);
    const tiny = fakeTable(2);
    expect(await removeInBatches(tiny.step, { batchSize: 0 })).toBe(2);
    expect(tiny.limits).toEqual([1, 1, 1]);
  });

  it("counts removed sessions, not rows looked at", async () => {
    // A batch that scanned 2 rows but removed 1 (the other was saved meanwhile).
    const results: [number, number][] = [[2, 1], [1, 1]];
    expect(await removeInBatches(() => results.shift()!, { batchSize: 2 })).toBe(2);
  });
});
