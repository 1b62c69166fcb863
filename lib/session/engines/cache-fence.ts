/**
 * What keeps a cached_db engine's cache honest across a cache outage.
 *
 * A kill must reach the cache (its tombstone), or a session cached before the
 * kill keeps working from the cache. When the cache does not answer, the kill
 * still ends the session in the database and records the key in the database's
 * outbox (`sessionscope_cache_outbox`); so does a save whose refresh of the
 * cached entry failed (the entry would be one version behind). The fence then
 * distrusts the cache: until the outbox has been replayed into it, loads read
 * the database alone. Replaying applies each invalidation (tombstone, or drop
 * the entry) and deletes the rows it applied; it runs:
 *   - before the first load that would trust the cache after any cache failure
 *     (and after start-up: the outbox may hold another instance's kills);
 *   - every second from the app (replayCacheInvalidations), so that an instance
 *     that never saw the outage applies the kills another instance recorded.
 * A cache failure that happens while a replay runs keeps the cache distrusted,
 * so a kill recorded meanwhile is never skipped.
 */
import type { CacheInvalidationKind, CacheOutboxStore } from "../store.ts";
import { createCacheGuard, type CacheGuard } from "./cache-guard.ts";

export interface CacheFenceOptions {
  readonly outbox: CacheOutboxStore;
  /** Applies one invalidation to the cache; false when the cache did not take it (already reported). */
  readonly apply: (key: string, kind: CacheInvalidationKind) => Promise<boolean>;
  /** Reports a database failure while replaying, as operation "outbox" (the cache stays distrusted). */
  readonly onError?: (error: Error, operation: string) => void;
  /** The time recorded on an outbox row. */
  readonly now: () => Date;
  /** Told how many invalidations a replay applied, when it applied any. */
  readonly onReplayed?: (count: number) => void;
}

export interface CacheFence {
  /** Whether cached entries may be served without replaying the outbox first. */
  readonly trusted: boolean;
  /** A cache step failed: distrust the cache until the next successful replay. */
  failed(): void;
  /** Records invalidations the cache did not take, and distrusts it. Throws when the database cannot record them. */
  record(keys: readonly string[], kind: CacheInvalidationKind): Promise<void>;
  /** Applies every pending invalidation; true when none is left and no cache step failed meanwhile (the cache is trusted again). */
  replay(): Promise<boolean>;
}

/** Invalidations read and applied per step of a replay. */
const BATCH = 200;

export function createCacheFence(options: CacheFenceOptions): CacheFence {
  // Until a first replay: the outbox may hold kills another instance (or this one, before a restart) recorded.
  let trusted = false;
  let failures = 0;
  let running: Promise<boolean> | null = null;

  async function run(): Promise<boolean> {
    const seen = failures;
    let count = 0;
    try {
      for (;;) {
        const pending = await options.outbox.pendingCacheInvalidations(BATCH);
        if (pending.length === 0) break;
        // Invalidations are waiting: nothing cached is served until they are in the cache.
        trusted = false;
        const applied = await Promise.all(pending.map((item) => options.apply(item.key, item.kind)));
        const done = pending.filter((_, i) => applied[i]).map((item) => item.id);
        await options.outbox.clearCacheInvalidations(done);
        count += done.length;
        if (done.length < pending.length) return false;
        if (pending.length < BATCH) break;
      }
    } catch (error) {
      options.onError?.(error as Error, "outbox");
      return false;
    } finally {
      if (count > 0) options.onReplayed?.(count);
    }
    if (failures !== seen) return false;
    trusted = true;
    return true;
  }

  return {
    get trusted() {
      return trusted;
    },
    failed() {
      failures++;
      trusted = false;
    },
    async record(keys, kind) {
      if (keys.length === 0) return;
      failures++;
      trusted = false;
      await options.outbox.recordCacheInvalidations(keys, kind, options.now());
    },
    replay() {
      running ??= run().finally(() => {
        running = null;
      });
      return running;
    },
  };
}

export interface FencedCacheOptions {
  /** "Redis" or "Memcached", for the guard's timeout message. */
  readonly name: string;
  readonly timeoutMs: number;
  readonly outbox: CacheOutboxStore;
  readonly now: () => Date;
  /** One invalidation as the cache does it: tombstone the key ("kill") or drop its entry ("stale"). */
  readonly invalidate: (key: string, kind: CacheInvalidationKind) => Promise<unknown>;
  readonly onCacheError?: (error: Error, operation: string) => void;
  readonly onCacheReplayed?: (count: number) => void;
}

/** What both cached_db engines (Redis, Memcached) build their cache steps from. */
export interface FencedCache {
  readonly fence: CacheFence;
  /** Runs a cache step: bounded in time, a failure reported, the fence told, and `fallback` returned. */
  readonly cache: CacheGuard;
  /** One invalidation through the guard; false when the cache did not take it. */
  invalidate(key: string, kind: CacheInvalidationKind, operation: string): Promise<boolean>;
  /**
   * Tombstones every key; what the cache did not take is recorded in the outbox (or the kill
   * fails), once per kill: `recorded` holds what an earlier step of the same kill recorded.
   */
  killKeys(keys: readonly string[], recorded?: Set<string>): Promise<void>;
  /** A cached entry the cache may hold one save behind, to drop once it answers (the save itself stands). */
  recordStale(key: string): Promise<void>;
  /** Drops a possibly stale entry now, or records it for when the cache answers again. */
  dropStale(key: string, operation: string): Promise<void>;
}

export function createFencedCache(options: FencedCacheOptions): FencedCache {
  const invalidate = (key: string, kind: CacheInvalidationKind, operation: string) =>
    cache(operation, false, async () => (await options.invalidate(key, kind), true));
  const fence = createCacheFence({
    outbox: options.outbox,
    apply: (key, kind) => invalidate(key, kind, "replay"),
    onError: options.onCacheError,
    onReplayed: options.onCacheReplayed,
    now: options.now,
  });
  const cache = createCacheGuard(options.name, options.timeoutMs, (error, operation) => {
    fence.failed();
    options.onCacheError?.(error, operation);
  });
  const recordStale = (key: string) => fence.record([key], "stale").catch((error: Error) => options.onCacheError?.(error, "outbox"));
  return {
    fence,
    cache,
    invalidate,
    async killKeys(keys, recorded = new Set<string>()) {
      const taken = await Promise.all(keys.map((key) => invalidate(key, "kill", "kill")));
      const missed = keys.filter((key, i) => !taken[i] && !recorded.has(key));
      await fence.record(missed, "kill");
      for (const key of missed) recorded.add(key);
    },
    recordStale,
    async dropStale(key, operation) {
      if (!(await invalidate(key, "stale", operation))) await recordStale(key);
    },
  };
}
