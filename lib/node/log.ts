/**
 * SessionScope's log: one prefix for every line, and a rate limit for the
 * lines that bad input or an outage can repeat on every request.
 */
export interface Log {
  warn(message: string): void;
  error(message: string): void;
}

export const log: Log = {
  warn: (message) => console.warn(`SessionScope: ${message}`),
  error: (message) => console.error(`SessionScope: ${message}`),
};

export interface RateLimit {
  /** Lines written per window at most; the rest are counted, not written. */
  readonly limit: number;
  readonly windowMs: number;
  readonly clock?: () => number;
}

/**
 * Wraps a writer so that a flood costs at most `limit` lines a window. The
 * first line written after some were dropped says how many.
 */
export function rateLimited(write: (message: string) => void, { limit, windowMs, clock = Date.now }: RateLimit): (message: string) => void {
  let windowStart = Number.NEGATIVE_INFINITY;
  let written = 0;
  let dropped = 0;
  return (message) => {
    const now = clock();
    if (now - windowStart >= windowMs) {
      windowStart = now;
      written = 0;
    }
    if (written >= limit) {
      dropped++;
      return;
    }
    written++;
    write(dropped === 0 ? message : `${message} (${dropped} similar line${dropped === 1 ? "" : "s"} not logged before this one)`);
    dropped = 0;
  };
}
