/**
 * The store contract, run against every engine on a real service. Each test
 * gets a fresh harness (a fresh database, a flushed Redis database, a new
 * folder), fresh random keys and its own clock, which stands still: every
 * instant a test uses is read from that clock or passed as `now`, never
 * waited for. Where Redis expires entries on its own clock, the test reads
 * back the TTL the engine asked for.
 *
 * What an engine offers comes from its declaration in test/helpers/backends.ts:
 * a declared capability's tests always run; an undeclared one is asserted absent.
 */
import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, expect, it } from "vitest";
import {
  type SaveRecord, type SessionListFilter, type SessionListItem, type SessionStore, type StoredSession, supportsActivity,
  supportsIssuedBefore, supportsListing, supportsUserIndex,
} from "../../lib/session/index.ts";
import { type Harness, type StoreBackend, type StoreTraits, TEST_CODEC } from "../helpers/backends.ts";
import { createTestClock, type TestClock } from "../helpers/clock.ts";
import { describeWithServices, itIf } from "../helpers/register.ts";

export const AGE_SECONDS = 3600;

export function newKey(): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  return Array.from(randomBytes(32), (b) => alphabet[b % 36]).join("");
}

/** What a Session would hand its store at `now`: Django's signed string, the dict, the expiry and its TTL. */
export function makeRecord(
  now: Date,
  data: Record<string, unknown>,
  options: { expireDate?: Date; createdAt?: Date; userId?: string | null } = {},
): SaveRecord {
  const expireDate = options.expireDate ?? new Date(now.getTime() + AGE_SECONDS * 1000);
  const map = new Map(Object.entries(data));
  return {
    encoded: TEST_CODEC.encode(map, now),
    expireDate,
    ttlSeconds: Math.max(1, Math.ceil((expireDate.getTime() - now.getTime()) / 1000)),
    data: map,
    createdAt: options.createdAt ?? now,
    userId: options.userId ?? null,
    now,
  };
}

/** The data of a loaded session, whichever form the engine returns. */
export function loadedData(session: StoredSession | null): Record<string, unknown> {
  if (!session) throw new Error("no session loaded");
  if (session.data) return Object.fromEntries(session.data);
  const decoded = TEST_CODEC.decode(session.encoded, new Date());
  if (!decoded.ok) throw new Error(`the stored session does not decode: ${decoded.reason}`);
  return Object.fromEntries(decoded.data);
}

async function saveOk(store: SessionStore, key: string, record: SaveRecord, version: string | null): Promise<string> {
  const result = await store.save(key, record, version);
  if (!result.ok) throw new Error(`save(${key}) failed: ${result.reason}`);
  return result.version;
}

// A backend that declares a capability must have it: these fail (never skip) when it does not.
function listing(store: SessionStore) {
  if (!supportsListing(store)) throw new Error("the backend declares listing, but its store has no list()");
  return store;
}
function userIndex(store: SessionStore) {
  if (!supportsUserIndex(store)) throw new Error("the backend declares a user index, but its store has no deleteByUser()");
  return store;
}
function serverTtl(h: Harness) {
  if (!h.serverTtlMs) throw new Error("the backend declares server TTLs, but its harness cannot read them");
  return h.serverTtlMs.bind(h);
}
function djangoWriter(h: Harness) {
  if (!h.writeDjangoSession) throw new Error("the backend declares storage shared with Django, but its harness cannot write Django sessions");
  return h.writeDjangoSession.bind(h);
}

/** Every page of a listing; every page but the last is full. */
async function allPages(store: SessionStore, filter: SessionListFilter, limit: number, now: Date) {
  const s = listing(store);
  const items: SessionListItem[] = [];
  const sizes: number[] = [];
  let cursor: string | null = null;
  do {
    const page = await s.list(filter, { cursor, limit }, now);
    sizes.push(page.items.length);
    items.push(...page.items);
    cursor = page.nextCursor;
    if (sizes.length > 1000) throw new Error("listing does not terminate");
  } while (cursor !== null);
  expect(sizes.slice(0, -1).every((n) => n === limit)).toBe(true);
  expect(sizes.at(-1)).toBeLessThanOrEqual(limit);
  return { items, pages: sizes.length };
}

const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The keys of `saved` in the order the backend declares for a full listing. */
function inListOrder(saved: { key: string; createdAt: number }[], order: StoreTraits["listOrder"]): string[] {
  const sorted = [...saved];
  if (order === "by key") sorted.sort((a, b) => byKey(a.key, b.key));
  else if (order === "newest first, ties by key ascending") sorted.sort((a, b) => b.createdAt - a.createdAt || byKey(a.key, b.key));
  else sorted.sort((a, b) => b.createdAt - a.createdAt || byKey(b.key, a.key));
  return sorted.map((s) => s.key);
}

export function describeStoreContract(backend: StoreBackend): void {
  const { capabilities: can, traits } = backend;
  const tolerance = traits.expiryToleranceMs;

  describeWithServices(`store contract: ${backend.name}`, backend.needs, () => {
    let h: Harness;
    let store: SessionStore;
    let clock: TestClock;
    const record = (data: Record<string, unknown>, options?: Parameters<typeof makeRecord>[2]) => makeRecord(clock(), data, options);
    const inSeconds = (seconds: number) => new Date(clock().getTime() + seconds * 1000);

    beforeEach(async () => {
      clock = createTestClock();
      h = await backend.open({ clock });
      store = h.store;
      // Opening a database can take a while on a busy machine: the test's time starts now.
      clock.set(new Date());
    });
    afterEach(async () => {
      await h?.dispose();
    });

    /** The TTL Redis holds for the key is the one the engine was asked for: `seconds` from now, to the tolerance. */
    async function expectServerTtl(key: string, seconds: number) {
      const ttl = await serverTtl(h)(key);
      expect(ttl).toBeGreaterThan(0);
      expect(Math.abs(ttl - seconds * 1000)).toBeLessThanOrEqual(tolerance);
      // To the millisecond: never rounded up past the session's end (the test clock stands still, Redis's runs on).
      if (traits.expiryIsTtl) expect(ttl).toBeLessThanOrEqual(seconds * 1000);
    }

    /**
     * The session ends at `expireDate`: the expiry its load returns, or, where the TTL is the expiry and the
     * load came from the cache (cached_db's miss reads the database, which has the date), the TTL.
     */
    async function expectExpiry(key: string, loaded: StoredSession | null, expireDate: Date) {
      if (traits.expiryIsTtl && loaded?.expireDate === undefined) {
        await expectServerTtl(key, (expireDate.getTime() - clock().getTime()) / 1000);
      } else {
        expect(Math.abs(loaded!.expireDate!.getTime() - expireDate.getTime())).toBeLessThanOrEqual(tolerance);
      }
    }

    it("creates a session once: a second must-create on the key reports exists", async () => {
      const key = newKey();
      expect(await store.exists(key)).toBe(false);
      expect((await store.save(key, record({ a: 1 }), null)).ok).toBe(true);
      expect(await store.save(key, record({ a: 2 }), null)).toEqual({ ok: false, reason: "exists" });
      expect(await store.exists(key)).toBe(true);
      expect(loadedData(await store.load(key, clock()))).toEqual({ a: 1 });
    });

    it(`loads what was saved (${traits.loads === "encoded" ? "Django's encoded string" : "the dict"}), with its expiry and a version that saves again`, async () => {
      const key = newKey();
      const saved = record({ cart: [1, 2, 3], name: "Zoë" });
      const version = await saveOk(store, key, saved, null);
      const loaded = await store.load(key, clock());
      expect(loaded?.version).toBe(version);
      expect(loaded?.encoded).toBe(traits.loads === "encoded" ? saved.encoded : undefined);
      expect(loadedData(loaded)).toEqual({ cart: [1, 2, 3], name: "Zoë" });
      await expectExpiry(key, loaded, saved.expireDate);
      expect((await store.save(key, record({ cart: [] }), loaded!.version)).ok).toBe(true);
      expect(await store.load(newKey(), clock())).toBeNull();
    });

    itIf(traits.expiryIsTtl)("does not load a session past its expiry, which Redis keeps to the millisecond", async () => {
      const key = newKey();
      await saveOk(store, key, record({ a: 1 }, { expireDate: inSeconds(0.4) }), null);
      expect(loadedData(await store.load(key, clock()))).toEqual({ a: 1 });
      // Real time as well as the test's: Redis counts the TTL on its own clock (a database behind the
      // cache, as cached_db's, on the test's).
      await new Promise((resolve) => setTimeout(resolve, 450));
      clock.advance(0.45);
      expect(await store.load(key, clock())).toBeNull();
      expect(await store.exists(key)).toBe(traits.keepsExpired);
    });

    itIf(!traits.expiryIsTtl)("does not load a session past its expiry", async () => {
      const key = newKey();
      const saved = record({ a: 1 });
      await saveOk(store, key, saved, null);
      const expiry = saved.expireDate.getTime();
      expect(await store.load(key, new Date(expiry - 60_000))).not.toBeNull();
      expect(await store.load(key, new Date(expiry + 1_000 + tolerance))).toBeNull();
    });

    it("compare-and-swap: a stale version conflicts, a deleted session is missing", async () => {
      const key = newKey();
      const v1 = await saveOk(store, key, record({ n: 1 }), null);
      const v2 = await saveOk(store, key, record({ n: 2 }), v1);
      expect(await store.save(key, record({ n: 3 }), v1)).toEqual({ ok: false, reason: "conflict" });
      expect(loadedData(await store.load(key, clock()))).toEqual({ n: 2 });
      await store.delete(key);
      expect(await store.save(key, record({ n: 4 }), v2)).toEqual({ ok: false, reason: "missing" });
      expect(await store.exists(key)).toBe(false);
    });

    it("treats a key no session can have (NUL, too long, odd characters) as absent, never as an error", async () => {
      for (const key of ["abcdefgh\0ijklmnop", "x".repeat(41), "not-a-session%00<script>", "../../etc/passwd"]) {
        expect(await store.load(key, clock())).toBeNull();
        expect(await store.exists(key)).toBe(false);
        await expect(store.delete(key)).resolves.toBeUndefined();
      }
    });

    it("deletes a session; deleting an unknown key is not an error", async () => {
      const key = newKey();
      await saveOk(store, key, record({ a: 1 }), null);
      await store.delete(key);
      expect(await store.load(key, clock())).toBeNull();
      expect(await store.exists(key)).toBe(false);
      await expect(store.delete(newKey())).resolves.toBeUndefined();
    });

    it("advertises exactly the optional capabilities it declares", () => {
      expect({
        listing: supportsListing(store),
        userIndex: supportsUserIndex(store),
        issuedBefore: supportsIssuedBefore(store),
        activity: supportsActivity(store),
        atomicSave: store.atomicSave,
      }).toEqual({ listing: can.listing, userIndex: can.userIndex, issuedBefore: can.issuedBefore, activity: can.activity, atomicSave: traits.atomicSave });
    });

    // ------------------------------------------------------------ expiry

    /** Five sessions of user 7 expired at `now`, three live ones. */
    async function saveExpiredAndLive(now: Date) {
      const expired = Array.from({ length: 5 }, newKey);
      const live = Array.from({ length: 3 }, newKey);
      for (const [i, key] of expired.entries()) {
        await saveOk(store, key, record({ i }, { expireDate: new Date(now.getTime() - 1000 * (i + 1)), userId: "7" }), null);
      }
      for (const key of live) await saveOk(store, key, record({ live: true }, { userId: "7" }), null);
      return { expired, live };
    }

    itIf(traits.keepsExpired)("keeps expired sessions until clearExpired, which deletes them in batches, reporting progress, and keeps live ones", async () => {
      const now = clock();
      const { expired, live } = await saveExpiredAndLive(now);
      for (const key of expired) expect(await store.exists(key)).toBe(true);
      const progress: number[] = [];
      expect(await store.clearExpired(now, { batchSize: 2, onProgress: (n) => progress.push(n) })).toBe(5);
      expect(progress).toEqual(traits.clearsInBatches ? [2, 4, 5] : [5]);
      for (const key of expired) expect(await store.exists(key)).toBe(false);
      for (const key of live) expect(await store.load(key, now)).not.toBeNull();
      expect(await store.clearExpired(now)).toBe(0);
    });

    itIf(traits.keepsExpired && can.userIndex)("drops cleared sessions from the user index", async () => {
      const now = clock();
      const { live } = await saveExpiredAndLive(now);
      await store.clearExpired(now);
      // Listed as of 1970, every session still indexed would count as live.
      expect((await userIndex(store).listByUser("7", new Date(0))).map((i) => i.key).sort()).toEqual([...live].sort());
    });

    itIf(!traits.keepsExpired)("leaves expiry to Redis: clearExpired deletes nothing, the entry's TTL ends the session", async () => {
      const key = newKey();
      await saveOk(store, key, record({ a: 1 }, { expireDate: inSeconds(0.9) }), null);
      await expectServerTtl(key, traits.expiryIsTtl ? 0.9 : 1);
      expect(await store.clearExpired(inSeconds(10))).toBe(0);
      if (traits.expiryIsTtl) {
        // Redis's clock decides, whatever instant the caller passes: the entry goes when its TTL runs out.
        expect(loadedData(await store.load(key, inSeconds(10)))).toEqual({ a: 1 });
        await new Promise((resolve) => setTimeout(resolve, 950));
        expect(await store.load(key, clock())).toBeNull();
      } else {
        expect(await store.load(key, inSeconds(10))).toBeNull();
      }
    });

    itIf(traits.serverTtl)("asks Redis to drop the entry when the session expires, and moves that on each save", async () => {
      const key = newKey();
      const v1 = await saveOk(store, key, record({ a: 1 }, { expireDate: inSeconds(90) }), null);
      await expectServerTtl(key, 90);
      await saveOk(store, key, record({ a: 2 }, { expireDate: inSeconds(30) }), v1);
      await expectServerTtl(key, 30);
    });

    // ------------------------------------------------------------ Django sharing the storage

    itIf(traits.sharedWithDjango)("loads a session a Django site wrote, and saves over it", async () => {
      const key = newKey();
      const expireDate = inSeconds(AGE_SECONDS);
      await djangoWriter(h)(key, { django: true }, expireDate);
      const loaded = await store.load(key, clock());
      expect(loadedData(loaded)).toEqual({ django: true });
      await expectExpiry(key, loaded, expireDate);
      await saveOk(store, key, record({ django: true, n: 1 }), loaded!.version);
      expect(loadedData(await store.load(key, clock()))).toEqual({ django: true, n: 1 });
    });

    // ------------------------------------------------------------ listing

    itIf(can.listing)(`pages through every session exactly once, ${traits.listOrder}, with ${traits.cursor === "opaque" ? "an opaque cursor" : "the last key as cursor"}`, async () => {
      const s = listing(store);
      const now = clock();
      const base = now.getTime() - 100_000;
      const saved: { key: string; createdAt: number }[] = [];
      for (let i = 0; i < 23; i++) {
        const key = newKey();
        // Groups of three share a creation instant, so the key breaks ties.
        const createdAt = base + Math.floor(i / 3) * 1000;
        await saveOk(store, key, record({ i }, { createdAt: new Date(createdAt), userId: String(100 + (i % 3)) }), null);
        saved.push({ key, createdAt });
      }
      const { items, pages } = await allPages(store, { status: "all" }, 5, now);
      expect(pages).toBe(5);
      expect(items.map((i) => i.key)).toEqual(inListOrder(saved, traits.listOrder));
      expect(items.every((i) => i.createdAt instanceof Date && i.userId !== null)).toBe(true);
      const first = await s.list({ status: "all" }, { limit: 5 }, now);
      if (traits.cursor === "opaque") {
        expect(first.nextCursor).not.toContain(first.items.at(-1)!.key);
        await expect(s.list({}, { cursor: "not-a-cursor", limit: 5 }, now)).rejects.toThrow(/cursor/);
      } else {
        expect(first.nextCursor).toBe(first.items.at(-1)!.key);
      }
    });

    itIf(can.listing)("filters by status, user and query, and counts the same sets", async () => {
      const s = listing(store);
      const now = clock();
      const mk = async (userId: string | null, expired: boolean) => {
        const key = newKey();
        const expireDate = new Date(now.getTime() + (expired ? -60_000 : AGE_SECONDS * 1000));
        await saveOk(store, key, record({ u: userId }, { userId, expireDate }), null);
        return key;
      };
      const alice = [await mk("4201", false), await mk("4201", false)];
      const bob = [await mk("4202", false)];
      const anon = [await mk(null, false)];
      // Only an engine that keeps expired sessions can list them; in Redis they are gone.
      const expired = traits.keepsExpired ? [await mk("4201", true), await mk(null, true)] : [];
      const keysOf = async (filter: SessionListFilter) => (await allPages(store, filter, 2, now)).items.map((i) => i.key).sort();
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
    });

    itIf(can.publicIds)("gives each listed session a public id that finds it by prefix", async () => {
      const s = listing(store);
      const now = clock();
      const keys = [newKey(), newKey(), newKey()];
      for (const key of keys) await saveOk(store, key, record({ a: 1 }, { userId: "4300" }), null);
      const { items } = await allPages(store, {}, 10, now);
      const publicIds = items.map((i) => i.publicId);
      for (const id of publicIds) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(new Set(publicIds).size).toBe(3);
      const target = items[1]!;
      expect((await s.list({ query: target.publicId!.slice(0, 12) }, { limit: 10 }, now)).items.map((i) => i.key)).toEqual([target.key]);
      expect(await s.count({ query: target.publicId!.slice(0, 12) }, now)).toBe(1);
    });

    itIf(can.listing && !can.publicIds)("lists sessions without public ids", async () => {
      for (const key of [newKey(), newKey()]) await saveOk(store, key, record({ a: 1 }, { userId: "4300" }), null);
      const { items } = await allPages(store, {}, 10, clock());
      expect(items).toHaveLength(2);
      expect(items.map((i) => i.publicId ?? null)).toEqual([null, null]);
    });

    itIf(can.listsDjangoSessions)("lists sessions a Django site wrote (no meta) after the indexed ones", async () => {
      const s = listing(store);
      const now = clock();
      const ours = [newKey(), newKey(), newKey()];
      for (const key of ours) await saveOk(store, key, record({ a: 1 }, { userId: "9" }), null);
      const foreign = Array.from({ length: 4 }, newKey);
      for (const key of foreign) await djangoWriter(h)(key, { django: true }, inSeconds(AGE_SECONDS));
      const { items } = await allPages(store, {}, 2, now);
      expect(items.slice(0, 3).map((i) => i.key).sort()).toEqual([...ours].sort());
      expect(items.slice(3).map((i) => i.key)).toEqual([...foreign].sort());
      expect(items.slice(3).every((i) => i.createdAt === null && i.userId === null)).toBe(true);
      expect(await s.count({}, now)).toBe(7);
      expect((await allPages(store, { userId: "9" }, 2, now)).items).toHaveLength(3);
      // Saving a Django session through SessionScope adopts it into the index.
      const loaded = await store.load(foreign[0]!, now);
      await saveOk(store, foreign[0]!, record({ django: true }, { userId: "9" }), loaded!.version);
      expect(await s.count({ userId: "9" }, now)).toBe(4);
    });

    itIf(can.listing && traits.sharedWithDjango && !can.listsDjangoSessions)("does not list sessions a Django site wrote (they load; only its own index is listed)", async () => {
      const s = listing(store);
      const now = clock();
      const ours = newKey();
      const foreign = newKey();
      await saveOk(store, ours, record({ a: 1 }), null);
      await djangoWriter(h)(foreign, { django: true }, inSeconds(AGE_SECONDS));
      expect(loadedData(await store.load(foreign, now))).toEqual({ django: true });
      expect((await allPages(store, { status: "all" }, 10, now)).items.map((i) => i.key)).toEqual([ours]);
      expect(await s.count({ status: "all" }, now)).toBe(1);
    });

    // ------------------------------------------------------------ per-user index, issued-before, activity

    itIf(can.userIndex)("deletes a user's sessions except the current one, and lists them", async () => {
      const s = userIndex(store);
      const now = clock();
      const mine = [newKey(), newKey(), newKey()];
      const other = newKey();
      for (const key of mine) await saveOk(store, key, record({ a: 1 }, { userId: "31" }), null);
      await saveOk(store, other, record({ a: 1 }, { userId: "32" }), null);
      expect((await s.listByUser("31", now)).map((i) => i.key).sort()).toEqual([...mine].sort());
      expect(await s.deleteByUser("31", mine[0])).toBe(2);
      expect(await store.exists(mine[0]!)).toBe(true);
      expect(await store.exists(mine[1]!)).toBe(false);
      expect(await store.exists(mine[2]!)).toBe(false);
      expect(await store.exists(other)).toBe(true);
      expect((await s.listByUser("31", now)).map((i) => i.key)).toEqual([mine[0]]);
      expect(await s.deleteByUser("31")).toBe(1);
      expect(await s.listByUser("31", now)).toEqual([]);
    });

    itIf(can.userIndex)("follows logins and logouts that change the owner of an existing session", async () => {
      const s = userIndex(store);
      const key = newKey();
      const keysOf = async (userId: string) => (await s.listByUser(userId, clock())).map((i) => i.key);
      const v1 = await saveOk(store, key, record({ a: 1 }), null);
      const v2 = await saveOk(store, key, record({ a: 1, _auth_user_id: "55" }, { userId: "55" }), v1);
      expect(await keysOf("55")).toEqual([key]);
      // Saves by the same owner keep it; a new owner or none moves it.
      const v3 = await saveOk(store, key, record({ a: 2, _auth_user_id: "55" }, { userId: "55" }), v2);
      expect(await keysOf("55")).toEqual([key]);
      const v4 = await saveOk(store, key, record({ a: 2, _auth_user_id: "56" }, { userId: "56" }), v3);
      expect(await keysOf("55")).toEqual([]);
      expect(await keysOf("56")).toEqual([key]);
      await saveOk(store, key, record({ a: 3 }), v4);
      expect(await keysOf("56")).toEqual([]);
      expect(await store.exists(key)).toBe(true);
    });

    itIf(can.issuedBefore)("deletes every session issued before an instant", async () => {
      if (!supportsIssuedBefore(store)) throw new Error("the backend declares issuedBefore, but its store has no deleteIssuedBefore()");
      const cutoff = inSeconds(-10);
      const old = [newKey(), newKey()];
      const fresh = [newKey(), newKey()];
      for (const key of old) await saveOk(store, key, record({ a: 1 }, { createdAt: new Date(cutoff.getTime() - 5000) }), null);
      for (const key of fresh) await saveOk(store, key, record({ a: 1 }, { createdAt: new Date(cutoff.getTime() + 1) }), null);
      expect(await store.deleteIssuedBefore(cutoff)).toBe(2);
      for (const key of old) expect(await store.exists(key)).toBe(false);
      for (const key of fresh) expect(await store.exists(key)).toBe(true);
    });

    itIf(can.activity)("records a session's last use, shown in listings and kept across saves", async () => {
      if (!supportsActivity(store)) throw new Error("the backend declares activity, but its store has no recordActivity()");
      const key = newKey();
      const at = new Date(clock().getTime() - 4321);
      const v1 = await saveOk(store, key, record({ a: 1 }, { userId: "61" }), null);
      await store.recordActivity(key, { at, ip: "203.0.113.9", userAgent: "Firefox" });
      await saveOk(store, key, record({ a: 2 }, { userId: "61" }), v1);
      const { items } = await allPages(store, { userId: "61" }, 10, clock());
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({ key, lastActivity: at, ip: "203.0.113.9", userAgent: "Firefox" });
    });

    // ------------------------------------------------------------ concurrency

    it("loses no update when 50 writers race on one session (load → modify → compare-and-swap, retry)", async () => {
      const writers = 50;
      const key = newKey();
      await saveOk(store, key, record({ start: true }), null);
      const peers = await Promise.all(Array.from({ length: 8 }, () => (h.peer ? h.peer() : Promise.resolve(store))));
      let conflicts = 0;
      await Promise.all(
        Array.from({ length: writers }, async (_, i) => {
          const s = peers[i % peers.length]!;
          for (let attempt = 0; attempt < 1000; attempt++) {
            const current = await s.load(key, clock());
            const result = await s.save(key, record({ ...loadedData(current), [`w${i}`]: i }), current!.version);
            if (result.ok) return;
            expect(result.reason).toBe("conflict");
            conflicts++;
          }
          throw new Error(`writer ${i} never won`);
        }),
      );
      const final = loadedData(await store.load(key, clock()));
      expect(Object.keys(final)).toHaveLength(writers + 1);
      for (let i = 0; i < writers; i++) expect(final[`w${i}`]).toBe(i);
      expect(conflicts).toBeGreaterThan(0);
    });
  });
}
