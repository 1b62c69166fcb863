/**
 * How long a call keeps the event loop from turning: perf_hooks'
 * monitorEventLoopDelay around it (started a tick before and read a tick
 * after, so that a stall right at the start or the end is sampled).
 */
import { monitorEventLoopDelay } from "node:perf_hooks";

export interface LoopMeasure<T> {
  readonly result: T;
  /** How long the call took, ms. */
  readonly ms: number;
  /** The event loop's longest delay while it ran, ms. */
  readonly maxDelayMs: number;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function measureLoopDelay<T>(call: () => Promise<T>): Promise<LoopMeasure<T>> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  await pause(50);
  const started = performance.now();
  const result = await call();
  const ms = performance.now() - started;
  await pause(50);
  histogram.disable();
  return { result, ms, maxDelayMs: histogram.max / 1e6 };
}
