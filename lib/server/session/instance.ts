import "server-only";
import { getDatabase } from "../db/client.ts";
import { getEventBus } from "../events.ts";
import { getMemcached } from "../memcached-client.ts";
import { getRedis } from "../redis-client.ts";
import { getEnv } from "../../node/env.ts";
import { createSessionRuntime, type SessionRuntime } from "../../node/session/runtime.ts";

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
    holder.__sessionscopeRuntime = runtime;
  }
  return holder.__sessionscopeRuntime;
}
