/**
 * The store contract every engine implements.
 *
 * Required methods are what a request needs (load, create, save, delete,
 * exists, clearExpired). Optional capabilities are what the dashboard needs
 * (list, count, deleteByUser, deleteIssuedBefore, kill); callers detect them
 * at run time with the `supports*` helpers below.
 *
 * Records carry the session data in Django's stored form (`encoded`: the
 * signed string the db, cached_db and file engines keep) so that an engine
 * never signs or parses anything itself; the codec does that once, above it.
 * Redis-backed engines store Django's pickled dict instead and convert at the
 * edge (see cache engine).
 *
 * Concurrency: `save` is a compare-and-swap. The caller passes the `version`
 * it loaded (an opaque token: the stored string itself for SQL and files, the
 * stored bytes for Redis). If the stored session changed meanwhile, `save`
 * returns `{ ok: false, reason: "conflict" }` and the Session replays its
 * change log on fresh data (see session.ts). `version: null` means "must
 * create" (insert, fail on an existing key).
 */

/**
 * A loaded session: Django's encoded string (db, cached_db after a miss,
 * file) or an already-decoded dict (Redis cache entries, which Django keeps
 * as trusted pickles without a signature).
 */
export type StoredSession = {
  /**
   * When the stored session stops being valid. Left out by engines whose backend drops an entry at
   * the session's expiry to the millisecond (Redis), where a loaded entry is live by being there.
   */
  readonly expireDate?: Date;
  /** Opaque compare-and-swap token for `save`. */
  readonly version: string;
} & (
  | { readonly encoded: string; readonly data?: undefined }
  | { readonly data: ReadonlyMap<string, unknown>; readonly encoded?: undefined }
);

/** A stored session with its expiry, as the SQL and file engines load it. */
export type DatedStoredSession = StoredSession & { readonly expireDate: Date };

export interface SaveRecord {
  /** Django's encoded string; computed on first read, so engines that store a dict never pay for it. */
  readonly encoded: string;
  readonly expireDate: Date;
  /** Whole seconds until expiry, for engines with TTLs (Redis). */
  readonly ttlSeconds: number;
  /** The decoded data, for engines that store a dict (Redis, Django's pickle form). */
  readonly data: ReadonlyMap<string, unknown>;
  /** When the session was first created (kept in the data as `_session_created`). */
  readonly createdAt: Date;
  /** The logged-in user (`_auth_user_id`), indexed by engines that can. */
  readonly userId: string | null;
  /** When this save happens (the session's clock). */
  readonly now?: Date;
}

export type SaveResult =
  /** `key` is set by engines whose key is the data itself (signed cookies): the session takes it. */
  | { readonly ok: true; readonly version: string; readonly key?: string }
  | { readonly ok: false; readonly reason: "conflict" | "missing" | "exists" };

export interface SessionStore {
  /** A short engine name: "db", "cache", "cached_db", "file", "signed_cookies". */
  readonly engine: string;
  /** Whether `save` is a real compare-and-swap (false for signed cookies). */
  readonly atomicSave: boolean;
  /**
   * Whether a cookie value can be one of this engine's keys; checked before
   * any other call. Default: `isWellFormedSessionKey` ([a-z0-9]{8,40}); the
   * signed-cookies engine, whose key is the signed data, has its own.
   */
  isPossibleKey?(key: string): boolean;
  /**
   * The session if it exists and has not expired at `now`, else null. An engine whose backend drops
   * entries at the session's expiry to the millisecond (Redis) lets the backend decide, on its own
   * clock, and returns no `expireDate`.
   */
  load(key: string, now: Date): Promise<StoredSession | null>;
  /** Whether a session exists under `key` (expired or not). */
  exists(key: string): Promise<boolean>;
  /**
   * Writes the session. `expectedVersion === null` inserts and returns
   * `exists` when the key is taken; otherwise the write happens only if the
   * stored version still equals `expectedVersion` (`conflict` if it changed,
   * `missing` if the session was deleted meanwhile).
   */
  save(key: string, record: SaveRecord, expectedVersion: string | null): Promise<SaveResult>;
  /** Removes the session; no error when it does not exist. */
  delete(key: string): Promise<void>;
  /** Removes expired sessions; returns how many were removed (0 where the engine expires by itself). */
  clearExpired(now: Date, options?: ClearExpiredOptions): Promise<number>;
}

/** A store whose loads carry the session's expiry (the SQL and file engines): what cached_db fills its cache from. */
export type DatedLoadStore = Omit<SessionStore, "load"> & {
  load(key: string, now: Date): Promise<DatedStoredSession | null>;
};

export interface ClearExpiredOptions {
  /** Rows per delete statement. Without it, SQL engines size each batch to take about `batchMs`. */
  readonly batchSize?: number;
  /** How long a batch (one short transaction holding the write lock) should take; 20 ms unless given. */
  readonly batchMs?: number;
  /** Called after each batch with the running total. */
  readonly onProgress?: (deleted: number) => void;
}

export interface SessionListFilter {
  readonly status?: "active" | "expired" | "all";
  readonly userId?: string;
  /** Matches a prefix of the session key's public id or the user id. */
  readonly query?: string;
}

export interface SessionListItem {
  readonly key: string;
  /** An opaque id safe to show and to put in URLs (engines with a meta index); null when the engine has none for this session. */
  readonly publicId?: string | null;
  readonly expireDate: Date;
  readonly createdAt: Date | null;
  readonly userId: string | null;
  /** What the binding recorded of the session's last use (engines with a meta index). */
  readonly lastActivity?: Date | null;
  readonly ip?: string | null;
  readonly userAgent?: string | null;
}

export interface SessionPage {
  readonly items: readonly SessionListItem[];
  readonly nextCursor: string | null;
}

export interface ListableStore {
  list(filter: SessionListFilter, page: { cursor?: string | null; limit: number }, now: Date): Promise<SessionPage>;
  count(filter: SessionListFilter, now: Date): Promise<number>;
}

export interface UserIndexedStore {
  /** Deletes every session of a user; returns how many. */
  deleteByUser(userId: string, exceptKey?: string): Promise<number>;
  /** Keys of a user's sessions, for "your sessions" pages. */
  listByUser(userId: string, now: Date): Promise<SessionListItem[]>;
}

export interface IssuedBeforeStore {
  /** Deletes every session created before `date`; returns how many. */
  deleteIssuedBefore(date: Date): Promise<number>;
}

/** What a kill ends: sessions by key, every session of a user, or every session created before a moment. */
export type KillTarget = { readonly keys: readonly string[] } | { readonly userId: string } | { readonly issuedBefore: Date };

/**
 * A row an engine writes in the same database transaction as a kill (the
 * dashboard's audit entry), so that the record and the deletion commit
 * together or not at all. Plain names and values: the framework knows nothing
 * of the table but what it is told. Names are lowercase SQL identifiers; the
 * engine writes the number of sessions it deleted into `countColumn` and
 * returns the new row's `id`.
 */
export interface KillRecord {
  readonly table: string;
  readonly values: Readonly<Record<string, string | number | Date | null>>;
  readonly countColumn: string;
}

export interface KillResult {
  /** How many sessions were deleted: exactly those that existed. */
  readonly deleted: number;
  /** The deleted sessions' keys (for a cache in front, which must drop them too). */
  readonly keys: readonly string[];
  /** The `id` of the record written with the deletion; null when none was given. */
  readonly recordId: number | null;
}

export interface KillStore {
  /** Whether `kill` writes a record in the deletion's own transaction (the SQL engines); others refuse a record. */
  readonly recordsKills: boolean;
  /** Ends every session the target names, in one transaction where the engine has them. */
  kill(target: KillTarget, record?: KillRecord): Promise<KillResult>;
}

/** What a cache in front of the database must still do to one session's entry: tombstone it (a kill) or drop it (a save it missed). */
export type CacheInvalidationKind = "kill" | "stale";

export interface CacheInvalidation {
  readonly id: number;
  readonly key: string;
  readonly kind: CacheInvalidationKind;
}

/**
 * The database's outbox of cache invalidations: what a cached_db engine could
 * not tell its cache (Redis, Memcached) because it did not answer, kept until
 * the cache answers again (lib/session/engines/cache-fence.ts).
 */
export interface CacheOutboxStore {
  recordCacheInvalidations(keys: readonly string[], kind: CacheInvalidationKind, at: Date): Promise<void>;
  /** The oldest pending invalidations, at most `limit`. */
  pendingCacheInvalidations(limit: number): Promise<CacheInvalidation[]>;
  clearCacheInvalidations(ids: readonly number[]): Promise<void>;
}

/** A store with a cache in front that may have missed invalidations while the cache was down. */
export interface CacheFencedStore {
  /**
   * Applies the outbox's pending invalidations to the cache (from this
   * instance or any other); true when none is left and the cache is trusted.
   */
  replayCacheInvalidations(): Promise<boolean>;
}

export interface SessionActivity {
  readonly at: Date;
  readonly ip: string | null;
  readonly userAgent: string | null;
  /**
   * A short device family for the dashboard's device filter ("desktop firefox linux"). The caller
   * parses the user agent; the engine stores what it is given (at most 64 characters).
   */
  readonly device?: string | null;
}

export interface ActivityStore {
  /** Records the last use of a session (the binding calls it at most about once a minute). */
  recordActivity(key: string, activity: SessionActivity): Promise<void>;
}

export function supportsActivity(store: SessionStore): store is SessionStore & ActivityStore {
  return typeof (store as Partial<ActivityStore>).recordActivity === "function";
}

export function supportsListing(store: SessionStore): store is SessionStore & ListableStore {
  return typeof (store as Partial<ListableStore>).list === "function";
}

export function supportsUserIndex(store: SessionStore): store is SessionStore & UserIndexedStore {
  return typeof (store as Partial<UserIndexedStore>).deleteByUser === "function";
}

export function supportsKill(store: SessionStore): store is SessionStore & KillStore {
  return typeof (store as Partial<KillStore>).kill === "function";
}

export function supportsIssuedBefore(store: SessionStore): store is SessionStore & IssuedBeforeStore {
  return typeof (store as Partial<IssuedBeforeStore>).deleteIssuedBefore === "function";
}
