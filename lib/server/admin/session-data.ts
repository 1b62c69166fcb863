import "server-only";
/**
 * A decoded session as the dashboard shows it: JSON-safe (Python's big ints,
 * NaN and infinities survive as text), in the session's own key order, with
 * the login hash masked unless an admin asks for it. Python's datetime values
 * (from pickled cache entries) come as tagged text (`PythonValueJson`).
 */
import type { PythonValueJson } from "@/lib/admin-api";
import { AUTH_HASH_KEY, orderedKeys, PyDatetime, PyFloat, PyTime, PyTimezone, pythonDatetimeType } from "@/lib/session";

const MASK = "••••";

/** "••••" and the last four characters: enough to compare two sessions, not enough to forge one. */
export function maskHash(value: string): string {
  return MASK + value.slice(-4);
}

const TAG = "__python__";

function tzName(tz: PyTimezone | null): string {
  if (tz === null) return "naive";
  if (tz === PyTimezone.PYTZ_UTC) return "pytz.utc";
  if (tz === PyTimezone.UTC) return "timezone.utc";
  return tz.toString();
}

function pythonValue(value: object): PythonValueJson | null {
  const type = pythonDatetimeType(value);
  if (type === null) return null;
  const text = String(value);
  if (value instanceof PyDatetime) return { [TAG]: "datetime", text, tz: tzName(value.tzinfo), at: value.toDate().toISOString() };
  if (value instanceof PyTime) return { [TAG]: "time", text, tz: tzName(value.tzinfo) };
  return { [TAG]: type as "date" | "timedelta" | "timezone", text };
}

function jsonSafe(value: unknown): unknown {
  if (value instanceof PyFloat) return jsonSafe(value.value);
  if (typeof value === "bigint") return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (typeof value === "number") return Number.isFinite(value) ? value : String(value);
  if (Array.isArray(value)) return value.map(jsonSafe);
  if (value !== null && typeof value === "object") {
    const python = pythonValue(value);
    if (python) return python;
    const record = value as Record<string, unknown>;
    const dict = Object.fromEntries(orderedKeys(value).map((key) => [key, jsonSafe(record[key])]));
    return Object.hasOwn(dict, TAG) ? { [TAG]: "dict", value: dict } : dict;
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
