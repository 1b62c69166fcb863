/**
 * Events on the wire between instances: JSON, checked on the way in (a
 * shared channel may carry anything), and small enough for PostgreSQL's
 * NOTIFY, whose payload must stay under 8000 bytes.
 */
import { ADMIN_EVENT_TYPES, type AdminEvent, type AdminEventType } from "./bus.ts";

export const MAX_PAYLOAD_BYTES = 7_999;

const isType = (value: unknown): value is AdminEventType => typeof value === "string" && (ADMIN_EVENT_TYPES as readonly string[]).includes(value);
const isCount = (value: unknown): value is number => typeof value === "number" && Number.isSafeInteger(value) && value >= 0;

export class EventTooLarge extends Error {
  override readonly name = "EventTooLarge";
}

export function encodeEvent(event: AdminEvent): string {
  const { type, at, origin, userId, count } = event;
  const payload = JSON.stringify({ type, at, origin, ...(userId === undefined ? {} : { userId }), ...(count === undefined ? {} : { count }) });
  const bytes = Buffer.byteLength(payload, "utf8");
  if (bytes > MAX_PAYLOAD_BYTES) throw new EventTooLarge(`event ${type} is ${bytes} bytes; the limit is ${MAX_PAYLOAD_BYTES}`);
  return payload;
}

/** The event a payload carries, or null for anything that is not one (it is dropped). */
export function decodeEvent(payload: string): AdminEvent | null {
  if (Buffer.byteLength(payload, "utf8") > MAX_PAYLOAD_BYTES) return null;
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const { type, at, origin, userId, count } = value as Record<string, unknown>;
  if (!isType(type) || typeof at !== "string" || Number.isNaN(Date.parse(at)) || typeof origin !== "string" || origin === "") return null;
  if (userId !== undefined && userId !== null && !(typeof userId === "number" && Number.isSafeInteger(userId))) return null;
  if (count !== undefined && !isCount(count)) return null;
  return {
    type,
    at,
    origin,
    ...(userId === undefined ? {} : { userId }),
    ...(count === undefined ? {} : { count }),
  };
}
