// The meta table's copy of each session's expiry, which the dashboard lists,
// counts and previews from on the SQL engines: it follows every save, goes
// with a killed or flushed session, and attach mode (where Django changes
// expire_date without it) lists from django_session's instead. Real SQLite
// and PostgreSQL, sessions made through the engines as requests make them.
import { afterEach, beforeEach, expect, it } from "vitest";
import type { AdminSessionPage } from "../../lib/admin-api.ts";
import { previewPolicy, toSettings } from "../../lib/server/admin/policy.ts";
import { sessionQuerySchema } from "../../lib/server/admin/schemas.ts";
import { listSessions } from "../../lib/server/admin/sessions.ts";
import { listUsers } from "../../lib/server/admin/users.ts";
import { formatSqliteDate, parseSqliteDate, Session, supportsKill } from "../../lib/session/index.ts";
import { TEST_CODEC } from "../helpers/backends.ts";
import { describeWithServices } from "../helpers/register.ts";
import { createSession, LISTING_BACKENDS, type AdminHarness } from "./admin-fixtures.ts";

const list = (h: AdminHarness, params: Record<string, string>, attached = false): Promise<AdminSessionPage> =>
  listSessions(h.callers.viewer, sessionQuerySchema.parse(params), { ...h.context, attached });

const ids = (page: AdminSessionPage) => page.items.map((row) => row.id);

/** The session row's expiry and the meta row's copy, as Dates (null when the row is gone). */
async function expiries(h: AdminHarness, key: string): Promise<{ session: Date | null; copy: Date | null }> {
  const sql = `SELECT s.expire_date AS session, m.expire_date AS copy FROM sessionscope_session_meta m LEFT JOIN django_session s ON s.session_key = m.session_key
    WHERE m.session_key = ${h.t.db.provider === "sqlite" ? "?" : "$1"}`;
  const row = (h.t.db.provider === "sqlite" ? h.t.db.sqlite.prepare(sql).get(key) : (await h.t.db.pool.query(sql, [key])).rows[0]) as
    | { session: unknown; copy: unknown }
    | undefined;
  const date = (value: unknown) => (value === null || value === undefined ? null : value instanceof Date ? value : parseSqliteDate(value));
  return { session: date(row?.session), copy: date(row?.copy) };
}

/** The session key behind a listed public id. */
async function keyOf(h: AdminHarness, publicId: string): Promise<string> {
  const sql = `SELECT session_key FROM sessionscope_session_meta WHERE public_id = ${h.t.db.provider === "sqlite" ? "?" : "$1"}`;
  const row = (h.t.db.provider === "sqlite" ? h.t.db.sqlite.prepare(sql).get(publicId) : (await h.t.db.pool.query(sql, [publicId])).rows[0]) as { session_key: string };
  return row.session_key;
}

/** What a Django site does to a session it saves: a new expire_date, and nothing else. */
async function djangoSetsExpiry(h: AdminHarness, key: string, expireDate: Date): Promise<void> {
  if (h.t.db.provider === "sqlite") h.t.db.sqlite.prepare("UPDATE django_session SET expire_date = ? WHERE session_key = ?").run(formatSqliteDate(expireDate), key);
  else await h.t.db.pool.query("UPDATE django_session SET expire_date = $1 WHERE session_key = $2", [expireDate, key]);
}

/** The live sessions the preview counts; `estimateAbove` 0: as estimated from the histogram instead. */
async function liveInPreview(h: AdminHarness, attached = false, estimateAbove?: number): Promise<number> {
  const context = { ...h.context, attached };
  const impact = await previewPolicy(h.callers.admin, toSettings(await context.runtime.policy.get()), context, { estimateAbove });
  if (!impact.available) throw new Error("the SQL engines preview");
  return impact.total;
}

for (const backend of LISTING_BACKENDS.filter((b) => b.engine !== "cache")) {
  describeWithServices(`the meta table's copy of the expiry on ${backend.name}`, backend.needs, () => {
    let h: AdminHarness;
    beforeEach(async () => {
      h = await backend.open();
    });
    afterEach(async () => {
      await h?.dispose();
    });

    it("follows a save that extends the expiry: the session lists, counts and previews as live after its old expiry", async () => {
      const session = await createSession(h, { user: h.users.alice, data: { cart: [], _session_expiry: 30 } });
      const key = session.key!;
      const [id] = ids(await list(h, { user: "alice" }));
      expect((await expiries(h, key)).copy).toEqual((await expiries(h, key)).session);

      h.clock.advance(20);
      const later = await new Session({ key, store: h.store, codec: TEST_CODEC, policy: h.policy, clock: h.clock }).load();
      later.setExpiry(3600);
      await later.save();
      const { session: extended, copy } = await expiries(h, key);
      expect(copy).toEqual(extended);
      expect(extended!.getTime()).toBe(h.clock().getTime() + 3600_000);

      h.clock.advance(40); // past the first expiry, well before the new one
      for (const params of [{}, { user: "alice" }, { sort: "expiry" }, { sort: "created" }] as Array<Record<string, string>>) {
        const page = await list(h, params);
        expect(ids(page)).toEqual([id]);
        expect(page.items[0]!.status).toBe("active");
        expect(page.total).toBe(1);
      }
      expect(ids(await list(h, { status: "expired" }))).toEqual([]);
      expect(ids(await list(h, { status: "expired", sort: "-expiry" }))).toEqual([]);
      expect(await liveInPreview(h)).toBe(1);
      const users = await listUsers(h.callers.admin, { q: "alice", limit: 10 }, h.context);
      expect(users.items.find((user) => user.username === "alice")?.activeSessions).toBe(1);

      h.clock.advance(3600);
      expect(ids(await list(h, { status: "expired" }))).toEqual([id]);
      expect(ids(await list(h, { status: "expired", sort: "-expiry" }))).toEqual([id]);
      expect(ids(await list(h, {}))).toEqual([]);
      expect(await liveInPreview(h)).toBe(0);
    });

    it("is rewritten by a save only when it trails the session's expiry by more than a minute, and never runs ahead of it", async () => {
      const session = await createSession(h, { user: h.users.alice });
      const key = session.key!;
      const save = async (change: (s: Session) => void) => {
        const again = await new Session({ key, store: h.store, codec: TEST_CODEC, policy: h.policy, clock: h.clock }).load();
        change(again);
        await again.save();
        return expiries(h, key);
      };
      const first = await expiries(h, key);
      expect(first.copy).toEqual(first.session);

      // A cart change 20 s later moves the expiry 20 s: the meta row (and its listing indexes) is left alone.
      h.clock.advance(20);
      const near = await save((s) => s.set("cart", [1]));
      expect(near.session!.getTime()).toBe(first.session!.getTime() + 20_000);
      expect(near.copy).toEqual(first.copy);
      // Past a minute behind, the next save brings it up to date.
      h.clock.advance(45);
      const far = await save((s) => s.set("cart", [1, 2]));
      expect(far.copy).toEqual(far.session);
      // A shorter expiry is copied at once: the dashboard never lists an expired session as live.
      h.clock.advance(5);
      const shorter = await save((s) => s.setExpiry(300));
      expect(shorter.copy).toEqual(shorter.session);
      expect(shorter.session!.getTime()).toBe(h.clock().getTime() + 300_000);
      // A short-lived session's slack is a tenth of its remaining life (30 s here), not a minute.
      h.clock.advance(40);
      const short = await save((s) => s.setExpiry(300));
      expect(short.copy).toEqual(short.session);
    });

    it("lists expired sessions by creation a page at a time, complete even when sessions Django extended fill the first ones the copy finds", async () => {
      for (let i = 0; i < 40; i++) {
        await createSession(h, { data: { n: i, _session_expiry: 30 } });
        h.clock.advance(1);
      }
      h.clock.advance(60); // all 40 expired, by the copy and by django_session
      const newestFirst = ids(await list(h, { status: "all", sort: "-created", limit: "50" }));
      expect(newestFirst).toHaveLength(40);
      // A Django site extends the 25 newest: their copies still say expired. A page of 2 first sorts
      // 2 + 1 + 16 = 19 sessions by the copy (all of them extended), so it must read every expired one.
      const keys = await Promise.all(newestFirst.slice(0, 25).map((id) => keyOf(h, id)));
      for (const key of keys) await djangoSetsExpiry(h, key, new Date(h.clock().getTime() + 3600_000));

      const walk = async (params: Record<string, string>) => {
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const page: AdminSessionPage = await list(h, { ...params, status: "expired", limit: "2", ...(cursor && { cursor }) });
          expect(page.total).toBe(15);
          seen.push(...ids(page));
          cursor = page.nextCursor;
        } while (cursor);
        return seen;
      };
      expect(await walk({ sort: "-created" })).toEqual(newestFirst.slice(25));
      expect(await walk({ sort: "created" })).toEqual(newestFirst.slice(25).reverse());
      // Nothing extended: every page comes straight from the preselection, in the same order.
      for (const key of keys) await djangoSetsExpiry(h, key, new Date(h.clock().getTime() - 1000));
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: AdminSessionPage = await list(h, { status: "expired", sort: "-created", limit: "3", ...(cursor && { cursor }) });
        seen.push(...ids(page));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(newestFirst);
    });

    it("goes with the session: a kill and a flush leave no copy to list", async () => {
      const killed = await createSession(h, { user: h.users.alice });
      const flushed = await createSession(h, { user: h.users.bob });
      const kept = await createSession(h);
      if (!supportsKill(h.store)) throw new Error("the SQL engines kill");
      await h.store.kill({ keys: [killed.key!] });
      const again = await new Session({ key: flushed.key!, store: h.store, codec: TEST_CODEC, policy: h.policy, clock: h.clock }).load();
      await again.flush();
      for (const key of [killed.key!, flushed.key!]) expect(await expiries(h, key)).toEqual({ session: null, copy: null });
      const all = await list(h, { status: "all" });
      expect(all.items).toHaveLength(1);
      expect((await list(h, { user: "alice", status: "all" })).total).toBe(0);
      expect((await list(h, { user: "bob" })).total).toBe(0);
      expect((await expiries(h, kept.key!)).copy).not.toBeNull();
      expect(await liveInPreview(h)).toBe(1);
    });

    it("in attach mode, lists from django_session's expiry when Django extends a session without the copy", async () => {
      const session = await createSession(h, { user: h.users.alice, data: { cart: [], _session_expiry: 30 } });
      const key = session.key!;
      await djangoSetsExpiry(h, key, new Date(h.clock().getTime() + 3600_000));
      h.clock.advance(60); // past the copy, before Django's new expiry

      for (const params of [{}, { user: "alice" }, { sort: "-expiry" }] as Array<Record<string, string>>) {
        const page = await list(h, params, true);
        expect(page.items.map((row) => row.status)).toEqual(["active"]);
        expect(page.total).toBe(1);
      }
      expect((await list(h, { status: "expired" }, true)).items).toEqual([]);
      expect(await liveInPreview(h, true)).toBe(1);
      // The histogram the estimate reads takes its expiry from the same column.
      expect(await liveInPreview(h, true, 0)).toBe(1);

      // Outside attach mode the stale copy says expired: the page confirms against django_session's
      // expiry and leaves the row out of both lists rather than show it with the wrong status.
      expect((await list(h, { status: "expired" })).items).toEqual([]);
      expect((await list(h, {})).items).toEqual([]);
    });
  });
}
