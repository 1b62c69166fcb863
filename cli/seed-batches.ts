/**
 * Where the seed's batches come from. Encoding a session (JSON, zlib, HMAC)
 * costs more than inserting it, so for large seeds worker threads generate
 * the batches while the main thread writes: in order, a few batches ahead.
 * Small seeds (and tests) generate inline.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { createRowGenerator, type SeedBatch, type SeedPlan } from "./seed-rows.ts";

export const BATCH_SIZE = 5000;
/** Below this, starting workers costs more than it saves. */
const WORKERS_FROM = 50_000;

/** The batches of `total` rows, in order; `workers` 0 generates inline. */
export async function* seedBatches(plan: SeedPlan, total: number, workers = defaultWorkers(total), batchSize = BATCH_SIZE): AsyncGenerator<SeedBatch> {
  const ranges: Array<[from: number, count: number]> = [];
  for (let from = 0; from < total; from += batchSize) ranges.push([from, Math.min(batchSize, total - from)]);
  if (workers === 0) {
    const generate = createRowGenerator(plan);
    for (const [from, count] of ranges) yield generate(from, count);
    return;
  }
  const pool = Array.from({ length: workers }, () => startWorker(plan));
  try {
    const pending: Array<Promise<SeedBatch>> = [];
    let next = 0;
    // A few batches asked ahead per worker: each keeps generating while the writer writes.
    const fill = () => {
      while (next < ranges.length && pending.length < workers * 3) {
        const [from, count] = ranges[next]!;
        pending.push(pool[next++ % workers]!.ask(from, count));
      }
    };
    fill();
    while (pending.length) {
      const batch = await pending.shift()!;
      fill();
      yield batch;
    }
  } finally {
    await Promise.all(pool.map((worker) => worker.stop()));
  }
}

/** A worker that answers its requests in order. */
function startWorker(plan: SeedPlan) {
  const worker = new Worker(new URL("./seed-worker.mjs", import.meta.url), { workerData: plan });
  const waiting: Array<{ resolve: (batch: SeedBatch) => void; reject: (error: unknown) => void }> = [];
  worker.on("message", (batch: SeedBatch) => waiting.shift()?.resolve(batch));
  worker.on("error", (error) => waiting.splice(0).forEach((w) => w.reject(error)));
  return {
    ask: (from: number, count: number) =>
      new Promise<SeedBatch>((resolve, reject) => {
        waiting.push({ resolve, reject });
        worker.postMessage({ from, count });
      }),
    stop: () => worker.terminate(),
  };
}

function defaultWorkers(total: number): number {
  if (total < WORKERS_FROM) return 0;
  // One per core: generating (zlib and HMAC per session) costs several times what writing does.
  return Math.max(1, Math.min(4, availableParallelism()));
}
