/**
 * The tables the SQLite and PostgreSQL engines share with Django
 * (`django_session`, docs/django-format.md §5.1) and SessionScope's meta
 * table beside it (owner, creation time, public id, last activity), and the
 * rules for what their columns can hold.
 */
import type { SessionActivity } from "../store.ts";

export const SESSION_TABLE = "django_session";
export const META_TABLE = "sessionscope_session_meta";
/** Where a session was seen from, one row per change of address or device family (deleted with the meta row). */
export const SIGHTING_TABLE = "sessionscope_session_sighting";
/** Cache invalidations a cached_db engine could not apply while its cache was down (cache-fence.ts). */
export const OUTBOX_TABLE = "sessionscope_cache_outbox";

/**
 * Whether a key can be in `django_session` at all: the column is
 * varchar(40), and PostgreSQL refuses NUL in text. A cookie holding anything
 * else is simply no session, never a database error (a 500).
 */
export function isStorableKey(key: string): boolean {
  return key.length <= 40 && !key.includes("\0");
}

/**
 * The meta table's user_id is an integer column (Django's default AutoField).
 * A user id that is not a 32-bit integer string (a UUID primary key) is not
 * indexed: the session still works, it just has no owner in the dashboard.
 */
export function toDbUserId(userId: string | null): number | null {
  if (userId === null || !/^-?\d{1,10}$/.test(userId)) return null;
  const n = Number(userId);
  return n >= -2147483648 && n <= 2147483647 ? n : null;
}

/** ip, user_agent and device of an activity record, cut to their columns' widths. */
export function activityColumns(activity: SessionActivity): [ip: string | null, userAgent: string | null, device: string | null] {
  return [activity.ip?.slice(0, 45) ?? null, activity.userAgent?.slice(0, 512) ?? null, activity.device?.slice(0, 64) ?? null];
}

export function fromDbUserId(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

/**
 * How far the meta row's copy of the expiry may trail the session row's before a save rewrites it:
 * a tenth of the session's remaining life, at most a minute. Most saves (a cart change, a flash
 * message) then write the session row alone, not the meta row and its six listing indexes (a
 * SQLite commit of 2 pages instead of 9). The copy is never later than the row's expiry (a shorter
 * one is written at once), so the dashboard can show a live session as expired up to that slack
 * early, at the very end of its life, and never an expired one as live.
 */
export function expiryCopySlackMs(ttlSeconds: number): number {
  return Math.min(60_000, Math.max(0, ttlSeconds * 100));
}
