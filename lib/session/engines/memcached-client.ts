/**
 * The narrow Memcached client the Memcached-backed engines take (lib/node/memcached.ts
 * adapts memcache-client to it), and the rules both engines share: values are raw bytes
 * with exact flags, because Django's PyMemcacheCache (pymemcache's pickle serde) marks a
 * pickled dict with flag 1 and reads nothing else as a dict.
 */
import { createHash } from "node:crypto";
import { getExpiryDate, DEFAULT_SESSION_POLICY } from "../expiry.ts";

/** pymemcache's FLAG_PICKLE (pymemcache/serde.py): the value is `pickle.dumps(obj)`. */
export const FLAG_PICKLE = 1;
/** SessionScope's own bookkeeping entries: plain bytes (pymemcache's FLAG_BYTES). */
export const FLAG_BYTES = 0;

export interface MemcachedItem {
  readonly value: Buffer;
  readonly flags: number;
  /** The item's cas unique, for a later `cas`. */
  readonly cas: string;
}

/** What a storage command answered: STORED, NOT_STORED (add on a taken key), EXISTS (cas lost), NOT_FOUND (cas on a missing key). */
export type StoreOutcome = "stored" | "not_stored" | "exists" | "not_found";

export interface MemcachedClient {
  /** The item, or null when Memcached holds none (absent, expired or evicted). */
  gets(key: string): Promise<MemcachedItem | null>;
  /** `set`, `add` or `cas` (with `cas`) of raw bytes under exact flags; `exptime` as Memcached reads it (see `memcachedExptime`). */
  store(command: "set" | "add" | "cas", key: string, value: Buffer, flags: number, exptime: number, cas?: string): Promise<StoreOutcome>;
  /** Whether an item was deleted. */
  delete(key: string): Promise<boolean>;
}

const MAX_KEY_BYTES = 250;

/**
 * Checks what the engine will put before session keys (Django's KEY_PREFIX and VERSION):
 * Memcached's text protocol ends a key at a space or control character, so such a
 * prefix would split a command. Session keys themselves are [a-z0-9] (checked before
 * any call), at most 40 characters.
 */
export function checkMemcachedKeyPrefix(prefix: string, longestSuffix = 40): void {
  if (/[\s\x00-\x20\x7f]/.test(prefix)) throw new TypeError(`SessionScope: a Memcached key cannot contain spaces or control characters (key prefix ${JSON.stringify(prefix)})`);
  if (Buffer.byteLength(prefix) + longestSuffix > MAX_KEY_BYTES) throw new TypeError(`SessionScope: Memcached keys are at most ${MAX_KEY_BYTES} bytes; the key prefix ${JSON.stringify(prefix)} is too long`);
}

const THIRTY_DAYS = 2_592_000;

/**
 * Memcached's exptime for a TTL in seconds: up to 30 days it is relative, beyond that
 * Memcached reads a Unix time, so longer TTLs become one (Django's get_backend_timeout
 * does the same). `nowMs` is the wall clock, which Memcached's own clock follows.
 */
export function memcachedExptime(ttlSeconds: number, nowMs = Date.now()): number {
  const ttl = Math.max(1, Math.ceil(ttlSeconds));
  return ttl > THIRTY_DAYS ? Math.floor(nowMs / 1000) + ttl : ttl;
}

/** A short digest of an entry's bytes: ties SessionScope's bookkeeping to one exact entry. */
export function entryDigest(bytes: Uint8Array): string {
  return createHash("sha1").update(bytes).digest("base64url").slice(0, 22);
}

/**
 * When a session Django wrote expires, as Django itself reckons it: `_session_expiry`
 * when set, else SESSION_COOKIE_AGE from now (Django's cache backends keep no expiry of
 * their own, and Memcached's classic protocol does not tell an entry's TTL).
 */
export function djangoExpiry(data: ReadonlyMap<string, unknown>, cookieAge: number, now: Date): Date {
  return getExpiryDate({ data, policy: { ...DEFAULT_SESSION_POLICY, cookieAge }, now });
}
