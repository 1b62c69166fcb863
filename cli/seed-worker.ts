/** A worker thread of `sessionscope seed`: generates the batches it is asked for (see seed-batches.ts). */
import { parentPort, workerData } from "node:worker_threads";
import { createRowGenerator, type SeedPlan } from "./seed-rows.ts";

const generate = createRowGenerator(workerData as SeedPlan);
parentPort?.on("message", ({ from, count }: { from: number; count: number }) => {
  parentPort?.postMessage(generate(from, count));
});
