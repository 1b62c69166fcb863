/** Clean-ups in short batches, so a long one never holds a write lock for long. */
import type { ClearExpiredOptions } from "../store.ts";

/** Rows per batch where a fixed size is wanted (the file engine) and none was given. */
export const DEFAULT_BATCH_SIZE = 1000;
/** What a time-bounded batch aims to take: a login waiting behind it waits at most about this long. */
export const DEFAULT_BATCH_MS = 20;
/** The first time-bounded batch: small, since nothing is known yet of what a row costs on this database. */
export const FIRST_TIMED_BATCH = 100;
const MIN_TIMED_BATCH = 10;
const MAX_TIMED_BATCH = 50_000;

/** One batch: [rows it looked at, sessions it removed]. */
export type BatchStep = (limit: number) => [scanned: number, removed: number] | Promise<[scanned: number, removed: number]>;

/**
 * Runs `step` until a batch comes back short, reporting the running total
 * after each batch that removed something; `pause` runs between batches.
 *
 * With `batchSize` every batch asks for that many rows. Without it batches are
 * bounded by time: each is sized from how long the last one took, to take
 * about `batchMs`, at most doubling or halving at a time. What a row costs
 * differs a hundredfold between databases (how many index pages a delete
 * rewrites, how busy the disk is), so a fixed row count is either slow where
 * rows are cheap or holds the lock too long where they are not.
 */
export async function removeInBatches(
  step: BatchStep,
  options?: ClearExpiredOptions,
  pause?: () => Promise<void>,
  clock: () => number = () => performance.now(),
): Promise<number> {
  const fixed = options?.batchSize === undefined ? null : Math.max(1, options.batchSize);
  const targetMs = Math.max(1, options?.batchMs ?? DEFAULT_BATCH_MS);
  let size = fixed ?? FIRST_TIMED_BATCH;
  let total = 0;
  for (;;) {
    const started = clock();
    const [scanned, removed] = await step(size);
    const elapsed = clock() - started;
    total += removed;
    if (removed > 0) options?.onProgress?.(total);
    if (scanned < size) return total;
    if (fixed === null) size = nextSize(size, elapsed, targetMs);
    await pause?.();
  }
}

function nextSize(size: number, elapsedMs: number, targetMs: number): number {
  const factor = elapsedMs <= 0 ? 2 : Math.min(2, Math.max(0.5, targetMs / elapsedMs));
  return Math.min(MAX_TIMED_BATCH, Math.max(MIN_TIMED_BATCH, Math.round(size * factor)));
}
