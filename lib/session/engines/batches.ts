/** Clean-ups in short batches, so a long one never holds a write lock for long. */
import type { ClearExpiredOptions } from "../store.ts";

export const DEFAULT_BATCH_SIZE = 1000;

/** One batch: [rows it looked at, sessions it removed]. */
export type BatchStep = (limit: number) => [scanned: number, removed: number] | Promise<[scanned: number, removed: number]>;

/**
 * Runs `step` until a batch comes back short, reporting the running total
 * after each batch that removed something; `pause` runs between batches.
 */
export async function removeInBatches(step: BatchStep, options?: ClearExpiredOptions, pause?: () => Promise<void>): Promise<number> {
  const batchSize = Math.max(1, options?.batchSize ?? DEFAULT_BATCH_SIZE);
  let total = 0;
  for (;;) {
    const [scanned, removed] = await step(batchSize);
    total += removed;
    if (removed > 0) options?.onProgress?.(total);
    if (scanned < batchSize) return total;
    await pause?.();
  }
}
