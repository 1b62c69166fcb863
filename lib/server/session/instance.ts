import "server-only";
import { getDatabase } from "../db/client.ts";
import { getEventBus } from "../events.ts";
import { getMemcached } from "../memcached-client.ts";
import { getRedis } from "../redis-client.ts";
import { getEnv } from "../../node/env.ts";
import { createSessionRuntime, type SessionRuntime } from "../../node/session/runtime.ts";
import type { CacheFencedStore } from "../../session/index.ts";

export { getRedis } from "../redis-client.ts";

// One runtime per server process, kept on globalThis across dev reloads.
const holder = globalThis as typeof globalThis & { __sessionscopeRuntime?: SessionRuntime };

export function getSessionRuntime(): SessionRuntime {
  if (!holder.__sessionscopeRuntime) {
    const runtime = createSessionRuntime(getEnv(), getDatabase(), getRedis(), getMemcached());
    // From the first request on, hear every instance: a policy saved anywhere drops this runtime's cached policy.
    getEventBus().subscribe((event) => {
      if (event.type === "policy.changed") runtime.policy.invalidate();
    });
    replayCacheOutbox(runtime);
    holder.__sessionscopeRuntime = runtime;
  }
  return holder.__sessionscopeRuntime;
}

/**
 * cached_db: every second, kills and stale entries any instance could not write into the cache
 * while it was down are replayed into it (lib/session/engines/cache-fence.ts), so an instance
 * that never saw the outage applies them too. One indexed read of an empty table while all is well.
 */
function replayCacheOutbox(runtime: SessionRuntime): void {
  const store = runtime.store as Partial<CacheFencedStore>;
  if (!store.replayCacheInvalidations) return;
  const replay = store.replayCacheInvalidations.bind(store);
  setInterval(() => void replay().catch(() => {}), 1_000).unref();
}
