/**
 * The signed-cookies engine: no storage at all. The session key IS the
 * cookie value, `signing.dumps(data, salt="django.contrib.sessions.backends.signed_cookies",
 * compress=True)`, checked against SESSION_COOKIE_AGE on every load, exactly
 * as Django's `signed_cookies` backend.
 *
 * What it cannot do, by nature: a killed session is not dead until its
 * cookie expires (there is nothing server-side to delete; rotate the secret
 * key to kill them all), concurrent requests cannot merge (each response
 * carries the whole session, so the last cookie the browser stores wins),
 * and the data is readable by the user (signed, not encrypted).
 */
import { createCookieCodec, type CookieCodecOptions } from "../codec.ts";
import { decodeBase62 } from "../encoding.ts";
import { SESSION_ERROR_CODES, SessionScopeError } from "../errors.ts";
import { systemClock, type Clock } from "../expiry.ts";
import type { SaveRecord, SaveResult, SessionStore, StoredSession } from "../store.ts";

/** Browsers drop cookies over 4096 bytes (name, value and attributes); RFC 6265 §6.1. */
export const MAX_COOKIE_BYTES = 4096;

export interface SignedCookieStoreOptions extends CookieCodecOptions {
  /** The cookie name, counted in the size limit (default "sessionid"). */
  readonly cookieName?: string;
  /** Room kept for the cookie's attributes (expires, Path, SameSite...); default 160 bytes. */
  readonly attributeBytes?: number;
  /** Signs with this clock's time when a save does not say when it happens; default the system clock. */
  readonly clock?: Clock;
}

export function createSignedCookieStore(options: SignedCookieStoreOptions): SessionStore {
  const codec = createCookieCodec(options);
  const { cookieName = "sessionid", attributeBytes = 160, maxAge, clock = systemClock } = options;
  const limit = MAX_COOKIE_BYTES - cookieName.length - 1 - attributeBytes;

  return {
    engine: "signed_cookies",
    atomicSave: false,
    isPossibleKey(key: string) {
      // A browser never sends back a cookie longer than it stores.
      return key.length <= MAX_COOKIE_BYTES;
    },
    async load(key: string, now: Date): Promise<StoredSession | null> {
      const decoded = codec.decode(key, now);
      if (!decoded.ok) return null;
      return { data: decoded.data, version: key, expireDate: new Date((signedAt(key) + maxAge) * 1000) };
    },
    async exists() {
      // Django: a cookie session never "exists" elsewhere, so any generated key is free.
      return false;
    },
    async save(_key: string, record: SaveRecord): Promise<SaveResult> {
      const value = codec.encode(record.data, record.now ?? clock());
      if (value.length > limit) {
        throw new SessionScopeError(
          SESSION_ERROR_CODES.COOKIE_TOO_LARGE,
          `SessionScope: the signed-cookie session is ${value.length} bytes, over the ${limit} that fit in a ${MAX_COOKIE_BYTES}-byte cookie. ` +
            "Store less in the session, or use a server-side engine (db, cache, cached_db, file).",
        );
      }
      return { ok: true, version: value, key: value };
    },
    async delete() {
      // Nothing to delete: the response deletes the cookie.
    },
    async clearExpired() {
      return 0;
    },
  };
}

/** The base62 timestamp of `payload:ts:sig`, in Unix seconds (already verified by the codec). */
function signedAt(value: string): number {
  const end = value.lastIndexOf(":");
  const start = value.lastIndexOf(":", end - 1);
  return decodeBase62(value.slice(start + 1, end));
}
