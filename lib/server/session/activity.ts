import "server-only";
import { type SessionStore, supportsActivity } from "@/lib/session";
import { deviceFamily } from "../../node/device.ts";
import { log, rateLimited } from "../../node/log.ts";
import type { RequestInfo } from "../../node/session/request-info.ts";

/** Last activity is written at most this often per session (per server process). */
const ACTIVITY_INTERVAL_MS = 60_000;
const MAX_TRACKED = 50_000;
/**
 * What this process last wrote per session: when, and a 32-bit hash of the address and user agent.
 * A user agent is a hundred characters or more, and each request's header is a string of its own:
 * at MAX_TRACKED sessions the entries took 14.5 MB of the heap with the two strings, 9 MB with the
 * hash (the keys and the map are the rest).
 */
const lastWritten = new Map<string, { readonly at: number; readonly place: number }>();

/**
 * FNV-1a over the address and the user agent. Two places with the same hash (one chance in four
 * billion) only delay the write of the second to the next minute's, when the engine compares the
 * stored address and device family itself.
 */
function placeHash(ip: string | null, userAgent: string | null): number {
  const step = (hash: number, text: string) => {
    for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
    // A separator no header holds, so that ("1.2.3.4", "x") and ("1.2.3.4x", "") differ.
    return Math.imul(hash ^ 0xffff, 0x01000193);
  };
  return step(step(0x811c9dc5, ip ?? ""), userAgent ?? "") >>> 0;
}

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
  const place = placeHash(info.ip, info.userAgent);
  // A new address or user agent is written at once, however recent the last write: the engine flags a changed
  // address or device family. Compared by hash, so the user agent is parsed only when something is written.
  const moved = previous !== undefined && previous.place !== place;
  if (!force && !moved && previous !== undefined && now.getTime() - previous.at < ACTIVITY_INTERVAL_MS) return;
  lastWritten.delete(key);
  if (lastWritten.size >= MAX_TRACKED) lastWritten.delete(lastWritten.keys().next().value!);
  lastWritten.set(key, { at: now.getTime(), place });
  const device = deviceFamily(info.userAgent);
  store.recordActivity(key, { at: now, ip: info.ip, userAgent: info.userAgent, device }).catch((error: unknown) => {
    warnWriteFailure(`could not record session activity (${(error as Error).message})`);
  });
}
