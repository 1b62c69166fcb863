/**
 * Django's `backends.cached_db` with Memcached in front of the database.
 *
 * Memcached keys:
 *   :1:django.contrib.sessions.cached_db<key>   the pickled dict (FLAG_PICKLE), as Django writes it
 *   sessionscope:cached_db:state:<key>           SessionScope's word on that entry:
 *       "ok <expiry ms> <digest of the entry> <database version>"   the entry is that version's data
 *       "stale" | "miss"                                             trust no entry; a reader may fill it
 *       "killed"                                                     deleted: nobody fills it (tombstone)
 * An entry is a hit only when the state is "ok" with the entry's digest, so an entry
 * Django wrote, one a racing writer left behind, or a state whose entry was evicted is
 * a miss.
 *
 * The database is the serialization point: every save is the database engine's
 * compare-and-swap first, then the cache follows. Memcached has no multi-key scripts,
 * so the state key, changed only by `cas` or `set` (both give it a new cas unique), is
 * the lease: a reader that misses keeps the state's cas unique, reads the database, and
 * fills the cache only if its `cas` on the state still succeeds. Every save and kill
 * writes the state, so a reader that read the database before them can never put its
 * old data in the cache afterwards, and a killed session is never filled again.
 *
 * Memcached errors (refused, timeout) never fail a request: the engine falls back to the
 * database and reports each failure through `onCacheError`. What the cache missed meanwhile
 * (a kill's tombstone, a save's refresh) goes to the database's outbox and is replayed into
 * Memcached before any cached entry is served again (cache-fence.ts). An "ok" state lives at
 * most `verifySeconds` (default 60): past that, the next load reads the database.
 */
import { systemClock } from "../expiry.ts";
import { isWellFormedSessionKey } from "../keys.ts";
import type { KillTarget, SaveRecord, SaveResult, StoredSession } from "../store.ts";
import { createFencedCache } from "./cache-fence.ts";
import { keysIssuedBefore, type CachedDbStore, type CachedDbStoreOptions, type DatabaseStore } from "./cached-db.ts";
import { checkMemcachedKeyPrefix, entryDigest, FLAG_BYTES, FLAG_PICKLE, memcachedExptime, type MemcachedClient, type MemcachedItem } from "./memcached-client.ts";
import { readPickledEntry } from "./memcached.ts";
import { dumpsPickle } from "./pickle.ts";
import { djangoCacheKey } from "./redis-client.ts";

/** The Redis engine's options, the same on Memcached (onCacheError reports Memcached's failures). */
export type MemcachedCachedDbStoreOptions = CachedDbStoreOptions;

/** How long "stale" and "miss" states outlive any request that could hold their cas unique. */
const STATE_SECONDS = 60;

interface Described {
  readonly expireMs: number;
  readonly digest: string;
  readonly version: string;
}

function describedBy(state: MemcachedItem | null): Described | null {
  const text = state?.value.toString("latin1") ?? "";
  const match = /^ok (\d+) (\S+) ([^]*)$/.exec(text);
  return match ? { expireMs: Number(match[1]), digest: match[2]!, version: match[3]! } : null;
}

export function createMemcachedCachedDbStore(db: DatabaseStore, client: MemcachedClient, options: MemcachedCachedDbStoreOptions): CachedDbStore {
  const clock = options.clock ?? systemClock;
  const entryPrefix = djangoCacheKey("django.contrib.sessions.cached_db", options);
  const statePrefix = `${options.indexPrefix ?? "sessionscope:cached_db:"}state:`;
  checkMemcachedKeyPrefix(entryPrefix);
  checkMemcachedKeyPrefix(statePrefix);
  const verifySeconds = options.verifySeconds ?? 60;
  const text = (value: string) => Buffer.from(value, "latin1");

  const describe = (bytes: Buffer, record: { expireDate: Date }, version: string) => text(`ok ${record.expireDate.getTime()} ${entryDigest(bytes)} ${version}`);

  // Every failed Memcached step distrusts the cache until the outbox is replayed (cache-fence.ts).
  // An invalidation marks the entry untrustworthy, revoking every reader's lease ("stale"), or
  // tombstones it ("killed"), and drops it.
  const { fence, cache, invalidate, killKeys: fencedKillKeys, recordStale, dropStale } = createFencedCache({
    name: "Memcached",
    timeoutMs: options.cacheTimeoutMs ?? 500,
    outbox: db,
    now: clock,
    onCacheError: options.onCacheError,
    onCacheReplayed: options.onCacheReplayed,
    invalidate: async (key, kind) => {
      const [state, seconds] = kind === "kill" ? ["killed", options.tombstoneSeconds ?? 120] : ["stale", STATE_SECONDS];
      await client.store("set", statePrefix + key, text(state), FLAG_BYTES, seconds);
      await client.delete(entryPrefix + key);
    },
  });

  /** The cas unique of the state a miss may fill the cache under; null when it may not (killed, or Memcached is down). */
  async function lease(key: string, state: MemcachedItem | null): Promise<string | null> {
    if (state) return state.value.toString("latin1") === "killed" ? null : state.cas;
    return cache("lease", null, async () => {
      await client.store("add", statePrefix + key, text("miss"), FLAG_BYTES, STATE_SECONDS);
      const taken = await client.gets(statePrefix + key);
      return taken && taken.value.toString("latin1") === "miss" ? taken.cas : null;
    });
  }

  /** After a database save: the cache follows only if it described the version we replaced; otherwise it is dropped. */
  const refresh = async (key: string, record: SaveRecord, expected: string | null, version: string) => {
    const done = await cache("save", false, async () => {
      const bytes = dumpsPickle(record.data);
      const exptime = memcachedExptime(record.ttlSeconds);
      const stateExptime = memcachedExptime(Math.min(record.ttlSeconds, verifySeconds));
      const state = await client.gets(statePrefix + key);
      const follows = expected === null ? state === null || state.value.toString("latin1") !== "killed" : describedBy(state)?.version === expected;
      const swapped = follows && state
        ? await client.store("cas", statePrefix + key, describe(bytes, record, version), FLAG_BYTES, stateExptime, state.cas)
        : follows ? await client.store("add", statePrefix + key, describe(bytes, record, version), FLAG_BYTES, stateExptime) : "not_stored";
      if (swapped !== "stored") return invalidate(key, "stale", "save");
      await client.store("set", entryPrefix + key, bytes, FLAG_PICKLE, exptime);
      return true;
    });
    if (!done) await recordStale(key);
  };

  // A key no session can have (spaces, control characters: not a Memcached key either) never reaches the cache.
  const killKeys = (keys: readonly string[], recorded?: Set<string>) => fencedKillKeys(keys.filter(isWellFormedSessionKey), recorded);

  const store: CachedDbStore = {
    ...db,
    engine: "cached_db",
    atomicSave: true,
    replayCacheInvalidations: () => fence.replay(),
    async load(key, now): Promise<StoredSession | null> {
      if (!isWellFormedSessionKey(key)) return db.load(key, now);
      // After a Memcached failure nothing cached is served until what it missed is replayed into it.
      if (!fence.trusted && !(await fence.replay())) return db.load(key, now);
      const read = await cache("load", null, () => Promise.all([client.gets(entryPrefix + key), client.gets(statePrefix + key)]));
      const [entry, state] = read ?? [null, null];
      const described = describedBy(state);
      if (entry && described && described.expireMs > now.getTime() && entryDigest(entry.value) === described.digest) {
        try {
          return { data: readPickledEntry(entry), version: described.version, expireDate: new Date(described.expireMs) };
        } catch (error) {
          options.onCacheError?.(error as Error, "decode");
        }
      }
      const token = read ? await lease(key, state) : null;
      const stored = await db.load(key, now);
      if (!stored || stored.encoded === undefined || token === null) return stored;
      const data = options.decode(stored.encoded);
      const ttlSeconds = (stored.expireDate.getTime() - clock().getTime()) / 1000;
      if (data && ttlSeconds > 0) {
        await cache("populate", null, async () => {
          const bytes = dumpsPickle(data);
          const exptime = memcachedExptime(ttlSeconds);
          const stateExptime = memcachedExptime(Math.min(ttlSeconds, verifySeconds));
          if ((await client.store("cas", statePrefix + key, describe(bytes, stored, stored.version), FLAG_BYTES, stateExptime, token)) === "stored") {
            await client.store("set", entryPrefix + key, bytes, FLAG_PICKLE, exptime);
          }
          return null;
        });
      }
      return stored;
    },
    async exists(key) {
      return db.exists(key);
    },
    async save(key, record, expectedVersion): Promise<SaveResult> {
      const result = await db.save(key, record, expectedVersion);
      if (!isWellFormedSessionKey(key)) return result;
      if (result.ok) await refresh(key, record, expectedVersion, result.version);
      // Whoever saved in between owns the cache now; drop what we may have read stale.
      else if (result.reason !== "exists") await dropStale(key, "invalidate");
      return result;
    },
    async delete(key) {
      if (!isWellFormedSessionKey(key)) return db.delete(key);
      // Tombstone first: a load racing this kill can neither hit nor fill the cache.
      await killKeys([key]);
      await db.delete(key);
      await cache("kill", null, () => client.delete(entryPrefix + key));
    },
    async deleteByUser(userId, exceptKey) {
      await killKeys((await db.listByUser(userId, new Date(0))).map((i) => i.key).filter((k) => k !== exceptKey));
      return db.deleteByUser(userId, exceptKey);
    },
    async deleteIssuedBefore(date) {
      await killKeys(await keysIssuedBefore(db, date, clock()));
      return db.deleteIssuedBefore(date);
    },
    recordsKills: db.recordsKills,
    async kill(target: KillTarget, record) {
      // Before: a load racing the kill can neither hit nor fill the cache.
      const known = "keys" in target ? target.keys : "userId" in target ? (await db.listByUser(target.userId, new Date(0))).map((i) => i.key) : await keysIssuedBefore(db, target.issuedBefore, clock());
      const recorded = new Set<string>();
      await killKeys(known, recorded);
      const result = await db.kill(target, record);
      // After: sessions saved (and cached) meanwhile, or created since the keys were read.
      await killKeys(result.keys, recorded);
      return result;
    },
  };
  return store;
}
