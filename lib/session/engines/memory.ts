/**
 * An in-memory engine: a real compare-and-swap store for tests, demos and
 * single-process development. Data vanish with the process.
 */
import type { Clock } from "../expiry.ts";
import type {
  IssuedBeforeStore, ListableStore, SaveRecord, SaveResult, SessionListFilter, SessionListItem, SessionPage, SessionStore,
  StoredSession, UserIndexedStore,
} from "../store.ts";

interface Entry {
  readonly encoded: string;
  readonly expireDate: Date;
  readonly version: string;
  readonly createdAt: Date;
  readonly userId: string | null;
}

export type MemoryStore = SessionStore & ListableStore & UserIndexedStore & IssuedBeforeStore & { readonly size: number };

export interface MemoryStoreOptions {
  /**
   * Taken like every engine's, so one harness can build them all; the memory
   * engine records no time of its own (every method that needs "now" is given it).
   */
  readonly clock?: Clock;
}

export function createMemoryStore(_options: MemoryStoreOptions = {}): MemoryStore {
  const entries = new Map<string, Entry>();
  let nextVersion = 0;

  const item = (key: string, e: Entry): SessionListItem => ({ key, expireDate: e.expireDate, createdAt: e.createdAt, userId: e.userId });
  const matches = (key: string, e: Entry, filter: SessionListFilter, now: Date) => {
    const status = filter.status ?? "active";
    if (status === "active" && e.expireDate <= now) return false;
    if (status === "expired" && e.expireDate > now) return false;
    if (filter.userId !== undefined && e.userId !== filter.userId) return false;
    return !filter.query || key.startsWith(filter.query) || (e.userId ?? "").startsWith(filter.query);
  };
  const removeWhere = (test: (key: string, e: Entry) => boolean) => {
    let n = 0;
    for (const [key, e] of entries) {
      if (test(key, e)) {
        entries.delete(key);
        n++;
      }
    }
    return n;
  };

  return {
    engine: "memory",
    atomicSave: true,
    get size() {
      return entries.size;
    },
    async load(key, now): Promise<StoredSession | null> {
      const e = entries.get(key);
      return e && e.expireDate > now ? { encoded: e.encoded, expireDate: e.expireDate, version: e.version } : null;
    },
    async exists(key) {
      return entries.has(key);
    },
    async save(key: string, record: SaveRecord, expectedVersion: string | null): Promise<SaveResult> {
      // No await between the check and the write: the compare-and-swap is atomic on the event loop.
      const current = entries.get(key);
      if (expectedVersion === null && current) return { ok: false, reason: "exists" };
      if (expectedVersion !== null && !current) return { ok: false, reason: "missing" };
      if (expectedVersion !== null && current?.version !== expectedVersion) return { ok: false, reason: "conflict" };
      const version = String(++nextVersion);
      entries.set(key, { encoded: record.encoded, expireDate: record.expireDate, version, createdAt: record.createdAt, userId: record.userId });
      return { ok: true, version };
    },
    async delete(key) {
      entries.delete(key);
    },
    async clearExpired(now, options) {
      const n = removeWhere((_k, e) => e.expireDate < now);
      options?.onProgress?.(n);
      return n;
    },
    async list(filter, page, now): Promise<SessionPage> {
      const all = [...entries].filter(([k, e]) => matches(k, e, filter, now)).sort(([a], [b]) => (a < b ? -1 : 1));
      const start = page.cursor ? all.findIndex(([k]) => k > page.cursor!) : 0;
      const slice = start < 0 ? [] : all.slice(start, start + page.limit);
      const last = slice.at(-1);
      return { items: slice.map(([k, e]) => item(k, e)), nextCursor: last && start + page.limit < all.length ? last[0] : null };
    },
    async count(filter, now) {
      return [...entries].filter(([k, e]) => matches(k, e, filter, now)).length;
    },
    async deleteByUser(userId, exceptKey) {
      return removeWhere((k, e) => e.userId === userId && k !== exceptKey);
    },
    async listByUser(userId, now) {
      return [...entries].filter(([, e]) => e.userId === userId && e.expireDate > now).map(([k, e]) => item(k, e));
    },
    async deleteIssuedBefore(date) {
      return removeWhere((_k, e) => e.createdAt < date);
    },
  };
}
