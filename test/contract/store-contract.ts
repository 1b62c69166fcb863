/**
 * The store contract, run against every engine on a real service. Each test
 * gets a fresh harness (a fresh database, a flushed Redis database, a new
 * folder) and fresh random keys; time is injected through `now` arguments.
 */
import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type SaveRecord, type SessionListItem, type SessionStore, type StoredSession, supportsIssuedBefore, supportsListing, supportsUserIndex } from "../../lib/session/index.ts";

export interface StoreHarness {
  readonly store: SessionStore;
  /** Another store over the same data on its own connection or client, for real concurrency (defaults to `store`). */
  peer?(): Promise<SessionStore>;
  /** Writes a session the way a Django site sharing the storage would (no SessionScope meta). */
  writeForeign?(key: string, encoded: string, expireDate: Date): Promise<void>;
  dispose(): Promise<void>;
}

export interface ContractOptions {
  /** Expired sessions stay stored until clearExpired (false where the service expires them: Redis TTLs). */
  readonly keepsExpired?: boolean;
  /** `load` returns the dict (Redis entries) instead of the encoded string. */
  readonly returnsData?: boolean;
  /** How far a loaded expireDate may drift from the saved one (TTL rounding, file mtimes). */
  readonly expiryToleranceMs?: number;
  /** Listing is ordered by creation, newest first (the memory engine orders by key). */
  readonly listsNewestFirst?: boolean;
  /** Sessions created at the same instant list by key ascending (Redis sorted sets order ties descending). */
  readonly tiesByKeyAscending?: boolean;
  /** clearExpired deletes in batches of `batchSize`, reporting each (the memory engine clears in one sweep). */
  readonly batchesClear?: boolean;
  /** The listing cursor hides the keys it points at (the memory engine's cursor is the last key). */
  readonly opaqueCursor?: boolean;
  /** Concurrent writers in the concurrency test. */
  readonly writers?: number;
  /**
   * The optional capabilities the engine offers (default: all). Tests of a
   * capability run only where it is offered; elsewhere one test checks that
   * the engine really does not advertise it, so the dashboard can tell.
   */
  readonly capabilities?: { readonly listing?: boolean; readonly userIndex?: boolean; readonly issuedBefore?: boolean };
  /** The harness can write sessions the way a Django site would (`writeForeign`); default true. */
  readonly foreignRows?: boolean;
}

/** Registers a test only where it applies: an engine without a capability has nothing to skip. */
const itIf = (condition: boolean): typeof it => (condition ? it : ((() => {}) as unknown as typeof it));

export const AGE_SECONDS = 3600;

export function newKey(): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  return Array.from(randomBytes(32), (b) => alphabet[b % 36]).join("");
}

export function makeRecord(
  data: Record<string, unknown>,
  options: { expireDate?: Date; createdAt?: Date; userId?: string | null } = {},
): SaveRecord {
  const expireDate = options.expireDate ?? new Date(Date.now() + AGE_SECONDS * 1000);
  return {
    encoded: Buffer.from(JSON.stringify(data)).toString("base64url") + ":sig",
    expireDate,
    ttlSeconds: Math.max(1, Math.ceil((expireDate.getTime() - Date.now()) / 1000)),
    data: new Map(Object.entries(data)),
    createdAt: options.createdAt ?? new Date(),
    userId: options.userId ?? null,
  };
}

/** The data of a loaded session, whichever form the engine returns. */
export function loadedData(session: StoredSession): Record<string, unknown> {
  if (session.data) return Object.fromEntries(session.data);
  return JSON.parse(Buffer.from(session.encoded.slice(0, session.encoded.indexOf(":")), "base64url").toString("utf8"));
}

async function saveOk(store: SessionStore, key: string, record: SaveRecord, version: string | null): Promise<string> {
  const result = await store.save(key, record, version);
  if (!result.ok) throw new Error(`save(${key}) failed: ${result.reason}`);
  return result.version;
}

async function allPages(store: SessionStore, filter: Parameters<NonNullable<ReturnType<typeof listable>>["list"]>[0], limit: number, now: Date) {
  const s = listable(store)!;
  const items: SessionListItem[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page = await s.list(filter, { cursor, limit }, now);
    expect(page.items.length).toBeLessThanOrEqual(limit);
    if (page.nextCursor !== null) expect(page.items.length).toBe(limit);
    items.push(...page.items);
    cursor = page.nextCursor;
    if (++pages > 1000) throw new Error("listing does not terminate");
  } while (cursor !== null);
  return { items, pages };
}

const listable = (store: SessionStore) => (supportsListing(store) ? store : null);

export function describeStoreContract(name: string, factory: () => Promise<StoreHarness>, options: ContractOptions = {}): void {
  const keepsExpired = options.keepsExpired ?? true;
  const tolerance = options.expiryToleranceMs ?? 0;
  const can = { listing: true, userIndex: true, issuedBefore: true, ...options.capabilities };

  describe(`store contract: ${name}`, () => {
    let h: StoreHarness;
    let store: SessionStore;
    beforeEach(async () => {
      h = await factory();
      store = h.store;
    });
    afterEach(async () => {
      await h?.dispose();
    });

    it("creates a session once: a second must-create on the key reports exists", async () => {
      const key = newKey();
      expect(await store.exists(key)).toBe(false);
      const first = await store.save(key, makeRecord({ a: 1 }), null);
      expect(first.ok).toBe(true);
      expect(await store.save(key, makeRecord({ a: 2 }), null)).toEqual({ ok: false, reason: "exists" });
      expect(await store.exists(key)).toBe(true);
      expect(loadedData((await store.load(key, new Date()))!)).toEqual({ a: 1 });
    });

    it("loads what was saved, with its expiry and a version that saves again", async () => {
      const key = newKey();
      const record = makeRecord({ cart: [1, 2, 3], name: "Zoë" });
      const version = await saveOk(store, key, record, null);
      const loaded = (await store.load(key, new Date()))!;
      expect(loaded).not.toBeNull();
      expect(loaded.version).toBe(version);
      expect(loadedData(loaded)).toEqual({ cart: [1, 2, 3], name: "Zoë" });
      if (!options.returnsData) expect(loaded.encoded).toBe(record.encoded);
      expect(Math.abs(loaded.expireDate.getTime() - record.expireDate.getTime())).toBeLessThanOrEqual(tolerance);
      expect(await store.load(newKey(), new Date())).toBeNull();
    });

    it("does not load a session past its expiry", async () => {
      const key = newKey();
      const record = makeRecord({ a: 1 });
      await saveOk(store, key, record, null);
      const expiry = record.expireDate.getTime();
      expect(await store.load(key, new Date(expiry - 60_000))).not.toBeNull();
      expect(await store.load(key, new Date(expiry + 1_000 + tolerance))).toBeNull();
      if (keepsExpired) expect(await store.exists(key)).toBe(true);
    });

    it("compare-and-swap: a stale version conflicts, a deleted session is missing", async () => {
      const key = newKey();
      const v1 = await saveOk(store, key, makeRecord({ n: 1 }), null);
      const v2 = await saveOk(store, key, makeRecord({ n: 2 }), v1);
      expect(await store.save(key, makeRecord({ n: 3 }), v1)).toEqual({ ok: false, reason: "conflict" });
      expect(loadedData((await store.load(key, new Date()))!)).toEqual({ n: 2 });
      await store.delete(key);
      expect(await store.save(key, makeRecord({ n: 4 }), v2)).toEqual({ ok: false, reason: "missing" });
      expect(await store.exists(key)).toBe(false);
    });

    it("treats a key no session can have (NUL, too long, odd characters) as absent, never as an error", async () => {
      for (const key of ["abcdefgh\0ijklmnop", "x".repeat(41), "not-a-session%00<script>", "../../etc/passwd"]) {
        expect(await store.load(key, new Date())).toBeNull();
        expect(await store.exists(key)).toBe(false);
        await expect(store.delete(key)).resolves.toBeUndefined();
      }
    });

    it("deletes a session; deleting an unknown key is not an error", async () => {
      const key = newKey();
      await saveOk(store, key, makeRecord({ a: 1 }), null);
      await store.delete(key);
      expect(await store.load(key, new Date())).toBeNull();
      expect(await store.exists(key)).toBe(false);
      await expect(store.delete(newKey())).resolves.toBeUndefined();
    });

    it("advertises exactly the optional capabilities it offers", () => {
      expect({ listing: supportsListing(store), userIndex: supportsUserIndex(store), issuedBefore: supportsIssuedBefore(store) }).toEqual(can);
    });

    if (!keepsExpired) {
      it("expires sessions by itself, so clearExpired has nothing to delete", async () => {
        const key = newKey();
        await saveOk(store, key, makeRecord({ a: 1 }, { expireDate: new Date(Date.now() + 900) }), null);
        expect(await store.clearExpired(new Date(Date.now() + 10_000))).toBe(0);
        await new Promise((resolve) => setTimeout(resolve, 1300));
        expect(await store.load(key, new Date())).toBeNull();
      });
    }

    itIf(keepsExpired)("clears expired sessions in batches, reporting progress, and keeps live ones", async () => {
      const now = new Date();
      const expired = Array.from({ length: 5 }, newKey);
      const live = Array.from({ length: 3 }, newKey);
      for (const [i, key] of expired.entries()) {
        await saveOk(store, key, makeRecord({ i }, { expireDate: new Date(now.getTime() - 1000 * (i + 1)), userId: "7" }), null);
      }
      for (const key of live) await saveOk(store, key, makeRecord({ live: true }, { userId: "7" }), null);
      const progress: number[] = [];
      const removed = await store.clearExpired(now, { batchSize: 2, onProgress: (n) => progress.push(n) });
      expect(removed).toBe(5);
      expect(progress.at(-1)).toBe(5);
      if (options.batchesClear ?? true) expect(progress.length).toBeGreaterThanOrEqual(3);
      for (const key of expired) expect(await store.exists(key)).toBe(false);
      for (const key of live) expect(await store.load(key, now)).not.toBeNull();
      expect(await store.clearExpired(now)).toBe(0);
      const users = supportsUserIndex(store) ? await store.listByUser("7", now) : null;
      if (users) expect(users.map((u) => u.key).sort()).toEqual([...live].sort());
    });

    // An engine without listing gets no "listing" group at all (vitest rejects empty suites).
    (can.listing ? describe : () => {})("listing", () => {
      itIf(can.listing)("pages through every session exactly once, newest first, with an opaque cursor", async () => {
        const s = listable(store)!;
        const now = new Date();
        const base = now.getTime() - 100_000;
        const saved: { key: string; createdAt: number }[] = [];
        for (let i = 0; i < 23; i++) {
          const key = newKey();
          // Groups of three share a creation instant, so the key breaks ties.
          const createdAt = base + Math.floor(i / 3) * 1000;
          await saveOk(store, key, makeRecord({ i }, { createdAt: new Date(createdAt), userId: String(100 + (i % 3)) }), null);
          saved.push({ key, createdAt });
        }
        const { items, pages } = await allPages(store, { status: "all" }, 5, now);
        expect(pages).toBe(5);
        expect(new Set(items.map((i) => i.key)).size).toBe(items.length);
        expect(items.map((i) => i.key).sort()).toEqual(saved.map((s) => s.key).sort());
        if (options.listsNewestFirst ?? true) {
          const times = items.map((i) => i.createdAt!.getTime());
          expect(times).toEqual([...times].sort((a, b) => b - a));
          const tie = options.tiesByKeyAscending ?? true ? 1 : -1;
          const expected = [...saved].sort((a, b) => b.createdAt - a.createdAt || (a.key < b.key ? -tie : tie)).map((s) => s.key);
          expect(items.map((i) => i.key)).toEqual(expected);
        }
        const first = await s.list({ status: "all" }, { limit: 5 }, now);
        expect(first.nextCursor).not.toBeNull();
        if (options.opaqueCursor ?? true) expect(first.nextCursor).not.toContain(first.items.at(-1)!.key);
        expect(items.every((i) => i.createdAt instanceof Date && i.userId !== null)).toBe(true);
        if (options.opaqueCursor ?? true) await expect(s.list({}, { cursor: "not-a-cursor", limit: 5 }, now)).rejects.toThrow(/cursor/);
      });

      itIf(can.listing)("filters by status, user and query, and counts the same sets", async () => {
        const s = listable(store)!;
        const now = new Date();
        const mk = async (userId: string | null, expired: boolean) => {
          const key = newKey();
          const expireDate = new Date(now.getTime() + (expired ? -60_000 : AGE_SECONDS * 1000));
          await saveOk(store, key, makeRecord({ u: userId }, { userId, expireDate }), null);
          return key;
        };
        const alice = [await mk("4201", false), await mk("4201", false)];
        const bob = [await mk("4202", false)];
        const anon = [await mk(null, false)];
        const expired = keepsExpired ? [await mk("4201", true), await mk(null, true)] : [];
        const keysOf = async (filter: Parameters<typeof s.list>[0]) => (await allPages(store, filter, 2, now)).items.map((i) => i.key).sort();
        const sorted = (...lists: string[][]) => lists.flat().sort();

        expect(await keysOf({})).toEqual(sorted(alice, bob, anon));
        expect(await keysOf({ status: "active" })).toEqual(sorted(alice, bob, anon));
        expect(await keysOf({ status: "expired" })).toEqual(sorted(expired));
        expect(await keysOf({ status: "all" })).toEqual(sorted(alice, bob, anon, expired));
        expect(await keysOf({ userId: "4201" })).toEqual(sorted(alice));
        expect(await keysOf({ userId: "4201", status: "all" })).toEqual(sorted(alice, expired.slice(0, 1)));
        expect(await keysOf({ query: "420" })).toEqual(sorted(alice, bob));
        expect(await keysOf({ query: "4202" })).toEqual(sorted(bob));
        expect(await s.count({}, now)).toBe(4);
        expect(await s.count({ status: "all" }, now)).toBe(4 + expired.length);
        expect(await s.count({ status: "expired" }, now)).toBe(expired.length);
        expect(await s.count({ userId: "4201" }, now)).toBe(2);
        expect(await s.count({ query: "420" }, now)).toBe(3);

        const bobItem = (await s.list({ userId: "4202" }, { limit: 10 }, now)).items[0]!;
        if (bobItem.publicId) {
          expect(bobItem.publicId).toMatch(/^[A-Za-z0-9_-]{22}$/);
          expect(bobItem.publicId).not.toContain(bobItem.key);
          const byPublicId = await s.list({ query: bobItem.publicId.slice(0, 10) }, { limit: 10 }, now);
          expect(byPublicId.items.map((i) => i.key)).toEqual(bob);
        }
      });

      itIf(can.listing && (options.foreignRows ?? true))("lists sessions a Django site wrote (no meta) after the indexed ones", async () => {
        const s = listable(store)!;
        const now = new Date();
        const ours = [newKey(), newKey(), newKey()];
        for (const key of ours) await saveOk(store, key, makeRecord({ a: 1 }, { userId: "9" }), null);
        const foreign = Array.from({ length: 4 }, newKey);
        for (const key of foreign) await h.writeForeign!(key, makeRecord({ django: true }).encoded, new Date(now.getTime() + 3600_000));
        const { items } = await allPages(store, {}, 2, now);
        expect(items.slice(0, 3).map((i) => i.key).sort()).toEqual([...ours].sort());
        expect(items.slice(3).map((i) => i.key)).toEqual([...foreign].sort());
        expect(items.slice(3).every((i) => i.createdAt === null && i.userId === null)).toBe(true);
        expect(await s.count({}, now)).toBe(7);
        expect((await allPages(store, { userId: "9" }, 2, now)).items).toHaveLength(3);
        // Saving a Django session through SessionScope adopts it into the index.
        const loaded = (await store.load(foreign[0]!, now))!;
        await saveOk(store, foreign[0]!, makeRecord({ django: true }, { userId: "9" }), loaded.version);
        expect(await s.count({ userId: "9" }, now)).toBe(4);
      });
    });

    itIf(can.userIndex)("deletes a user's sessions except the current one, and lists them", async () => {
      if (!supportsUserIndex(store)) throw new Error("no user index");
      const now = new Date();
      const mine = [newKey(), newKey(), newKey()];
      const other = newKey();
      for (const key of mine) await saveOk(store, key, makeRecord({ a: 1 }, { userId: "31" }), null);
      await saveOk(store, other, makeRecord({ a: 1 }, { userId: "32" }), null);
      expect((await store.listByUser("31", now)).map((i) => i.key).sort()).toEqual([...mine].sort());
      expect(await store.deleteByUser("31", mine[0])).toBe(2);
      expect(await store.exists(mine[0]!)).toBe(true);
      expect(await store.exists(mine[1]!)).toBe(false);
      expect(await store.exists(mine[2]!)).toBe(false);
      expect(await store.exists(other)).toBe(true);
      expect((await store.listByUser("31", now)).map((i) => i.key)).toEqual([mine[0]]);
      expect(await store.deleteByUser("31")).toBe(1);
      expect(await store.listByUser("31", now)).toEqual([]);
    });

    itIf(can.userIndex)("follows logins and logouts that change the owner of an existing session", async () => {
      if (!supportsUserIndex(store)) throw new Error("no user index");
      const key = newKey();
      const v1 = await saveOk(store, key, makeRecord({ a: 1 }), null);
      const v2 = await saveOk(store, key, makeRecord({ a: 1, _auth_user_id: "55" }, { userId: "55" }), v1);
      expect((await store.listByUser("55", new Date())).map((i) => i.key)).toEqual([key]);
      // Saves by the same owner keep it; a new owner or none moves it.
      const v3 = await saveOk(store, key, makeRecord({ a: 2, _auth_user_id: "55" }, { userId: "55" }), v2);
      expect((await store.listByUser("55", new Date())).map((i) => i.key)).toEqual([key]);
      const v4 = await saveOk(store, key, makeRecord({ a: 2, _auth_user_id: "56" }, { userId: "56" }), v3);
      expect(await store.listByUser("55", new Date())).toEqual([]);
      expect((await store.listByUser("56", new Date())).map((i) => i.key)).toEqual([key]);
      await saveOk(store, key, makeRecord({ a: 3 }), v4);
      expect(await store.listByUser("56", new Date())).toEqual([]);
      expect(await store.exists(key)).toBe(true);
    });

    itIf(can.issuedBefore)("deletes every session issued before an instant", async () => {
      if (!supportsIssuedBefore(store)) throw new Error("no issued-before capability");
      const cutoff = new Date(Date.now() - 10_000);
      const old = [newKey(), newKey()];
      const fresh = [newKey(), newKey()];
      for (const key of old) await saveOk(store, key, makeRecord({ a: 1 }, { createdAt: new Date(cutoff.getTime() - 5000) }), null);
      for (const key of fresh) await saveOk(store, key, makeRecord({ a: 1 }, { createdAt: new Date(cutoff.getTime() + 1) }), null);
      expect(await store.deleteIssuedBefore(cutoff)).toBe(2);
      for (const key of old) expect(await store.exists(key)).toBe(false);
      for (const key of fresh) expect(await store.exists(key)).toBe(true);
    });

    it("loses no update when many writers race on one session (load → modify → compare-and-swap, retry)", async () => {
      const writers = options.writers ?? 50;
      const key = newKey();
      await saveOk(store, key, makeRecord({ start: true }), null);
      const peers = await Promise.all(Array.from({ length: Math.min(writers, 8) }, () => (h.peer ? h.peer() : Promise.resolve(store))));
      let conflicts = 0;
      await Promise.all(
        Array.from({ length: writers }, async (_, i) => {
          const s = peers[i % peers.length]!;
          for (let attempt = 0; attempt < 1000; attempt++) {
            const current = (await s.load(key, new Date()))!;
            const data = { ...loadedData(current), [`w${i}`]: i };
            const result = await s.save(key, makeRecord(data), current.version);
            if (result.ok) return;
            expect(result.reason).toBe("conflict");
            conflicts++;
          }
          throw new Error(`writer ${i} never won`);
        }),
      );
      const final = loadedData((await store.load(key, new Date()))!);
      expect(Object.keys(final)).toHaveLength(writers + 1);
      for (let i = 0; i < writers; i++) expect(final[`w${i}`]).toBe(i);
      expect(conflicts).toBeGreaterThan(0);
    });
  });
}
