/**
 * Indexing the cache entries a Django site wrote. The cache engine lists the
 * sessions in its own index (redis-scripts.ts), which only SessionScope's
 * saves fill; a Django site sharing the Redis writes bare entries under
 * `KEY_PREFIX:VERSION:django.contrib.sessions.cache<key>`. A pass:
 *   1. SCANs (never KEYS) for the entry prefix, a batch at a time;
 *   2. reads each entry the index does not know (GET + PTTL, one script per batch);
 *   3. decodes it with the safe pickle reader (dicts, lists, strings, numbers,
 *      dates; nothing that executes): the user from `_auth_user_id`, the
 *      creation estimated as expiry − SESSION_COOKIE_AGE; an entry that is not
 *      a readable pickle of a dict is indexed as undecodable;
 *   4. indexes the batch in one script that writes only entries still holding
 *      the bytes decoded and not indexed meanwhile, exactly as a save would;
 * then drops index entries whose session Django deleted (logout).
 * Django's entries are only read. A pass stopped half-way loses nothing: the
 * next one finds what is still unindexed.
 */
import { createHash } from "node:crypto";
import { AUTH_USER_ID_KEY } from "../auth/auth-keys.ts";
import { NEVER_EXPIRES } from "../expiry.ts";
import { isWellFormedSessionKey } from "../keys.ts";
import { loadsPickle } from "./pickle-read.ts";
import { newPublicId } from "./public-id.ts";
import type { RedisClient } from "./redis-client.ts";
import { INDEX_ENTRIES, PRUNE_GONE, READ_UNINDEXED } from "./redis-scripts.ts";
import { redisCacheLayout, type RedisStoreOptions } from "./redis.ts";

export interface DjangoCacheIndexOptions extends Pick<RedisStoreOptions, "keyPrefix" | "version" | "indexPrefix"> {
  /** SESSION_COOKIE_AGE in seconds: creation is estimated as expiry minus this. */
  readonly cookieAge: number;
  /** Keys asked of each SCAN call, and entries read and indexed per script (default 1000). */
  readonly batchSize?: number;
  /** Called after each batch with the running totals. */
  readonly onProgress?: (progress: DjangoCacheIndexResult) => void;
  /** The time PTTLs are read against; default Date.now. */
  readonly nowMs?: () => number;
}

export interface DjangoCacheIndexResult {
  /** Session entries the SCAN met (indexed or not). */
  readonly scanned: number;
  /** Entries newly indexed, undecodable ones included. */
  readonly indexed: number;
  readonly undecodable: number;
  /** Entries that expired or were deleted between the SCAN and the indexing. */
  readonly gone: number;
  /** Entries rewritten between the read and the indexing: the next pass takes them. */
  readonly changed: number;
  /** Index entries dropped because Django deleted their session. */
  readonly removed: number;
}

/** One entry as read: its bytes and how long it has left (ms; negative: no TTL). */
export interface DjangoCacheEntry {
  readonly key: string;
  readonly bytes: Buffer;
  readonly pttl: number;
}

export interface DjangoCacheIndexer {
  /** SCAN MATCH pattern of the session entries (the prefix, glob-escaped). */
  readonly pattern: string;
  /** The entries of these session keys that the index does not know yet (those still in Redis). */
  readUnindexed(keys: readonly string[]): Promise<DjangoCacheEntry[]>;
  /** Decodes and indexes entries read by `readUnindexed`. */
  index(entries: readonly DjangoCacheEntry[]): Promise<Pick<DjangoCacheIndexResult, "indexed" | "undecodable" | "gone" | "changed">>;
  /** Drops index entries whose Redis entry is gone; returns how many. */
  pruneGone(): Promise<number>;
  /** A full pass: SCAN, read, index, prune. */
  run(): Promise<DjangoCacheIndexResult>;
}

/** `_auth_user_id` as the engine's saves record it (buildSaveRecord): a string, or a number as a string. */
function userIdOf(data: ReadonlyMap<string, unknown>): string {
  const raw = data.get(AUTH_USER_ID_KEY);
  if (typeof raw === "string") return raw;
  if ((typeof raw === "number" && Number.isInteger(raw)) || typeof raw === "bigint") return String(raw);
  return "";
}

/** Escapes a literal for a Redis glob pattern. */
const globEscape = (literal: string) => literal.replace(/[\\*?[\]]/g, "\\$&");

export function createDjangoCacheIndexer(redis: RedisClient, options: DjangoCacheIndexOptions): DjangoCacheIndexer {
  const layout = redisCacheLayout(options);
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? 1000));
  const nowMs = options.nowMs ?? Date.now;
  const pattern = `${globEscape(layout.entryPrefix)}*`;

  async function readUnindexed(keys: readonly string[]): Promise<DjangoCacheEntry[]> {
    if (keys.length === 0) return [];
    const flat = (await READ_UNINDEXED.run(redis, [], [layout.entryPrefix, layout.metaPrefix, ...keys], true)) as Array<Buffer | number>;
    const entries: DjangoCacheEntry[] = [];
    for (let i = 0; i < flat.length; i += 3) entries.push({ key: String(flat[i]), bytes: flat[i + 1] as Buffer, pttl: Number(flat[i + 2]) });
    return entries;
  }

  async function index(entries: readonly DjangoCacheEntry[]) {
    if (entries.length === 0) return { indexed: 0, undecodable: 0, gone: 0, changed: 0 };
    const now = nowMs();
    const args: Array<string | number> = [layout.entryPrefix, layout.metaPrefix, layout.created, layout.expiry, layout.userPrefix];
    for (const entry of entries) {
      const expireMs = entry.pttl < 0 ? NEVER_EXPIRES : now + entry.pttl;
      // No TTL (a cache with TIMEOUT None): no expiry to estimate from, so "now" is the best guess.
      const createdMs = entry.pttl < 0 ? now : expireMs - options.cookieAge * 1000;
      let user = "";
      let broken = false;
      try {
        user = userIdOf(loadsPickle(entry.bytes));
      } catch {
        broken = true;
      }
      // A primary key is short; anything longer is not one SessionScope can show, nor key a set by.
      if (user.length > 100) user = "";
      const sha = createHash("sha1").update(entry.bytes).digest("hex");
      args.push(entry.key, sha, createdMs, expireMs, user, newPublicId(createdMs), broken ? "1" : "0");
    }
    const [indexed, undecodable, gone, changed] = ((await INDEX_ENTRIES.run(redis, [], args)) as number[]).map(Number) as [number, number, number, number];
    return { indexed, undecodable, gone, changed };
  }

  async function pruneGone(): Promise<number> {
    let start = 0;
    let removed = 0;
    for (;;) {
      const [read, dropped] = ((await PRUNE_GONE.run(redis, [layout.created, layout.expiry], [layout.entryPrefix, layout.metaPrefix, layout.userPrefix, start, batchSize])) as number[]).map(Number) as [number, number];
      removed += dropped;
      start += read - dropped;
      if (read < batchSize) return removed;
    }
  }

  async function run(): Promise<DjangoCacheIndexResult> {
    const totals = { scanned: 0, indexed: 0, undecodable: 0, gone: 0, changed: 0, removed: 0 };
    let cursor = "0";
    do {
      const [next, found] = (await redis.call("SCAN", [cursor, "MATCH", pattern, "COUNT", batchSize])) as [string, string[]];
      cursor = String(next);
      // The prefix also matches other names that start with it (Django's cached_db entries: "...cached_db<key>").
      const keys = found.map((k) => k.slice(layout.entryPrefix.length)).filter(isWellFormedSessionKey);
      totals.scanned += keys.length;
      const done = await index(await readUnindexed(keys));
      totals.indexed += done.indexed;
      totals.undecodable += done.undecodable;
      totals.gone += done.gone;
      totals.changed += done.changed;
      options.onProgress?.({ ...totals });
    } while (cursor !== "0");
    totals.removed = await pruneGone();
    return totals;
  }

  return { pattern, readUnindexed, index, pruneGone, run };
}
