import "server-only";
/**
 * A decoded session as the dashboard shows it: JSON-safe (Python's big ints,
 * NaN and infinities survive as text), in the session's own key order, with
 * the login hash masked unless an admin asks for it.
 */
import { AUTH_HASH_KEY, orderedKeys, PyFloat } from "@/lib/session";

const MASK = "••••";

/** "••••" and the last four characters: enough to compare two sessions, not enough to forge one. */
export function maskHash(value: string): string {
  return MASK + value.slice(-4);
}

function jsonSafe(value: unknown): unknown {
  if (value instanceof PyFloat) return jsonSafe(value.value);
  if (typeof value === "bigint") return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (typeof value === "number") return Number.isFinite(value) ? value : String(value);
  if (Array.isArray(value)) return value.map(jsonSafe);
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    return Object.fromEntries(orderedKeys(value).map((key) => [key, jsonSafe(record[key])]));
  }
  return value;
}

/** The session's data for the detail page; `_auth_user_hash` masked unless `revealHash`. */
export function presentData(data: ReadonlyMap<string, unknown>, revealHash: boolean): Record<string, unknown> {
  // fromEntries, not assignment: a key named "__proto__" stays a key.
  return Object.fromEntries(
    [...data].map(([key, value]) => [key, key === AUTH_HASH_KEY && !revealHash && typeof value === "string" ? maskHash(value) : jsonSafe(value)]),
  );
}
