/**
 * The cache engine (Django's `backends.cache`) on Memcached, through an injected
 * client. The entry is Django's: `:1:django.contrib.sessions.cache<key>` holding the
 * pickled session dict under pymemcache's FLAG_PICKLE, with Memcached's exptime, so a
 * Django site on PyMemcacheCache and SessionScope read each other's sessions.
 *
 * Compare-and-swap is Memcached's own. The version is the stored bytes (as a latin1
 * string, as on Redis); a save `gets` the entry, compares its bytes with the version and
 * `cas`es with the cas unique it just read, so a writer in between makes it fail (a
 * conflict); must-create is `add`. Memcached never returns a store's new cas unique, so
 * the version cannot be it: a save costs two round trips, plus one for the expiry below.
 *
 * Memcached cannot list keys, so this engine has no listing, per-user index or kills:
 * only the required methods. Beside each entry SessionScope keeps
 * `sessionscope:cache:expiry:<key>` = "<expiry ms> <digest of the entry>", since the
 * classic protocol does not tell an entry's TTL; an entry it does not describe (written
 * by Django, or by a save racing another) gets Django's own reckoning of its expiry.
 */
import { systemClock, type Clock } from "../expiry.ts";
import { isWellFormedSessionKey } from "../keys.ts";
import type { SaveResult, SessionStore, StoredSession } from "../store.ts";
import { dumpsPickle, loadsPickle } from "./pickle.ts";
import {
  checkMemcachedKeyPrefix, djangoExpiry, entryDigest, FLAG_BYTES, FLAG_PICKLE, memcachedExptime, type MemcachedClient, type MemcachedItem,
} from "./memcached-client.ts";
import { djangoCacheKey } from "./redis-client.ts";

export interface MemcachedStoreOptions {
  /** Django's CACHES KEY_PREFIX (default ""). */
  readonly keyPrefix?: string;
  /** Django's CACHES VERSION (default 1). */
  readonly version?: number;
  /** Prefix of SessionScope's own keys (default "sessionscope:cache:"). */
  readonly indexPrefix?: string;
  /** SESSION_COOKIE_AGE: the expiry of an entry SessionScope did not write, as Django reckons it (default two weeks). */
  readonly cookieAge?: number;
  /** Called when a stored entry cannot be read (not a pickle of a dict of JSON-like values); it then counts as absent. */
  readonly onCorruptEntry?: (key: string, error: Error) => void;
  /** Where the engine takes the time it records expiries against; default the system clock. */
  readonly clock?: Clock;
}

/** The entry as loaded: its dict, or the reason it cannot be one. */
export function readPickledEntry(item: MemcachedItem): ReadonlyMap<string, unknown> {
  // pymemcache stores a dict as FLAG_PICKLE; any other flag is text, a number or compressed bytes.
  if (item.flags !== FLAG_PICKLE) throw new TypeError(`not a pickled value (Memcached flags ${item.flags}, expected ${FLAG_PICKLE})`);
  return loadsPickle(item.value);
}

export function createMemcachedStore(client: MemcachedClient, options: MemcachedStoreOptions = {}): SessionStore {
  const clock = options.clock ?? systemClock;
  const cookieAge = options.cookieAge ?? 1_209_600;
  const entryPrefix = djangoCacheKey("django.contrib.sessions.cache", options);
  const expiryPrefix = `${options.indexPrefix ?? "sessionscope:cache:"}expiry:`;
  checkMemcachedKeyPrefix(entryPrefix);
  checkMemcachedKeyPrefix(expiryPrefix);

  /** The expiry SessionScope recorded for exactly these bytes, or null. */
  const recordedExpiry = (described: MemcachedItem | null, bytes: Buffer): Date | null => {
    const [ms, digest] = described?.value.toString("latin1").split(" ") ?? [];
    return ms && digest === entryDigest(bytes) ? new Date(Number(ms)) : null;
  };

  async function swap(entryKey: string, bytes: Buffer, exptime: number, expected: string): Promise<SaveResult | null> {
    const current = await client.gets(entryKey);
    if (!current) return { ok: false, reason: "missing" };
    if (!current.value.equals(Buffer.from(expected, "latin1"))) return { ok: false, reason: "conflict" };
    const outcome = await client.store("cas", entryKey, bytes, FLAG_PICKLE, exptime, current.cas);
    if (outcome === "exists") return { ok: false, reason: "conflict" };
    if (outcome === "not_found") return { ok: false, reason: "missing" };
    return null;
  }

  return {
    engine: "cache",
    atomicSave: true,
    async load(key, now): Promise<StoredSession | null> {
      if (!isWellFormedSessionKey(key)) return null;
      const [entry, described] = await Promise.all([client.gets(entryPrefix + key), client.gets(expiryPrefix + key)]);
      if (!entry) return null;
      let data: ReadonlyMap<string, unknown>;
      try {
        data = readPickledEntry(entry);
      } catch (error) {
        options.onCorruptEntry?.(key, error as Error);
        return null;
      }
      const expireDate = recordedExpiry(described, entry.value) ?? djangoExpiry(data, cookieAge, clock());
      if (expireDate <= now) return null;
      return { data, version: entry.value.toString("latin1"), expireDate };
    },
    async exists(key) {
      if (!isWellFormedSessionKey(key)) return false;
      return (await client.gets(entryPrefix + key)) !== null;
    },
    async save(key, record, expectedVersion): Promise<SaveResult> {
      if (!isWellFormedSessionKey(key)) throw new TypeError("SessionScope: the Memcached cache engine saves only well-formed session keys");
      const bytes = dumpsPickle(record.data);
      const exptime = memcachedExptime(record.ttlSeconds);
      if (expectedVersion === null) {
        if ((await client.store("add", entryPrefix + key, bytes, FLAG_PICKLE, exptime)) !== "stored") return { ok: false, reason: "exists" };
      } else {
        const lost = await swap(entryPrefix + key, bytes, exptime, expectedVersion);
        if (lost) return lost;
      }
      const described = Buffer.from(`${record.expireDate.getTime()} ${entryDigest(bytes)}`, "latin1");
      await client.store("set", expiryPrefix + key, described, FLAG_BYTES, exptime);
      return { ok: true, version: bytes.toString("latin1") };
    },
    async delete(key) {
      if (!isWellFormedSessionKey(key)) return;
      await Promise.all([client.delete(entryPrefix + key), client.delete(expiryPrefix + key)]);
    },
    async clearExpired(_now, options) {
      // Memcached expires entries itself (Django's clear_expired is a no-op on caches).
      options?.onProgress?.(0);
      return 0;
    },
  };
}
