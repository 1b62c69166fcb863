/**
 * Django's `backends.cached_db`: a database engine with Redis in front.
 *
 * Redis keys:
 *   :1:django.contrib.sessions.cached_db<key>   the pickled dict, as Django writes it
 *   sessionscope:cached_db:version:<key>         the DB version (encoded string) that dict came from
 *   sessionscope:cached_db:lease:<key>           a reader's right to populate after a miss
 *   sessionscope:cached_db:killed:<key>          tombstone of a deleted session (short TTL)
 * An entry without its version key (written by Django) counts as a miss.
 *
 * The database is the serialization point: every save is the DB engine's
 * compare-and-swap first, then the cache follows. A miss takes a lease; saves
 * and kills revoke it, so a reader that loaded old data from the database can
 * never put it in the cache afterwards, and a killed session is never
 * resurrected by a racing load. A save that conflicts drops the cache entry,
 * so a stale entry heals on the next load. A kill (delete, deleteByUser,
 * deleteIssuedBefore, kill) tombstones the keys it knows before the database
 * deletes them, and every key the database deleted after.
 *
 * Redis errors (refused, timeout) never fail a request: the engine falls back
 * to the database and reports each failure through `onCacheError`. What the
 * cache missed meanwhile (a kill's tombstone, a save's refresh) goes to the
 * database's outbox and is replayed into Redis before any cached entry is
 * served again (cache-fence.ts). Whatever else happens, a cached entry is
 * trusted for at most `verifySeconds` after its last check against the
 * database (a load that missed, or a save): the version key expires then, and
 * the next load reads the database.
 */
import { randomUUID } from "node:crypto";
import { systemClock, type Clock } from "../expiry.ts";
import type {
  CacheFencedStore, CacheOutboxStore, IssuedBeforeStore, KillStore, ListableStore, SaveRecord, SaveResult, DatedLoadStore, SessionStore, StoredSession,
  UserIndexedStore,
} from "../store.ts";
import { createFencedCache } from "./cache-fence.ts";
import { dumpsPickle, loadsPickle } from "./pickle.ts";
import { djangoCacheKey, luaScript, type RedisClient } from "./redis-client.ts";

/** What cached_db keeps its sessions in: a SQL engine, whose loads carry the expiry the cache entry takes. */
export type DatabaseStore = DatedLoadStore & ListableStore & UserIndexedStore & IssuedBeforeStore & KillStore & CacheOutboxStore;
/** The cached_db engine: a cache hit carries no expiry (the entry's TTL is the session's). */
export type CachedDbStore = SessionStore & ListableStore & UserIndexedStore & IssuedBeforeStore & KillStore & CacheOutboxStore & CacheFencedStore;

export interface CachedDbStoreOptions {
  /** Decodes a database row's encoded string (the session codec), to fill the cache after a miss; null when invalid. */
  readonly decode: (encoded: string) => ReadonlyMap<string, unknown> | null;
  /** Reports a Redis failure; the request continues on the database alone. */
  readonly onCacheError?: (error: Error, operation: string) => void;
  /** Told how many kills and refreshes the cache missed were applied to it from the outbox (cache-fence.ts). */
  readonly onCacheReplayed?: (count: number) => void;
  /** Gives up on Redis after this long (default 500 ms). */
  readonly cacheTimeoutMs?: number;
  /** How long a killed session's tombstone blocks re-population (default 120 s). */
  readonly tombstoneSeconds?: number;
  /**
   * How long a cached entry is served without a look at the database (default 60 s): the bound on
   * what any invalidation the outbox could not carry (a crash between a kill and its record) can cost.
   */
  readonly verifySeconds?: number;
  readonly keyPrefix?: string;
  readonly version?: number;
  readonly indexPrefix?: string;
  /**
   * Where the engine takes the time it reads cache TTLs against; default the
   * system clock. The database store it wraps takes its own: give both the same.
   */
  readonly clock?: Clock;
}

/**
 * After a miss: read again, and take the lease unless the session was killed.
 * KEYS: entry, version, killed, lease. ARGV: lease token, lease ms. Returns [entry, version, leased].
 */
const READ = luaScript(`
local e = redis.call('GET', KEYS[1])
local v = redis.call('GET', KEYS[2])
if e and v then return {e, v, 0} end
if redis.call('EXISTS', KEYS[3]) == 1 then return {false, false, 0} end
redis.call('SET', KEYS[4], ARGV[1], 'PX', ARGV[2])
return {false, false, 1}
`);
/** What a load read from the cache: the entry, its version, and the lease's token when it took one. */
type CacheRead = readonly [entry: Buffer | null, version: Buffer | null, lease: string | null];
/** KEYS: entry, version, lease. ARGV: token, bytes, version, ttl ms, version ttl ms. */
const POPULATE = luaScript(`
if redis.call('GET', KEYS[3]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[3])
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[4])
redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[5])
return 1
`);
/**
 * KEYS: entry, version, lease. ARGV: expected version ('' = none), bytes, new version, ttl ms, version ttl ms.
 * The entry's TTL is the session's expiry to the millisecond, as POPULATE's: a hit is a live session.
 */
const REFRESH = luaScript(`
redis.call('DEL', KEYS[3])
local v = redis.call('GET', KEYS[2])
if (ARGV[1] == '' and not v) or v == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[4])
  redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[5])
  return 1
end
redis.call('DEL', KEYS[1], KEYS[2])
return 0
`);
/** KEYS: entry, version, lease, killed. ARGV: tombstone seconds. */
const KILL = luaScript(`
redis.call('SET', KEYS[4], '1', 'EX', ARGV[1])
return redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
`);

export function createCachedDbStore(db: DatabaseStore, redis: RedisClient, options: CachedDbStoreOptions): CachedDbStore {
  const clock = options.clock ?? systemClock;
  const entryPrefix = djangoCacheKey("django.contrib.sessions.cached_db", options);
  const index = options.indexPrefix ?? "sessionscope:cached_db:";
  const timeoutMs = options.cacheTimeoutMs ?? 500;
  const keys = (key: string) => ({
    entry: entryPrefix + key,
    version: `${index}version:${key}`,
    lease: `${index}lease:${key}`,
    killed: `${index}killed:${key}`,
  });

  const verifySeconds = options.verifySeconds ?? 60;
  // Every failed Redis step distrusts the cache until the outbox is replayed (cache-fence.ts).
  const { fence, cache, killKeys, recordStale, dropStale } = createFencedCache({
    name: "Redis",
    timeoutMs,
    outbox: db,
    now: clock,
    onCacheError: options.onCacheError,
    onCacheReplayed: options.onCacheReplayed,
    invalidate: (key, kind) => {
      const k = keys(key);
      return kind === "kill" ? KILL.run(redis, [k.entry, k.version, k.lease, k.killed], [options.tombstoneSeconds ?? 120]) : redis.call("DEL", [k.entry, k.version, k.lease]);
    },
  });

  const refresh = async (key: string, record: SaveRecord, expected: string | null, version: string) => {
    const k = keys(key);
    const ttlMs = Math.max(1, record.expireDate.getTime() - clock().getTime());
    const args = [expected ?? "", dumpsPickle(record.data), version, ttlMs, Math.min(ttlMs, verifySeconds * 1000)];
    const done = await cache("save", false, async () => (await REFRESH.run(redis, [k.entry, k.version, k.lease], args), true));
    if (!done) await recordStale(key);
  };

  const store: CachedDbStore = {
    ...db,
    engine: "cached_db",
    atomicSave: true,
    replayCacheInvalidations: () => fence.replay(),
    async load(key, now): Promise<StoredSession | null> {
      // After a Redis failure nothing cached is served until what it missed is replayed into it.
      if (!fence.trusted && !(await fence.replay())) return db.load(key, now);
      const k = keys(key);
      // A hit is one MGET: the entry and its version, read together (one atomic read). The entry's TTL is
      // the session's expiry to the millisecond (REFRESH and POPULATE set it), so an entry Redis answers
      // is live, and a hit needs no expiry of its own (the PTTL it once read with it cost a load about
      // 7 µs: docs/benchmarks.md, "Where a Redis load and write spend their time"). Only a miss runs
      // the script that takes the lease.
      const read = await cache("load", null, async (): Promise<CacheRead> => {
        const [entry, version] = (await redis.callBuffer("MGET", [k.entry, k.version])) as [Buffer | null, Buffer | null];
        if (entry && version) return [entry, version, null];
        const token = randomUUID();
        const [e, v, leased] = (await READ.run(redis, [k.entry, k.version, k.killed, k.lease], [token, 10_000], true)) as [Buffer | null, Buffer | null, number];
        return [e, v, leased === 1 ? token : null];
      });
      if (read?.[0] && read[1]) {
        try {
          return { data: loadsPickle(read[0]), version: read[1].toString("utf8") };
        } catch (error) {
          options.onCacheError?.(error as Error, "decode");
        }
      }
      const stored = await db.load(key, now);
      const token = read?.[2];
      if (!stored || stored.encoded === undefined || !token) return stored;
      const data = options.decode(stored.encoded);
      const ttlMs = stored.expireDate.getTime() - clock().getTime();
      if (data && ttlMs > 0) {
        const args = [token, dumpsPickle(data), stored.version, ttlMs, Math.min(ttlMs, verifySeconds * 1000)];
        await cache("populate", null, () => POPULATE.run(redis, [k.entry, k.version, k.lease], args));
      }
      return stored;
    },
    async exists(key) {
      return db.exists(key);
    },
    async save(key, record, expectedVersion): Promise<SaveResult> {
      const result = await db.save(key, record, expectedVersion);
      if (result.ok) await refresh(key, record, expectedVersion, result.version);
      // Whoever saved in between owns the cache now; drop what we may have read stale.
      else if (result.reason !== "exists") await dropStale(key, "invalidate");
      return result;
    },
    async delete(key) {
      // Tombstone first: a load racing this kill can neither hit nor re-populate the cache.
      await killKeys([key]);
      await db.delete(key);
      const k = keys(key);
      await cache("kill", null, () => redis.call("DEL", [k.entry, k.version]));
    },
    async deleteByUser(userId, exceptKey) {
      await killKeys((await db.listByUser(userId, new Date(0))).map((i) => i.key).filter((key) => key !== exceptKey));
      return db.deleteByUser(userId, exceptKey);
    },
    async deleteIssuedBefore(date) {
      await killKeys(await keysIssuedBefore(db, date, clock()));
      return db.deleteIssuedBefore(date);
    },
    recordsKills: db.recordsKills,
    async kill(target, record) {
      // Before: a load racing the kill can neither hit nor re-populate the cache.
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

/** Keys of the sessions created before `date`, read from the database's listing (the cache cannot list). */
export async function keysIssuedBefore(db: DatabaseStore, date: Date, now: Date): Promise<string[]> {
  const keys: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await db.list({ status: "all" }, { cursor, limit: 500 }, now);
    for (const item of page.items) if (item.createdAt && item.createdAt < date) keys.push(item.key);
    cursor = page.items.some((i) => i.createdAt === null) ? null : page.nextCursor;
  } while (cursor !== null);
  return keys;
}
