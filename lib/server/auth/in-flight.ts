import "server-only";
/**
 * Caps on password checks running at once in this process. One PBKDF2 check
 * at Django's iteration count costs about a third of a CPU second: without a
 * cap, a burst of logins queues more of that work than the cores can do, and
 * every request waits behind it. Per process on purpose, since the CPU it
 * protects is this process's. Synchronous, so two requests never both take
 * the last slot.
 */
export interface Slot {
  readonly key: string;
  readonly limit: number;
}

export interface InFlightLimiter {
  /** One slot of each, or none when any is full: the function that gives them back, or null. */
  tryAcquire(slots: readonly Slot[]): (() => void) | null;
}

export function createInFlightLimiter(): InFlightLimiter {
  const used = new Map<string, number>();
  return {
    tryAcquire(slots) {
      if (slots.some(({ key, limit }) => (used.get(key) ?? 0) >= limit)) return null;
      for (const { key } of slots) used.set(key, (used.get(key) ?? 0) + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        for (const { key } of slots) {
          const left = (used.get(key) ?? 1) - 1;
          if (left > 0) used.set(key, left);
          else used.delete(key);
        }
      };
    },
  };
}
