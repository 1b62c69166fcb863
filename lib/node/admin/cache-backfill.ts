/**
 * The cache engine's counterpart of the metadata backfill (backfill.ts):
 * session entries a Django site wrote into the shared Redis enter
 * SessionScope's index (lib/session/engines/redis-index.ts), in attach mode
 * and in SessionScope's own mode alike (a Django site may share the Redis
 * without sharing a database).
 *
 * When: a full pass at start-up (scripts/setup.ts, with progress), then every
 * minute (instrumentation.ts), by hand (`sessionscope django backfill`), and
 * whenever the dashboard lists the cache engine's sessions, throttled: at
 * most one pass at a time, none sooner than 2 s (or ten times the last
 * pass's duration) after the previous one, and the list waits for it at most
 * a few hundred milliseconds. So a session a Django site has just made shows
 * up on the next look, and a million entries never make the list slow.
 */
import type { Redis } from "ioredis";
import { createDjangoCacheIndexer, type DjangoCacheIndexer, type DjangoCacheIndexResult } from "../../session/index.ts";
import type { Env } from "../env.ts";
import { log } from "../log.ts";
import { createRedisClient } from "../redis.ts";

export type { DjangoCacheIndexResult } from "../../session/index.ts";

/** The indexer for the configured cache (KEY_PREFIX, VERSION, SESSION_COOKIE_AGE). */
export function cacheIndexerFromEnv(
  env: Env,
  redis: Redis,
  extra: { batchSize?: number; onProgress?: (progress: DjangoCacheIndexResult) => void } = {},
): DjangoCacheIndexer {
  return createDjangoCacheIndexer(redis, { keyPrefix: env.CACHE_KEY_PREFIX, version: env.CACHE_VERSION, cookieAge: env.session.cookieAge, ...extra });
}

export interface CacheIndexScheduler {
  /** Runs a pass, or joins the one running. */
  pass(): Promise<DjangoCacheIndexResult>;
  /** Starts a pass unless one ran very recently, and waits for it at most `waitMs`; never throws. */
  nudge(waitMs: number): Promise<void>;
  /** A pass every `intervalMs`; returns a stop function. */
  start(intervalMs: number): () => void;
}

export function createCacheIndexScheduler(
  indexer: Pick<DjangoCacheIndexer, "run">,
  options: { minGapMs?: number; onError?: (error: Error) => void; now?: () => number } = {},
): CacheIndexScheduler {
  const now = options.now ?? Date.now;
  const minGapMs = options.minGapMs ?? 2_000;
  let running: Promise<DjangoCacheIndexResult> | null = null;
  let lastEnd = -Infinity;
  let lastDuration = 0;

  const pass = () => {
    if (running) return running;
    const started = now();
    running = indexer.run().finally(() => {
      lastEnd = now();
      lastDuration = lastEnd - started;
      running = null;
    });
    return running;
  };
  const quietly = (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (error: Error) => options.onError?.(error),
    );

  return {
    pass,
    async nudge(waitMs) {
      if (!running && now() - lastEnd < Math.max(minGapMs, 10 * lastDuration)) return;
      const current = quietly(pass());
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([current, new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))]);
      clearTimeout(timer);
    },
    start(intervalMs) {
      const timer = setInterval(() => void quietly(pass()), intervalMs);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}

const holder = globalThis as typeof globalThis & { __sessionscopeCacheIndex?: CacheIndexScheduler | null };

/**
 * The server process's one scheduler (the timer and the dashboard's nudges share it, so passes never
 * overlap), on its own Redis connection; null unless the engine is cache.
 */
export function sharedCacheIndexScheduler(env: Env): CacheIndexScheduler | null {
  if (holder.__sessionscopeCacheIndex === undefined) {
    holder.__sessionscopeCacheIndex =
      env.SESSION_ENGINE === "cache" && env.REDIS_URL
        ? createCacheIndexScheduler(cacheIndexerFromEnv(env, createRedisClient(env.REDIS_URL)), {
            onError: (error) => log.warn(`indexing the Django site's cache sessions failed (${error.message}); trying again later`),
          })
        : null;
  }
  return holder.__sessionscopeCacheIndex;
}

/** The server's part (instrumentation.ts): with the cache engine, a pass every minute. */
export function startCacheIndexFromEnv(env: Env): (() => void) | null {
  return sharedCacheIndexScheduler(env)?.start(60_000) ?? null;
}
