/**
 * The cache engine (Django's `backends.cache`) on Redis, through an injected
 * client. The entry is Django's: `:1:django.contrib.sessions.cache<key>`
 * holding the pickled session dict, with a TTL, so Django (django-redis or
 * its RedisCache) and SessionScope read each other's sessions.
 *
 * Compare-and-swap: the version is the stored bytes (as a latin1 string); a
 * Lua script writes only if the entry still holds exactly those bytes, and
 * must-create is SET NX EX. The indexes the dashboard needs (redis-scripts.ts)
 * change in the same script, so they never disagree with the entries.
 */
import { systemClock, type Clock } from "../expiry.ts";
import type {
  IssuedBeforeStore, KillStore, KillTarget, ListableStore, SaveResult, SessionListFilter, SessionListItem, SessionStore, StoredSession, UserIndexedStore,
} from "../store.ts";
import { decodeCursor, encodeCursor } from "./list-cursor.ts";
import { dumpsPickle, loadsPickle } from "./pickle.ts";
import { newPublicId } from "./public-id.ts";
import { djangoCacheKey, expireDateFromPttl, type RedisClient } from "./redis-client.ts";
import { DELETE, PAGE, PRUNE, RANK_AFTER, SAVE, USER_SESSIONS } from "./redis-scripts.ts";

export interface RedisStoreOptions {
  /** Django's CACHES KEY_PREFIX (default ""). */
  readonly keyPrefix?: string;
  /** Django's CACHES VERSION (default 1). */
  readonly version?: number;
  /** Prefix of SessionScope's index keys (default "sessionscope:cache:"). */
  readonly indexPrefix?: string;
  /** Called when a stored entry cannot be read (not a pickle of a dict of JSON-like values); it then counts as absent. */
  readonly onCorruptEntry?: (key: string, error: Error) => void;
  /** Where the engine takes the time it reads TTLs against and records (public ids); default the system clock. */
  readonly clock?: Clock;
}

export type RedisStore = SessionStore & ListableStore & UserIndexedStore & IssuedBeforeStore & KillStore;

/** What the PAGE and USER_SESSIONS scripts return per session (empty strings where the meta hash has no value). */
type Described = [key: Buffer | string, createdMs: string, userId: string, publicId: string, pttl: number];

const CHUNK = 200;

/** Where the engine keeps what: Django's entries, and SessionScope's index beside them (redis-scripts.ts). */
export interface RedisCacheLayout {
  /** Django's key of a session is this plus the session key. */
  readonly entryPrefix: string;
  readonly metaPrefix: string;
  readonly userPrefix: string;
  readonly created: string;
  readonly expiry: string;
}

export function redisCacheLayout(options: Pick<RedisStoreOptions, "keyPrefix" | "version" | "indexPrefix"> = {}): RedisCacheLayout {
  const index = options.indexPrefix ?? "sessionscope:cache:";
  return {
    entryPrefix: djangoCacheKey("django.contrib.sessions.cache", options),
    metaPrefix: `${index}meta:`,
    userPrefix: `${index}user:`,
    created: `${index}created`,
    expiry: `${index}expiry`,
  };
}

export function createRedisStore(redis: RedisClient, options: RedisStoreOptions = {}): RedisStore {
  const clock = options.clock ?? systemClock;
  const { entryPrefix, metaPrefix, userPrefix, created, expiry } = redisCacheLayout(options);
  const keysOf = (key: string) => [entryPrefix + key, metaPrefix + key, created, expiry];

  const item = ([key, createdMs, userId, publicId, pttl]: Described, nowMs: number): SessionListItem => ({
    key: String(key),
    publicId: publicId || null,
    createdAt: createdMs ? new Date(Number(createdMs)) : null,
    userId: userId || null,
    expireDate: expireDateFromPttl(pttl, nowMs),
  });
  const matches = (i: SessionListItem, filter: SessionListFilter, now: Date) => {
    const status = filter.status ?? "active";
    if (status !== "all" && (i.expireDate > now) !== (status === "active")) return false;
    if (filter.userId !== undefined && i.userId !== filter.userId) return false;
    return !filter.query || (i.publicId ?? "").startsWith(filter.query) || (i.userId ?? "").startsWith(filter.query);
  };
  const prune = async (now: Date) => {
    for (;;) {
      const [scanned] = (await PRUNE.run(redis, [created, expiry], [now.getTime(), entryPrefix, 1000])) as [number, number];
      if (scanned < 1000) return;
    }
  };
  const userSessions = async (userId: string) => {
    const described = (await USER_SESSIONS.run(redis, [userPrefix + userId], [entryPrefix, metaPrefix])) as Described[];
    const nowMs = clock().getTime();
    return described.map((d) => item(d, nowMs));
  };
  const remove = async (key: string) => Number(await DELETE.run(redis, keysOf(key), [key, userPrefix]));

  /** Filtered items newest first from rank `start`; the page script prunes dead members, so ranks are re-derived from the last one seen. */
  async function scan(filter: SessionListFilter, now: Date, start: number, want: number): Promise<SessionListItem[]> {
    const out: SessionListItem[] = [];
    let rank = start;
    while (out.length < want) {
      const page = (await PAGE.run(redis, [created, expiry], [entryPrefix, metaPrefix, rank, rank + CHUNK - 1])) as Described[];
      if (page.length === 0) {
        if (Number(await redis.call("ZCARD", [created])) <= rank) return out;
        continue; // the whole range was pruned: later members moved down
      }
      const nowMs = clock().getTime();
      for (const d of page) {
        const i = item(d, nowMs);
        if (matches(i, filter, now)) out.push(i);
        if (out.length === want) return out;
      }
      rank = await rankAfterItem(item(page.at(-1)!, nowMs));
    }
    return out;
  }
  /** Deletes each key that still exists; returns those. */
  const removeAll = async (keys: Iterable<string>) => {
    const removed: string[] = [];
    for (const key of keys) if (await remove(key)) removed.push(key);
    return removed;
  };
  /** Deletes every session created before `date`, 500 index members at a time; returns the keys deleted. */
  const removeIssuedBefore = async (date: Date) => {
    const removed: string[] = [];
    for (;;) {
      const keys = (await redis.call("ZRANGE", [created, "-inf", `(${date.getTime()}`, "BYSCORE", "LIMIT", 0, 500])) as string[];
      removed.push(...(await removeAll(keys)));
      // Every member read is gone from the index now (deleted, or pruned as already expired).
      if (keys.length < 500) return removed;
    }
  };
  const killTarget = async (target: KillTarget) => {
    if ("keys" in target) return removeAll(target.keys);
    if ("userId" in target) return removeAll((await userSessions(target.userId)).map((i) => i.key));
    return removeIssuedBefore(target.issuedBefore);
  };
  const rankAfterItem = async (i: SessionListItem) => Number(await RANK_AFTER.run(redis, [created], [i.createdAt?.getTime() ?? 0, i.key]));

  return {
    engine: "cache",
    atomicSave: true,
    async load(key): Promise<StoredSession | null> {
      // One GET. Every entry this engine writes expires to the millisecond with its session (SAVE sets
      // its TTL in ms), and a Django site's entry expires with its own (Django's cache engine keeps the
      // session's expiry as the TTL and never reads it back): Redis never answers an entry past its TTL,
      // so the entry's presence is the expiry check, made on Redis's clock as Django's is. Asking for
      // the PTTL as well cost a load about 7 µs (docs/benchmarks.md, "Where a Redis load and write
      // spend their time"); where the expiry itself is wanted (the dashboard), the indexes hold it.
      const bytes = (await redis.callBuffer("GET", [entryPrefix + key])) as Buffer | null;
      if (!bytes) return null;
      try {
        return { data: loadsPickle(bytes), version: bytes.toString("latin1") };
      } catch (error) {
        options.onCorruptEntry?.(key, error as Error);
        return null;
      }
    },
    async exists(key) {
      return Number(await redis.call("EXISTS", [entryPrefix + key])) === 1;
    },
    async save(key, record, expectedVersion): Promise<SaveResult> {
      const bytes = dumpsPickle(record.data);
      const result = String(
        await SAVE.run(redis, keysOf(key), [
          expectedVersion === null ? "create" : "update",
          Buffer.from(expectedVersion ?? "", "latin1"),
          bytes,
          // To the millisecond, on this engine's clock: the entry is gone exactly when the session ends.
          Math.max(1, record.expireDate.getTime() - clock().getTime()),
          record.createdAt.getTime(),
          record.userId ?? "",
          newPublicId(clock().getTime()),
          key,
          userPrefix,
          record.expireDate.getTime(),
        ]),
      );
      return result === "ok" ? { ok: true, version: bytes.toString("latin1") } : { ok: false, reason: result as "exists" | "conflict" | "missing" };
    },
    async delete(key) {
      await remove(key);
    },
    async clearExpired(now, options) {
      // Redis expires entries itself (Django's clear_expired is a no-op here); only the indexes need pruning.
      await prune(now);
      options?.onProgress?.(0);
      return 0;
    },
    async list(filter, page, now) {
      await prune(now);
      const limit = Math.max(1, Math.floor(page.limit));
      let items: SessionListItem[];
      if (filter.userId !== undefined) {
        items = (await userSessions(filter.userId)).filter((i) => matches(i, filter, now)).sort(newestFirst);
        const after = page.cursor ? decodeCursor(page.cursor) : null;
        if (after?.phase === 0) items = items.filter((i) => newestFirst(i, { createdAt: new Date(Number(after.created)), key: after.key }) > 0);
        items = items.slice(0, limit + 1);
      } else {
        const after = page.cursor ? decodeCursor(page.cursor) : null;
        const start = after?.phase === 0 ? Number(await RANK_AFTER.run(redis, [created], [after.created, after.key])) : 0;
        items = await scan(filter, now, start, limit + 1);
      }
      const more = items.length > limit;
      const shown = items.slice(0, limit);
      const last = shown.at(-1);
      return { items: shown, nextCursor: more && last ? encodeCursor({ phase: 0, created: last.createdAt?.getTime() ?? 0, key: last.key }) : null };
    },
    async count(filter, now) {
      await prune(now);
      if (filter.userId !== undefined) return (await userSessions(filter.userId)).filter((i) => matches(i, filter, now)).length;
      if (!filter.query) return (filter.status ?? "active") === "expired" ? 0 : Number(await redis.call("ZCARD", [created]));
      return (await scan(filter, now, 0, Number.MAX_SAFE_INTEGER)).length;
    },
    async deleteByUser(userId, exceptKey) {
      let n = 0;
      for (const i of await userSessions(userId)) if (i.key !== exceptKey) n += await remove(i.key);
      return n;
    },
    async listByUser(userId, now) {
      return (await userSessions(userId)).filter((i) => i.expireDate > now).sort(newestFirst);
    },
    async deleteIssuedBefore(date) {
      return (await removeIssuedBefore(date)).length;
    },
    // Redis has no transaction to write a database row in: the caller records the kill after it.
    recordsKills: false,
    async kill(target, record) {
      if (record) throw new TypeError("SessionScope: the cache engine cannot write a kill record in its own transaction (recordsKills is false)");
      const keys = await killTarget(target);
      return { deleted: keys.length, keys, recordId: null };
    },
  };
}

/** Newest first; ties by key descending, Redis's sorted-set order. */
function newestFirst(a: Pick<SessionListItem, "createdAt" | "key">, b: Pick<SessionListItem, "createdAt" | "key">): number {
  return (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0) || (a.key < b.key ? 1 : a.key > b.key ? -1 : 0);
}
