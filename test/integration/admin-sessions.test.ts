// The dashboard's sessions list and detail on every engine that lists
// sessions, against real SQLite, PostgreSQL and Redis: filters, sorts and
// cursors as a person paging through the list sees them, and never a
// session key in anything the API would send.
import { afterEach, beforeEach, expect, it } from "vitest";
import type { AdminSessionPage } from "../../lib/admin-api.ts";
import { getSessionDetail, listSessions } from "../../lib/server/admin/sessions.ts";
import { sessionQuerySchema, type SessionQuery } from "../../lib/server/admin/schemas.ts";
import { buildSaveRecord, createSessionCodec, DEFAULT_SESSION_POLICY, defineSessionConfig, encodeLegacySession, type Session } from "../../lib/session/index.ts";
import { redisKeys, TEST_CODEC, TEST_SECRET } from "../helpers/backends.ts";
import { describeWithServices, itIf } from "../helpers/register.ts";
import { statusOf } from "./auth-fixtures.ts";
import { CHROME_WINDOWS, createSession, FIREFOX, IPHONE, LISTING_BACKENDS, SIGNED_COOKIES_BACKEND, type AdminHarness } from "./admin-fixtures.ts";

const query = (params: Record<string, string | number> = {}): SessionQuery =>
  sessionQuerySchema.parse(Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])));

/** Every page of a listing, following nextCursor. */
async function allPages(h: AdminHarness, params: Record<string, string | number>): Promise<AdminSessionPage[]> {
  const pages: AdminSessionPage[] = [];
  let cursor: string | null = null;
  do {
    const page: AdminSessionPage = await listSessions(h.callers.viewer, query({ ...params, ...(cursor && { cursor }) }), h.context);
    pages.push(page);
    cursor = page.nextCursor;
  } while (cursor !== null && pages.length < 50);
  return pages;
}

const tagged = (tag: string) => ({ cart: { tag, items: [] } });

for (const backend of LISTING_BACKENDS) {
  const sql = backend.engine !== "cache";
  describeWithServices(`dashboard sessions on ${backend.name}`, backend.needs, () => {
    let h: AdminHarness;
    beforeEach(async () => {
      h = await backend.open();
    });
    afterEach(async () => {
      await h?.dispose();
    });

    it("lists sessions newest first with owner, device and address, counts them, and shows no key", async () => {
      const alice = await createSession(h, { user: h.users.alice, userAgent: FIREFOX, ip: "203.0.113.5", ageSeconds: 3 * 3600, data: tagged("alice") });
      const bob = await createSession(h, { user: h.users.bob, userAgent: IPHONE, ip: "198.51.100.7", ageSeconds: 3600, data: tagged("bob") });
      const anonymous = await createSession(h, { userAgent: CHROME_WINDOWS, ip: "10.0.0.8", ageSeconds: 60, data: tagged("anonymous") });

      const page = await listSessions(h.callers.viewer, query(), h.context);
      expect(page.total).toBe(3);
      expect(page.listing).toBe("full");
      expect(page.nextCursor).toBeNull();
      expect(page.items.map((row) => row.user?.username ?? "anonymous")).toEqual(["anonymous", "bob", "alice"]);
      expect(page.items.map((row) => row.status)).toEqual(["active", "active", "active"]);
      expect(page.items.every((row) => row.engine === backend.engine && /^[A-Za-z0-9_-]{22}$/.test(row.id))).toBe(true);
      expect(page.items[2]).toMatchObject({ userId: h.users.alice.id, user: { id: h.users.alice.id, username: "alice" }, flags: [] });
      if (backend.recordsActivity) {
        expect(page.items.map((row) => [row.device?.label, row.ip])).toEqual([
          ["Chrome 120 on Windows", "10.0.0.8"],
          ["Safari 17 on iOS", "198.51.100.7"],
          ["Firefox 128 on Linux", "203.0.113.5"],
        ]);
      }
      const text = JSON.stringify(page);
      for (const session of [alice, bob, anonymous]) expect(text).not.toContain(session.key!);
    });

    it("pages with an opaque cursor that round-trips, never carries a key, and covers every session once", async () => {
      const sessions: Session[] = [];
      for (let i = 0; i < 7; i++) sessions.push(await createSession(h, { ageSeconds: 100 * (i + 1), data: tagged(`s${i}`) }));
      const pages = await allPages(h, { limit: 3 });
      expect(pages.map((page) => page.items.length)).toEqual([3, 3, 1]);
      expect(pages.map((page) => page.total)).toEqual([7, 7, 7]);
      const ids = pages.flatMap((page) => page.items.map((row) => row.id));
      expect(new Set(ids).size).toBe(7);
      const created = pages.flatMap((page) => page.items.map((row) => row.createdAt!));
      expect(created).toEqual([...created].sort().reverse());
      for (const cursor of pages.map((page) => page.nextCursor).filter((c): c is string => c !== null)) {
        // Decoded naively every way a curious person might: no key, not even its start.
        const views = [cursor, Buffer.from(cursor, "base64url").toString("latin1"), Buffer.from(cursor, "base64url").toString("utf8")];
        for (const session of sessions) for (const view of views) expect(view).not.toContain(session.key!.slice(0, 12));
      }
    });

    it("refuses a tampered cursor, or one from another listing, with a 400", async () => {
      for (let i = 0; i < 3; i++) await createSession(h, { ageSeconds: i * 10 + 5 });
      const { nextCursor } = await listSessions(h.callers.viewer, query({ limit: 1 }), h.context);
      const tampered = nextCursor!.slice(0, 10) + (nextCursor![10] === "A" ? "B" : "A") + nextCursor!.slice(11);
      for (const cursor of [tampered, nextCursor!.slice(0, -2), "bm90IGEgY3Vyc29y", "eyJwaGFzZSI6MH0"]) {
        const { status, error } = await statusOf(listSessions(h.callers.viewer, query({ limit: 1, cursor }), h.context));
        expect([status, error?.message]).toEqual([400, "invalid cursor: start again from the first page."]);
      }
      if (sql) expect((await statusOf(listSessions(h.callers.viewer, query({ limit: 1, sort: "expiry", cursor: nextCursor! }), h.context))).status).toBe(400);
    });

    it("filters by status, user and search, and the total follows the filter", async () => {
      await createSession(h, { user: h.users.alice, ageSeconds: 50, data: tagged("alice-1") });
      await createSession(h, { user: h.users.alice, ageSeconds: 40, data: tagged("alice-2") });
      const bob = await createSession(h, { user: h.users.bob, ageSeconds: 30, data: tagged("bob") });
      // Expired a minute from now (Redis drops an entry at its TTL, on its own clock: no expired listing there).
      if (sql) await createSession(h, { data: { ...tagged("short"), _session_expiry: 30 }, ageSeconds: 20 });
      h.clock.advance(60);

      const count = async (params: Record<string, string>) => {
        const page = await listSessions(h.callers.viewer, query(params), h.context);
        expect(page.items).toHaveLength(page.total);
        return page.items.map((row) => row.user?.username ?? "anonymous").sort();
      };
      expect(await count({})).toEqual(["alice", "alice", "bob"]);
      expect(await count({ user: "alice" })).toEqual(["alice", "alice"]);
      expect(await count({ user: String(h.users.bob.id) })).toEqual(["bob"]);
      expect(await count({ user: "nobody-by-that-name" })).toEqual([]);
      const bobId = (await listSessions(h.callers.viewer, query({ user: "bob" }), h.context)).items[0]!.id;
      // Ids made in the same millisecond share their first 8 characters (a time prefix): search on more.
      expect(await count({ q: bobId.slice(0, 16) })).toEqual(["bob"]);
      if (sql) {
        // Redis drops an entry at its TTL (on its own clock); the SQL engines keep it until clearsessions.
        expect(await count({ status: "expired" })).toEqual(["anonymous"]);
        expect(await count({ status: "all" })).toEqual(["alice", "alice", "anonymous", "bob"]);
        expect(await count({ user: "anonymous", status: "all" })).toEqual(["anonymous"]);
        expect(await count({ q: "ALI" })).toEqual(["alice", "alice"]);
        expect(await count({ engine: backend.engine })).toHaveLength(3);
        expect(await count({ engine: "file" })).toEqual([]);
      }
      expect(JSON.stringify(await listSessions(h.callers.viewer, query({ status: "all" }), h.context))).not.toContain(bob.key!);
    });

    itIf(sql)("filters by address, device, creation and last activity", async () => {
      const now = h.clock();
      await createSession(h, { user: h.users.alice, userAgent: FIREFOX, ip: "10.0.4.1", ageSeconds: 3 * 86_400 });
      h.clock.advance(-3600);
      await createSession(h, { user: h.users.bob, userAgent: IPHONE, ip: "10.0.5.2", ageSeconds: 3600 });
      h.clock.set(now);
      await createSession(h, { userAgent: CHROME_WINDOWS, ip: "2001:db8::7", ageSeconds: 10 });
      const names = async (params: Record<string, string>) => {
        const page = await listSessions(h.callers.viewer, query(params), h.context);
        expect(page.total).toBe(page.items.length);
        return page.items.map((row) => row.user?.username ?? "anonymous").sort();
      };
      expect(await names({ ip: "10.0.4.1" })).toEqual(["alice"]);
      expect(await names({ ip: "10.0." })).toEqual(["alice", "bob"]);
      expect(await names({ ip: "2001:DB8:" })).toEqual(["anonymous"]);
      expect(await names({ ip: "10.0.4." })).toEqual(["alice"]);
      expect(await names({ device: "mobile" })).toEqual(["bob"]);
      expect(await names({ device: "Firefox linux" })).toEqual(["alice"]);
      expect(await names({ device: "windows" })).toEqual(["anonymous"]);
      expect(await names({ device: "firefox ios" })).toEqual([]);
      const day = 86_400_000;
      expect(await names({ createdFrom: new Date(now.getTime() - day).toISOString() })).toEqual(["anonymous", "bob"]);
      expect(await names({ createdTo: new Date(now.getTime() - day).toISOString() })).toEqual(["alice"]);
      // bob's activity was recorded an hour ago; the others' just now.
      expect(await names({ activeTo: new Date(now.getTime() - 60_000).toISOString() })).toEqual(["bob"]);
      expect(await names({ activeFrom: new Date(now.getTime() - 60_000).toISOString() })).toEqual(["alice", "anonymous"]);
    });

    itIf(sql)("sorts by creation, last activity and expiry, both ways, across pages", async () => {
      const start = h.clock();
      const made: Array<{ tag: string; session: Session }> = [];
      for (const [tag, age, activityAgo, cookieAge] of [
        ["a", 500, 10, 900],
        ["b", 400, 300, 100],
        ["c", 300, 200, 500],
        ["d", 200, 400, 800],
      ] as const) {
        h.clock.set(new Date(start.getTime() - activityAgo * 1000));
        made.push({ tag, session: await createSession(h, { ageSeconds: age - activityAgo, userAgent: FIREFOX, data: { ...tagged(tag), _session_expiry: cookieAge }, policy: DEFAULT_SESSION_POLICY }) });
      }
      h.clock.set(start);
      const order = async (sort: string) => {
        const pages = await allPages(h, { sort, limit: 3, status: "all" });
        const ids = pages.flatMap((page) => page.items.map((row) => row.id));
        const tags = await Promise.all(ids.map(async (id) => ((await getSessionDetail(h.callers.viewer, id, {}, h.context)).data?.cart as { tag: string }).tag));
        return tags.join("");
      };
      expect(await order("-created")).toBe("dcba");
      expect(await order("created")).toBe("abcd");
      expect(await order("-activity")).toBe("acbd");
      expect(await order("activity")).toBe("dbca");
      // Expiry = when each was saved + its own _session_expiry.
      expect(await order("expiry")).toBe("bcda");
      expect(await order("-expiry")).toBe("adcb");
    });

    itIf(!sql)("refuses the filters and sorts its index cannot answer", async () => {
      const refused: Array<Record<string, string>> = [{ ip: "10.0." }, { device: "firefox" }, { createdFrom: "2024-01-01" }, { sort: "expiry" }, { user: "anonymous" }];
      for (const params of refused) {
        const { status, error } = await statusOf(listSessions(h.callers.viewer, query(params), h.context));
        expect(status).toBe(400);
        expect(error?.message).toMatch(/cache engine keeps only/);
      }
    });

    it("lists and flags a session whose data cannot be decoded, and its detail says why", async () => {
      const good = await createSession(h, { data: tagged("good"), ageSeconds: 5 });
      const bad = await createSession(h, { data: tagged("bad") });
      if (sql) {
        const record = buildSaveRecord(new Map([["x", 1]]), createSessionCodec({ secretKey: "another-site-entirely" }), DEFAULT_SESSION_POLICY, h.clock());
        const version = (await h.store.load(bad.key!, h.clock()))!.version;
        // A row signed with a key this site does not have (a second site sharing the table, a lost fallback key).
        await h.store.save(bad.key!, { ...record, encoded: record.encoded }, version);
        if (backend.engine === "cached_db") await h.redis!.del(`:1:django.contrib.sessions.cached_db${bad.key}`);
      } else {
        await h.redis!.set(redisKeys.cache(bad.key!), "not a pickle", "KEEPTTL");
      }
      const page = await listSessions(h.callers.viewer, query(), h.context);
      expect(page.total).toBe(2);
      expect(page.items.map((row) => row.flags)).toEqual([["undecodable"], []]);
      const detail = await getSessionDetail(h.callers.viewer, page.items[0]!.id, {}, h.context);
      expect(detail.data).toBeNull();
      expect(detail.flags).toEqual(["undecodable"]);
      expect(detail.signature).toEqual({ state: "invalid", reason: sql ? "signature does not match" : expect.stringMatching(/pickle/) });
      expect(JSON.stringify(detail)).not.toContain(bad.key!);
      expect(good.key).toBeTruthy();
    });

    it("shows a session's data with the login hash masked (revealed to admins only), its signature and its timeline", async () => {
      h.policy = { ...DEFAULT_SESSION_POLICY, idleTimeoutSeconds: 3 * 3600, absoluteLifetimeSeconds: 86_400 };
      const session = await createSession(h, { user: h.users.alice, userAgent: FIREFOX, ip: "203.0.113.5", ageSeconds: 600, data: tagged("alice") });
      h.clock.advance(46 * 60);
      const [row] = (await listSessions(h.callers.viewer, query(), h.context)).items;
      const detail = await getSessionDetail(h.callers.viewer, row!.id, {}, h.context);
      expect(detail).toMatchObject({ id: row!.id, userId: h.users.alice.id, user: { username: "alice" }, status: "active", flags: [] });
      expect(detail.data).toMatchObject({ _auth_user_id: String(h.users.alice.id), _auth_user_hash: "••••cdef", cart: { tag: "alice" } });
      expect(detail.signature).toEqual(sql ? { state: "valid" } : { state: "unsigned_cache_entry" });
      expect(detail.rawSize).toBeGreaterThan(50);
      const kinds = detail.timeline.map((marker) => marker.kind);
      expect(kinds).toEqual(expect.arrayContaining(["created", "login", "last_activity", "idle_deadline", "absolute_deadline", "cookie_expiry", "now"]));
      expect(detail.timeline.map((marker) => marker.at)).toEqual(detail.timeline.map((marker) => marker.at).sort());
      // Saved 46 minutes ago with a 3 h idle timeout: 2 h 14 min left, the first deadline to come.
      expect(detail.timeline.find((marker) => marker.kind === "idle_deadline")?.label).toBe("ends in 2 h 14 min: idle timeout");
      expect(detail.endsBecause).toBe("idle timeout in 2 h 14 min");
      expect(detail.timeline.find((marker) => marker.kind === "login")).toMatchObject({ estimated: true, label: expect.stringMatching(/^signed in as alice/) });
      if (backend.recordsActivity) expect(detail).toMatchObject({ ip: "203.0.113.5", userAgent: FIREFOX, device: { label: "Firefox 128 on Linux" } });

      expect((await statusOf(getSessionDetail(h.callers.viewer, row!.id, { revealHash: true }, h.context))).status).toBe(403);
      expect((await statusOf(getSessionDetail(h.callers.security, row!.id, { revealHash: true }, h.context))).status).toBe(403);
      const revealed = await getSessionDetail(h.callers.admin, row!.id, { revealHash: true }, h.context);
      expect(revealed.data?._auth_user_hash).toBe("hash-of-alice-0123456789abcdef");
      expect(JSON.stringify([detail, revealed])).not.toContain(session.key!);
    });

    itIf(sql)("says when a session was signed with a fallback key", async () => {
      await createSession(h, { data: tagged("old-key") });
      const rotated = { ...h.context, runtime: { ...h.context.runtime, config: { ...h.context.runtime.config, secretKey: `${TEST_SECRET}-rotated`, secretKeyFallbacks: [TEST_SECRET] } } };
      const [row] = (await listSessions(h.callers.viewer, query(), h.context)).items;
      expect((await getSessionDetail(h.callers.viewer, row!.id, {}, rotated)).signature).toEqual({ state: "valid_fallback_key" });
    });

    itIf(sql)("reads Django's pre-3.1 format only where the site accepts it (SESSION_ACCEPT_LEGACY)", async () => {
      const session = await createSession(h, { data: tagged("legacy") });
      const version = (await h.store.load(session.key!, h.clock()))!.version;
      const record = buildSaveRecord(new Map([["foo", "bar"]]), TEST_CODEC, DEFAULT_SESSION_POLICY, h.clock());
      await h.store.save(session.key!, { ...record, encoded: encodeLegacySession('{"foo":"bar"}', { secretKey: TEST_SECRET }) }, version);
      const [row] = (await listSessions(h.callers.viewer, query(), h.context)).items;
      expect((await getSessionDetail(h.callers.viewer, row!.id, {}, h.context)).signature).toEqual({ state: "invalid", reason: expect.any(String) });
      const config = defineSessionConfig({ secretKey: TEST_SECRET, allowLegacyFormats: true });
      const legacy = { ...h.context, runtime: { ...h.context.runtime, config, codec: createSessionCodec({ secretKey: TEST_SECRET, legacy: true }) } };
      const detail = await getSessionDetail(h.callers.viewer, row!.id, {}, legacy);
      expect([detail.signature, detail.data, detail.flags]).toEqual([{ state: "legacy_format" }, { foo: "bar" }, []]);
      expect((await listSessions(h.callers.viewer, query(), legacy)).items[0]!.flags).toEqual([]);
    });

    it("answers 404 for an id it does not know, and 403 to a caller whose role cannot view", async () => {
      await createSession(h);
      expect((await statusOf(getSessionDetail(h.callers.viewer, "AAAAAAAAAAAAAAAAAAAAAA", {}, h.context))).status).toBe(404);
      const withoutView = { ...h.callers.viewer, role: "nobody" as never };
      expect((await statusOf(listSessions(withoutView, query(), h.context))).status).toBe(403);
    });
  });
}

describeWithServices(`dashboard sessions on ${SIGNED_COOKIES_BACKEND.name}`, SIGNED_COOKIES_BACKEND.needs, () => {
  it("says the engine keeps no list, with an empty page, and knows no session", async () => {
    const h = await SIGNED_COOKIES_BACKEND.open();
    try {
      await createSession(h);
      expect(await listSessions(h.callers.viewer, query(), h.context)).toEqual({ items: [], nextCursor: null, total: 0, totalIsLowerBound: false, now: h.clock().toISOString(), listing: "none" });
      expect((await statusOf(getSessionDetail(h.callers.viewer, "AAAAAAAAAAAAAAAAAAAAAA", {}, h.context))).status).toBe(404);
    } finally {
      await h.dispose();
    }
  });
});
