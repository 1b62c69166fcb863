import "server-only";
/**
 * Login throttling: failures are counted per account and per client IP in a
 * fixed window. Past the limit a login is refused with 429 and Retry-After,
 * whether or not the password is right, so guessing cannot continue. Counts
 * live in Redis when it is configured (shared by every server), else in this
 * process.
 */
import type { Redis } from "ioredis";

export interface RateLimitRule {
  readonly limit: number;
  readonly windowSeconds: number;
}

export const LOGIN_RULES = {
  account: { limit: 5, windowSeconds: 15 * 60 },
  ip: { limit: 20, windowSeconds: 15 * 60 },
} as const satisfies Record<string, RateLimitRule>;

export interface FailureCounter {
  /** Seconds until `key` may try again, or 0 when it is under its limit. */
  retryAfter(key: string, rule: RateLimitRule): Promise<number>;
  recordFailure(key: string, rule: RateLimitRule): Promise<void>;
  reset(key: string): Promise<void>;
}

export function createMemoryCounter(clock: () => number = Date.now): FailureCounter {
  const windows = new Map<string, { count: number; resetAt: number }>();
  const live = (key: string) => {
    const entry = windows.get(key);
    if (entry && entry.resetAt <= clock()) {
      windows.delete(key);
      return undefined;
    }
    return entry;
  };
  return {
    async retryAfter(key, rule) {
      const entry = live(key);
      return entry && entry.count >= rule.limit ? Math.ceil((entry.resetAt - clock()) / 1000) : 0;
    },
    async recordFailure(key, rule) {
      const entry = live(key);
      if (entry) entry.count++;
      else {
        if (windows.size > 100_000) windows.clear();
        windows.set(key, { count: 1, resetAt: clock() + rule.windowSeconds * 1000 });
      }
    },
    async reset(key) {
      windows.delete(key);
    },
  };
}

export function createRedisCounter(redis: Redis, fallback = createMemoryCounter()): FailureCounter {
  const name = (key: string) => `sessionscope:login-failures:${key}`;
  // Redis unavailable: keep throttling in this process rather than not at all.
  const guard = async <T>(run: () => Promise<T>, otherwise: () => Promise<T>) => {
    try {
      return await run();
    } catch {
      return otherwise();
    }
  };
  return {
    retryAfter: (key, rule) =>
      guard(async () => {
        const [count, ttl] = (await redis.multi().get(name(key)).pttl(name(key)).exec())?.map(([, value]) => value) ?? [];
        return Number(count ?? 0) >= rule.limit && Number(ttl) > 0 ? Math.ceil(Number(ttl) / 1000) : 0;
      }, () => fallback.retryAfter(key, rule)),
    recordFailure: (key, rule) =>
      guard(async () => {
        await redis.multi().incr(name(key)).expire(name(key), rule.windowSeconds, "NX").exec();
      }, () => fallback.recordFailure(key, rule)),
    reset: (key) =>
      guard(async () => {
        await redis.del(name(key));
      }, () => fallback.reset(key)),
  };
}
