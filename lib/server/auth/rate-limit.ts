import "server-only";
/**
 * Fixed-window counters for login throttling, claimed before any password
 * work: one atomic step checks every counter an attempt touches and, only if
 * all are under their limits, adds one to each. A burst of parallel attempts
 * cannot all pass the check before the first failure is counted. Atomic as a
 * synchronous Map update in this process, or as one Lua script in Redis,
 * where every app instance shares the counts.
 */
import type { Redis } from "ioredis";

export interface WindowRule {
  readonly limit: number;
  readonly windowSeconds: number;
}

export interface CounterClaim {
  readonly key: string;
  /** Refuse once the count has reached this; null counts without ever refusing. */
  readonly limit: number | null;
  readonly windowSeconds: number;
}

export type ClaimResult = { readonly ok: true } | { readonly ok: false; readonly retryAfterSeconds: number };

export interface CounterStore {
  /** Adds one to every counter if none has reached its limit; otherwise changes nothing. */
  claim(claims: readonly CounterClaim[]): Promise<ClaimResult>;
  /** Takes one back from each counter, for a claim that did not end in a failure. */
  release(keys: readonly string[]): Promise<void>;
  reset(key: string): Promise<void>;
  /** A flag that expires on its own (an address the account has logged in from). */
  mark(key: string, ttlSeconds: number): Promise<void>;
  isMarked(key: string): Promise<boolean>;
}

const CLAIMED: ClaimResult = { ok: true };
const refused = (waitMs: number): ClaimResult => ({ ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) });

/** Entries the in-memory store keeps per kind (counters, marks) before evicting the oldest. */
export const MAX_MEMORY_ENTRIES = 100_000;

export interface MemoryCounterOptions {
  readonly clock?: () => number;
  readonly maxEntries?: number;
}

export function createMemoryCounterStore({ clock = Date.now, maxEntries = MAX_MEMORY_ENTRIES }: MemoryCounterOptions = {}): CounterStore {
  const counters = createExpiringMap(maxEntries, clock);
  const marks = createExpiringMap(maxEntries, clock);
  return {
    async claim(claims) {
      const now = clock();
      let waitMs = 0;
      for (const { key, limit, windowSeconds } of claims) {
        const entry = counters.get(key);
        if (limit !== null && (entry?.value ?? 0) >= limit) waitMs = Math.max(waitMs, entry ? entry.expiresAt - now : windowSeconds * 1000);
      }
      if (waitMs > 0) return refused(waitMs);
      for (const { key, windowSeconds } of claims) {
        const entry = counters.get(key);
        counters.set(key, (entry?.value ?? 0) + 1, entry?.expiresAt ?? now + windowSeconds * 1000);
      }
      return CLAIMED;
    },
    async release(keys) {
      for (const key of keys) {
        const entry = counters.get(key);
        if (entry && entry.value > 0) entry.value--;
      }
    },
    async reset(key) {
      counters.delete(key);
    },
    async mark(key, ttlSeconds) {
      marks.set(key, 1, clock() + ttlSeconds * 1000);
    },
    async isMarked(key) {
      return marks.get(key) !== undefined;
    },
  };
}

/** A Map whose entries expire, holding at most `maxEntries`: the least recently written go first. */
function createExpiringMap(maxEntries: number, clock: () => number) {
  const entries = new Map<string, { value: number; expiresAt: number }>();
  return {
    get(key: string) {
      const entry = entries.get(key);
      if (entry && entry.expiresAt <= clock()) {
        entries.delete(key);
        return undefined;
      }
      return entry;
    },
    set(key: string, value: number, expiresAt: number) {
      // Re-inserting moves the key to the young end of the Map's order.
      entries.delete(key);
      entries.set(key, { value, expiresAt });
      // Why the oldest and not everything: a flood of new keys must not wipe every lockout at once.
      for (const oldest of entries.keys()) {
        if (entries.size <= maxEntries) break;
        entries.delete(oldest);
      }
    },
    delete(key: string) {
      entries.delete(key);
    },
  };
}

// KEYS: the counters; ARGV: per counter, its limit (-1: none) and its window in seconds.
const CLAIM_SCRIPT = `
local wait = 0
for i, key in ipairs(KEYS) do
  local limit = tonumber(ARGV[2 * i - 1])
  if limit >= 0 and tonumber(redis.call('GET', key) or '0') >= limit then
    local ttl = redis.call('PTTL', key)
    if ttl == -1 then redis.call('EXPIRE', key, ARGV[2 * i]) end
    if ttl < 0 then ttl = tonumber(ARGV[2 * i]) * 1000 end
    if ttl > wait then wait = ttl end
  end
end
if wait > 0 then return wait end
for i, key in ipairs(KEYS) do
  redis.call('INCR', key)
  redis.call('EXPIRE', key, ARGV[2 * i], 'NX')
end
return 0`;

// Never below zero, and never recreates a counter whose window has ended.
const RELEASE_SCRIPT = `
for _, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or '0') > 0 then redis.call('DECR', key) end
end
return 0`;

export interface RedisCounterOptions {
  readonly prefix?: string;
  /** Used while Redis does not answer. */
  readonly fallback?: CounterStore;
}

export function createRedisCounterStore(redis: Redis, { prefix = "sessionscope:login:", fallback = createMemoryCounterStore() }: RedisCounterOptions = {}): CounterStore {
  const name = (key: string) => prefix + key;
  // Why fall back rather than fail: with Redis down, logins stay throttled in this process, not unthrottled or refused.
  const guard = async <T>(run: () => Promise<T>, otherwise: () => Promise<T>) => {
    try {
      return await run();
    } catch {
      return otherwise();
    }
  };
  return {
    claim: (claims) =>
      guard(async () => {
        const args = claims.flatMap(({ limit, windowSeconds }) => [limit ?? -1, windowSeconds]);
        const waitMs = Number(await redis.eval(CLAIM_SCRIPT, claims.length, ...claims.map(({ key }) => name(key)), ...args));
        return waitMs > 0 ? refused(waitMs) : CLAIMED;
      }, () => fallback.claim(claims)),
    release: (keys) =>
      guard(async () => {
        await redis.eval(RELEASE_SCRIPT, keys.length, ...keys.map(name));
      }, () => fallback.release(keys)),
    reset: (key) =>
      guard(async () => {
        await redis.del(name(key));
      }, () => fallback.reset(key)),
    mark: (key, ttlSeconds) =>
      guard(async () => {
        await redis.set(name(key), "1", "EX", ttlSeconds);
      }, () => fallback.mark(key, ttlSeconds)),
    isMarked: (key) => guard(async () => (await redis.exists(name(key))) === 1, () => fallback.isMarked(key)),
  };
}
