import type { Clock } from "../../lib/session/index.ts";

/** A clock that stands still until a test moves it: sessions and engines read the same instant. */
export interface TestClock extends Clock {
  /** Moves the clock forward by whole seconds (fractions allowed). */
  advance(seconds: number): Date;
  /** Puts the clock at `date`. */
  set(date: Date): void;
}

/**
 * Starts at the real time by default: Redis counts TTLs on its own clock, so
 * a test clock near the wall clock keeps what an engine reads back from Redis
 * (PTTL) meaningful next to the records a test builds.
 */
export function createTestClock(start: Date = new Date()): TestClock {
  let now = start.getTime();
  const clock = () => new Date(now);
  clock.advance = (seconds: number) => {
    now += Math.round(seconds * 1000);
    return new Date(now);
  };
  clock.set = (date: Date) => {
    now = date.getTime();
  };
  return clock;
}
