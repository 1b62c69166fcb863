// The overview's numbers (GET /api/admin/stats) on a known set of sessions,
// and anomalies: a session seen from a second address or device family is
// flagged, its sightings kept until it ends. Real SQLite, PostgreSQL and Redis.
import { afterEach, beforeEach, expect, it } from "vitest";
import { pruneActivity, recordActivityEvent, recordClearedExpiries } from "../../lib/node/admin/activity.ts";
import { deviceFamily } from "../../lib/node/device.ts";
import { killSession } from "../../lib/server/admin/kills.ts";
import { sessionQuerySchema } from "../../lib/server/admin/schemas.ts";
import { getSessionDetail, listSessions } from "../../lib/server/admin/sessions.ts";
import { getAdminStats } from "../../lib/server/admin/stats.ts";
import { recordActivity as recordRequestActivity } from "../../lib/server/session/activity.ts";
import { supportsActivity, type SessionPolicy } from "../../lib/session/index.ts";
import { describeWithServices, itIf } from "../helpers/register.ts";
import { CHROME_WINDOWS, createSession, FIREFOX, INFO, IPHONE, LISTING_BACKENDS, SIGNED_COOKIES_BACKEND, type AdminHarness } from "./admin-fixtures.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ago = (h: AdminHarness, ms: number) => new Date(h.clock().getTime() - ms);
const lasting = (h: AdminHarness, seconds: number): SessionPolicy => ({ ...h.policy, cookieAge: seconds });
const hourSlot = (date: Date) => new Date(Math.floor(date.getTime() / HOUR) * HOUR).toISOString();

async function seenFrom(h: AdminHarness, key: string, ip: string, userAgent: string, afterSeconds: number): Promise<void> {
  if (!supportsActivity(h.store)) throw new Error("the engine records no activity");
  await h.store.recordActivity(key, { at: new Date(h.clock().getTime() + afterSeconds * 1000), ip, userAgent, device: deviceFamily(userAgent) });
}

for (const backend of LISTING_BACKENDS) {
  const sql = backend.engine !== "cache";
  describeWithServices(`dashboard overview on ${backend.name}`, backend.needs, () => {
    let h: AdminHarness;
    beforeEach(async () => {
      h = await backend.open();
      // A minute ahead of the wall clock: audit entries (written at the real time) fall inside the last 24 hours.
      h.clock.set(new Date(Date.now() + 60_000));
    });
    afterEach(async () => {
      await h?.dispose();
    });

    it("counts live sessions, users, devices, expirations and the last 24 hours' activity exactly", async () => {
      const now = h.clock();
      if (sql) {
        // Expired an hour ago and not yet cleared: an expiry of the last 24 hours.
        h.clock.set(ago(h, 2 * HOUR));
        await createSession(h, { userAgent: FIREFOX, ip: "192.0.2.1", policy: lasting(h, 3600) });
        h.clock.set(now);
      }
      await createSession(h, { user: h.users.alice, userAgent: FIREFOX, ip: "203.0.113.5", policy: lasting(h, 2 * 86_400) });
      await createSession(h, { user: h.users.alice, userAgent: IPHONE, ip: "198.51.100.7" });
      await createSession(h, { user: h.users.bob, userAgent: CHROME_WINDOWS, ip: "10.0.0.8", policy: lasting(h, 2 * 86_400) });
      await createSession(h, { userAgent: IPHONE, ip: "10.0.0.9", policy: lasting(h, 86_400) });
      // Bob's older session is killed: a kill of the last 24 hours.
      await createSession(h, { user: h.users.bob, userAgent: FIREFOX, ip: "10.0.0.10", ageSeconds: 600 });
      const doomedId = (await listSessions(h.callers.viewer, sessionQuerySchema.parse({ user: "bob" }), h.context)).items.at(-1)!.id;
      await killSession(h.callers.security, doomedId, INFO, h.context);

      await recordActivityEvent(h.t.db.prisma, { kind: "login", userId: h.users.alice.id, at: ago(h, HOUR) });
      await recordActivityEvent(h.t.db.prisma, { kind: "login", userId: h.users.bob.id, at: ago(h, 3 * HOUR) });
      await recordActivityEvent(h.t.db.prisma, { kind: "login", userId: h.users.bob.id, at: ago(h, 30 * HOUR) });
      await recordActivityEvent(h.t.db.prisma, { kind: "logout", userId: h.users.alice.id, at: ago(h, 2 * HOUR) });
      await recordActivityEvent(h.t.db.prisma, { kind: "login", userId: h.users.alice.id, at: ago(h, 50 * HOUR) });

      const stats = await getAdminStats(h.callers.viewer, h.context);
      expect(stats.engine).toBe(backend.engine);
      expect(stats.active?.now).toBe(4);
      expect(stats.activeSignedIn).toBe(3);
      expect(stats.activeAnonymous).toBe(1);
      expect(stats.signedInUsers?.now).toBe(2);
      expect(stats.logins).toEqual({ last24h: 2, previous24h: 1 });
      expect(stats.logouts).toEqual({ last24h: 1, previous24h: 0 });
      expect(stats.kills).toEqual({ last24h: 1, previous24h: 0 });
      expect(stats.hourly).toHaveLength(24);
      expect(stats.hourly.at(-1)!.hour).toBe(hourSlot(now));
      expect(stats.hourly.find((slot) => slot.hour === hourSlot(ago(h, HOUR)))?.logins).toBeGreaterThanOrEqual(1);
      expect(stats.hourly.reduce((sum, slot) => sum + slot.logins, 0)).toBe(2);
      expect(stats.hourly.reduce((sum, slot) => sum + slot.kills, 0)).toBe(1);
      // Today and the next 14 days: alice's iPhone session, begun now with the two-week cookie, ends on the last.
      expect(stats.expirations).toHaveLength(15);
      expect(stats.expirations.map((day) => day.count)).toEqual([0, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
      expect(stats.expirations[0]!.day).toBe(now.toISOString().slice(0, 10));
      expect(stats.topUsers).toEqual([
        { user: { id: h.users.alice.id, username: "alice" }, sessions: 2 },
        { user: { id: h.users.bob.id, username: "bob" }, sessions: 1 },
      ]);
      expect(stats.byEngine).toEqual([{ engine: backend.engine, count: 4 }]);
      if (sql) {
        expect(stats.unavailable).toEqual([]);
        expect(stats.expiries).toEqual({ last24h: 1, previous24h: 0 });
        expect(stats.byDevice.map((row) => [row.device?.label, row.count])).toEqual([
          ["Safari on iOS (mobile)", 2],
          ["Chrome on Windows (desktop)", 1],
          ["Firefox on Linux (desktop)", 1],
        ]);
        expect(stats.flagged).toEqual({ total: 0, latest: [] });
      } else {
        expect(stats.expiries).toBeNull();
        expect(stats.flagged).toBeNull();
        expect(stats.unavailable.join(" ")).toMatch(/no address or device/);
      }
    });

    itIf(sql)("keeps counting expiries that clearsessions removed, and prunes activity after 30 days", async () => {
      const now = h.clock();
      h.clock.set(ago(h, 3 * HOUR));
      await createSession(h, { policy: lasting(h, 3600) });
      await createSession(h, { policy: lasting(h, 3600) });
      h.clock.set(now);
      expect((await getAdminStats(h.callers.viewer, h.context)).expiries).toEqual({ last24h: 2, previous24h: 0 });
      expect(await recordClearedExpiries(h.t.db.prisma, h.t.db.provider, now)).toBe(2);
      expect(await h.store.clearExpired(now)).toBe(2);
      expect((await getAdminStats(h.callers.viewer, h.context)).expiries).toEqual({ last24h: 2, previous24h: 0 });

      await recordActivityEvent(h.t.db.prisma, { kind: "login", at: ago(h, 31 * DAY) });
      await recordActivityEvent(h.t.db.prisma, { kind: "login", at: ago(h, 29 * DAY) });
      expect(await pruneActivity(h.t.db.prisma, now)).toBe(1);
      expect(await h.t.db.prisma.activity.count({ where: { kind: "login" } })).toBe(1);
    });

    itIf(sql)("flags a session seen from a second address, records where it was seen, and only then", async () => {
      const session = await createSession(h, { user: h.users.alice, userAgent: FIREFOX, ip: "203.0.113.5" });
      const quiet = await createSession(h, { user: h.users.bob, userAgent: FIREFOX, ip: "198.51.100.7" });
      await seenFrom(h, quiet.key!, "198.51.100.7", FIREFOX, 60);
      await seenFrom(h, session.key!, "203.0.113.5", FIREFOX, 60);
      expect(await h.t.db.prisma.sessionSighting.count()).toBe(0);
      expect((await listSessions(h.callers.viewer, sessionQuerySchema.parse({ flagged: "1" }), h.context)).total).toBe(0);

      await seenFrom(h, session.key!, "192.0.2.66", FIREFOX, 120);
      const flagged = await listSessions(h.callers.viewer, sessionQuerySchema.parse({ flagged: "1" }), h.context);
      expect(flagged.total).toBe(1);
      expect(flagged.items.map((row) => [row.user?.username, row.ip, row.flags])).toEqual([["alice", "192.0.2.66", ["ip_or_device_changed"]]]);
      const all = await listSessions(h.callers.viewer, sessionQuerySchema.parse({}), h.context);
      expect(all.items.find((row) => row.user?.username === "bob")!.flags).toEqual([]);

      await seenFrom(h, session.key!, "192.0.2.66", IPHONE, 180);
      const detail = await getSessionDetail(h.callers.security, flagged.items[0]!.id, {}, h.context);
      expect(detail.flags).toEqual(["ip_or_device_changed"]);
      expect(detail.flaggedAt).toBe(new Date(h.clock().getTime() + 120_000).toISOString());
      expect(detail.sightings.map((s) => [s.ip, s.device?.label, s.changed])).toEqual([
        ["203.0.113.5", "Firefox on Linux (desktop)", []],
        ["192.0.2.66", "Firefox on Linux (desktop)", ["ip"]],
        ["192.0.2.66", "Safari on iOS (mobile)", ["device"]],
      ]);

      const stats = await getAdminStats(h.callers.viewer, h.context);
      expect(stats.flagged?.total).toBe(1);
      expect(stats.flagged?.latest.map((row) => [row.id, row.user?.username, row.ip])).toEqual([[flagged.items[0]!.id, "alice", "192.0.2.66"]]);

      // The sightings end with the session.
      await killSession(h.callers.security, flagged.items[0]!.id, INFO, h.context);
      expect(await h.t.db.prisma.sessionSighting.count()).toBe(0);
    });

    itIf(sql)("the binding writes a request from another device at once, however recently it wrote the session", async () => {
      const session = await createSession(h, { user: h.users.bob });
      const key = session.key!;
      const at = h.clock();
      const flaggedAt = async () => (await h.t.db.prisma.sessionMeta.findUnique({ where: { sessionKey: key } }))?.flaggedAt ?? null;
      const lastActivity = async () => (await h.t.db.prisma.sessionMeta.findUnique({ where: { sessionKey: key } }))?.lastActivity?.getTime();
      recordRequestActivity(h.store, key, { ip: "203.0.113.5", userAgent: FIREFOX, https: false }, at, true);
      await expect.poll(lastActivity).toBe(at.getTime());
      // The same place a second later: not written (once a minute is enough for "last active").
      recordRequestActivity(h.store, key, { ip: "203.0.113.5", userAgent: FIREFOX, https: false }, new Date(at.getTime() + 1000));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await lastActivity()).toBe(at.getTime());
      // Another device two seconds later: written at once, and flagged.
      recordRequestActivity(h.store, key, { ip: "203.0.113.5", userAgent: IPHONE, https: false }, new Date(at.getTime() + 2000));
      await expect.poll(flaggedAt).toEqual(new Date(at.getTime() + 2000));
      expect(await lastActivity()).toBe(at.getTime() + 2000);
    });

    itIf(!sql)("refuses the flagged filter it cannot answer", async () => {
      await expect(listSessions(h.callers.viewer, sessionQuerySchema.parse({ flagged: "1" }), h.context)).rejects.toThrow(/cannot filter by flagged/);
    });
  });
}

describeWithServices(`dashboard overview on ${SIGNED_COOKIES_BACKEND.name}`, SIGNED_COOKIES_BACKEND.needs, () => {
  let h: AdminHarness;
  beforeEach(async () => {
    h = await SIGNED_COOKIES_BACKEND.open();
  });
  afterEach(async () => {
    await h?.dispose();
  });

  it("says plainly that signed-cookie sessions cannot be counted, and still counts logins", async () => {
    await recordActivityEvent(h.t.db.prisma, { kind: "login", userId: h.users.alice.id, at: ago(h, HOUR) });
    const stats = await getAdminStats(h.callers.viewer, h.context);
    expect(stats.unavailable).toEqual(["signed-cookie sessions live in each browser: the server cannot count, list or flag them"]);
    expect(stats.logins.last24h).toBe(1);
    // Unknown, not zero: nothing on the server says how many browsers hold a session.
    expect(stats.active).toBeNull();
    expect(stats.signedInUsers).toBeNull();
    expect(stats.flagged).toBeNull();
  });
});
