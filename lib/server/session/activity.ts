import "server-only";
import { type SessionStore, supportsActivity } from "@/lib/session";
import { deviceFamily } from "../../node/device.ts";
import { log, rateLimited } from "../../node/log.ts";
import type { RequestInfo } from "../../node/session/request-info.ts";

/** Last activity is written at most this often per session (per server process). */
const ACTIVITY_INTERVAL_MS = 60_000;
const MAX_TRACKED = 50_000;
const lastWritten = new Map<string, number>();
// A database outage fails every write: one line a minute says so.
const warnWriteFailure = rateLimited(log.warn, { limit: 1, windowMs: 60_000 });

/**
 * Records who used a session, from where and on what device, for the
 * dashboard: at most about once a minute, never on the request's critical
 * path (errors are only logged). The device family is parsed here, once per
 * write, so the dashboard's device filter is a column match, not a parse of
 * every row.
 */
export function recordActivity(store: SessionStore, key: string, info: RequestInfo, now: Date, force = false): void {
  if (!supportsActivity(store)) return;
  const previous = lastWritten.get(key);
  if (!force && previous !== undefined && now.getTime() - previous < ACTIVITY_INTERVAL_MS) return;
  if (lastWritten.size >= MAX_TRACKED) lastWritten.delete(lastWritten.keys().next().value!);
  lastWritten.set(key, now.getTime());
  store.recordActivity(key, { at: now, ip: info.ip, userAgent: info.userAgent, device: deviceFamily(info.userAgent) }).catch((error: unknown) => {
    warnWriteFailure(`could not record session activity (${(error as Error).message})`);
  });
}
