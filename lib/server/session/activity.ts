import "server-only";
import { type SessionStore, supportsActivity } from "@/lib/session";
import { deviceFamily } from "../../node/device.ts";
import { log, rateLimited } from "../../node/log.ts";
import type { RequestInfo } from "../../node/session/request-info.ts";

/** Last activity is written at most this often per session (per server process). */
const ACTIVITY_INTERVAL_MS = 60_000;
const MAX_TRACKED = 50_000;
/** What this process last wrote per session: when, and from which address and user agent. */
const lastWritten = new Map<string, { readonly at: number; readonly ip: string | null; readonly userAgent: string | null }>();
// A database outage fails every write: one line a minute says so.
const warnWriteFailure = rateLimited(log.warn, { limit: 1, windowMs: 60_000 });

/**
 * Records who used a session, from where and on what device, for the
 * dashboard: at most about once a minute, never on the request's critical
 * path (errors are only logged). The device family is parsed here, once per
 * write, so the dashboard's device filter is a column match, not a parse of
 * every row. A request from another address or device family than this
 * process last wrote is written at once, so the engine can flag the change.
 */
export function recordActivity(store: SessionStore, key: string, info: RequestInfo, now: Date, force = false): void {
  if (!supportsActivity(store)) return;
  const previous = lastWritten.get(key);
  // A new address or user agent is written at once, however recent the last write: the engine flags a changed
  // address or device family. Compared as strings, so the user agent is parsed only when something is written.
  const moved = previous !== undefined && (previous.ip !== info.ip || previous.userAgent !== info.userAgent);
  if (!force && !moved && previous !== undefined && now.getTime() - previous.at < ACTIVITY_INTERVAL_MS) return;
  lastWritten.delete(key);
  if (lastWritten.size >= MAX_TRACKED) lastWritten.delete(lastWritten.keys().next().value!);
  lastWritten.set(key, { at: now.getTime(), ip: info.ip, userAgent: info.userAgent });
  const device = deviceFamily(info.userAgent);
  store.recordActivity(key, { at: now, ip: info.ip, userAgent: info.userAgent, device }).catch((error: unknown) => {
    warnWriteFailure(`could not record session activity (${(error as Error).message})`);
  });
}
