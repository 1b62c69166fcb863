// The live policy's data layer on real SQLite, PostgreSQL and Redis: the impact
// preview's exact counts on sessions of known ages (one SQL statement on the
// SQL engines, the engine's listing on Redis), saving (audited with the old and
// new values in the save's own transaction, refused on a stale version, admins
// only), and the per-user limit ending a user's oldest sessions.
import { afterEach, beforeEach, expect, it } from "vitest";
import type { PolicySettings, PolicyUpdateRequest } from "../../lib/admin-api.ts";
import { getPolicy, previewPolicy, savePolicy, type PolicyRules } from "../../lib/server/admin/policy.ts";
import { enforceSessionLimit } from "../../lib/server/admin/policy-limit.ts";
import { snapshotRefreshes } from "../../lib/server/admin/stats-snapshot.ts";
import { DEFAULT_SESSION_POLICY, supportsActivity } from "../../lib/session/index.ts";
import { describeWithServices } from "../helpers/register.ts";
import { statusOf } from "./auth-fixtures.ts";
import { createSession, DEFAULT_POLICY_SETTINGS, INFO, isAlive, LISTING_BACKENDS, SIGNED_COOKIES_BACKEND, type AdminHarness, type UserRef } from "./admin-fixtures.ts";

const HOUR = 3600;
const DAY = 86_400;
const RULES: PolicyRules = { secureRequired: false };

const DEFAULTS = DEFAULT_POLICY_SETTINGS;

/**
 * Five live sessions, each saved now under the default policy (stored expiry: now + 14 days):
 * alice's 10 days old (last seen 3 days and an hour ago) and 2 hours old (seen a minute ago), bob's 25 hours
 * old (seen 30 minutes ago) and 6.5 days old (seen 2 days and an hour ago), and an anonymous one
 * 5 days old never seen since.
 */
async function seedKnownAges(h: AdminHarness): Promise<void> {
  const ago = (seconds: number) => new Date(h.clock().getTime() - seconds * 1000);
  const make = async (user: UserRef | undefined, ageSeconds: number, seenSecondsAgo: number | null) => {
    const session = await createSession(h, { ...(user && { user }), ageSeconds });
    if (seenSecondsAgo !== null && supportsActivity(h.store)) await h.store.recordActivity(session.key!, { at: ago(seenSecondsAgo), ip: "198.51.100.7", userAgent: null });
  };
  await make(h.users.alice, 10 * DAY, 3 * DAY + HOUR);
  await make(h.users.alice, 2 * HOUR, 60);
  await make(h.users.bob, 25 * HOUR, 30 * 60);
  await make(h.users.bob, 6.5 * DAY, 2 * DAY + HOUR);
  await make(undefined, 5 * DAY, null);
}

const none = { now: 0, hour: 0, day: 0, week: 0, usersNow: 0 };
/** What an absolute lifetime of 7 days does to seedKnownAges's sessions: one ends at once, two within a day, all five within a week. */
const LIFETIME_7_DAYS = { total: 5, current: none, candidate: { now: 1, hour: 1, day: 2, week: 5, usersNow: 1 }, endedByChange: 1, usersSignedOut: 1, shortenedAtNextSave: 0 };
const update = (settings: Partial<PolicySettings>, version: number): PolicyUpdateRequest => ({ ...DEFAULTS, ...settings, version });

for (const backend of LISTING_BACKENDS) {
  describeWithServices(`policy preview and session limit on ${backend.name}`, backend.needs, () => {
    let h: AdminHarness;
    beforeEach(async () => {
      h = await backend.open();
    });
    afterEach(async () => {
      await h?.dispose();
    });

    it("counts what an absolute lifetime of 7 days ends: one session at once, two within a day, all five within a week", async () => {
      await seedKnownAges(h);
      const impact = await previewPolicy(h.callers.admin, { ...DEFAULTS, absoluteLifetime: 7 * DAY }, h.context);
      expect(impact).toMatchObject({ available: true, ...LIFETIME_7_DAYS });
    });

    it("counts an idle timeout turned on from each session's creation (the data records no activity while it is off)", async () => {
      await seedKnownAges(h);
      const impact = await previewPolicy(h.callers.viewer, { ...DEFAULTS, idleTimeout: DAY, cookieAge: DAY }, h.context);
      expect(impact).toMatchObject({
        total: 5,
        candidate: { now: 4, hour: 4, day: 5, week: 5, usersNow: 2 },
        endedByChange: 4,
        usersSignedOut: 2,
        // Every stored expiry is 14 days away: a one-day cookie age shortens them all at their next save.
        shortenedAtNextSave: 5,
      });
    });

    if (backend.recordsActivity) {
      it("with an idle timeout already on, counts idleness from the last recorded activity", async () => {
        await seedKnownAges(h);
        h.policy = { ...DEFAULT_SESSION_POLICY, idleTimeoutSeconds: 3 * DAY };
        const impact = await previewPolicy(h.callers.admin, { ...DEFAULTS, idleTimeout: DAY }, h.context);
        expect(impact).toMatchObject({
          current: { now: 2, hour: 2, day: 3, week: 5, usersNow: 1 },
          candidate: { now: 3, hour: 3, day: 5, week: 5, usersNow: 2 },
          endedByChange: 1,
          usersSignedOut: 1,
        });
      });
    }

    if (backend.engine !== "cache") {
      it("above the snapshot size, estimates from a histogram of the live sessions kept once a minute, and counts them all on request", async () => {
        await seedKnownAges(h);
        const candidate = { ...DEFAULTS, absoluteLifetime: 7 * DAY };
        const estimate = (exact = false) => previewPolicy(h.callers.admin, candidate, h.context, { estimateAbove: 4, exact });
        const taken = h.clock().toISOString();
        // Every threshold here falls on a bucket edge (7 days, 6 days, 0): the estimate is the exact count.
        expect(await estimate()).toEqual({ available: true, at: taken, estimatedFrom: taken, ...LIFETIME_7_DAYS });
        // A session made since is not in the snapshot; the exact count has it.
        await createSession(h, { user: h.users.bob, ageSeconds: 8 * DAY });
        h.clock.advance(30);
        expect(await estimate()).toMatchObject({ estimatedFrom: taken, total: 5, candidate: { now: 1 } });
        expect(await estimate(true)).toMatchObject({ estimatedFrom: null, total: 6, candidate: { now: 2, hour: 2, day: 3, week: 6, usersNow: 2 }, usersSignedOut: 2 });
        // Past a minute, a preview starts the refresh in the background and is answered from the old one meanwhile.
        h.clock.advance(60);
        const refreshedAt = h.clock().toISOString();
        expect(await estimate()).toMatchObject({ estimatedFrom: taken, total: 5 });
        await snapshotRefreshes();
        expect(await estimate()).toMatchObject({ estimatedFrom: refreshedAt, total: 6, candidate: { now: 2, week: 6 } });
      });
    }

    it("a login beyond the limit ends the user's oldest sessions, through the engine, audited as the system", async () => {
      const [oldest, older, recent] = [3, 2, 1].map((hours) => hours * HOUR);
      const sessions = [];
      for (const age of [oldest!, older!, recent!]) sessions.push(await createSession(h, { user: h.users.alice, ageSeconds: age }));
      const bob = await createSession(h, { user: h.users.bob, ageSeconds: 4 * HOUR });
      const fresh = await createSession(h, { user: h.users.alice });

      expect(await enforceSessionLimit(h.t.db.prisma, h.store, h.users.alice, fresh.key, 2, h.clock())).toBe(2);
      expect(await Promise.all(sessions.map((s) => isAlive(h, s.key!)))).toEqual([false, false, true]);
      expect(await isAlive(h, fresh.key!)).toBe(true);
      expect(await isAlive(h, bob.key!)).toBe(true);
      const [entry] = await h.t.db.prisma.auditEntry.findMany({ where: { action: "session.limit" } });
      expect(entry).toMatchObject({ actorId: null, actorUsername: "system", sessionCount: 2, target: `user:${h.users.alice.id}` });
      expect(JSON.parse(entry!.detail!)).toMatchObject({ username: "alice", limit: 2 });
      // At the limit already: nothing more ends.
      expect(await enforceSessionLimit(h.t.db.prisma, h.store, h.users.alice, fresh.key, 2, h.clock())).toBe(0);
    });
  });
}

for (const backend of LISTING_BACKENDS.filter((b) => b.engine === "db")) {
  describeWithServices(`saving the policy on ${backend.name}`, backend.needs, () => {
    let h: AdminHarness;
    beforeEach(async () => {
      h = await backend.open();
    });
    afterEach(async () => {
      await h?.dispose();
    });

    it("saves every setting with who and when, audited with the old and new values, and bumps the version", async () => {
      const before = await getPolicy(h.callers.admin, h.context, RULES);
      expect(before).toMatchObject({ source: "env", version: 0, savedBy: null, policy: DEFAULTS, canEdit: true });

      const saved = await savePolicy(h.callers.admin, update({ cookieAge: HOUR, idleTimeout: 30 * 60, maxSessionsPerUser: 3 }, 0), INFO, h.context, RULES);
      expect(saved).toMatchObject({ source: "saved", version: 1, savedBy: "admin", policy: { ...DEFAULTS, cookieAge: HOUR, idleTimeout: 1800, maxSessionsPerUser: 3 } });
      const [entry] = await h.t.db.prisma.auditEntry.findMany({ where: { action: "policy.update" } });
      expect(entry).toMatchObject({ actorId: h.callers.admin.id, ip: INFO.ip });
      expect(JSON.parse(entry!.detail!)).toEqual({
        old: DEFAULTS,
        new: { ...DEFAULTS, cookieAge: HOUR, idleTimeout: 1800, maxSessionsPerUser: 3 },
        changed: ["cookieAge", "idleTimeout", "maxSessionsPerUser"],
        version: 1,
      });

      await savePolicy(h.callers.admin, update({ cookieAge: DAY, cookieSecure: true, cookieSameSite: "None" }, 1), INFO, h.context, RULES);
      const entries = await h.t.db.prisma.auditEntry.findMany({ where: { action: "policy.update" }, orderBy: { id: "asc" } });
      expect(JSON.parse(entries[1]!.detail!)).toMatchObject({ old: { cookieAge: HOUR, idleTimeout: 1800 }, new: { cookieAge: DAY, cookieSameSite: "None" } });
    });

    it("refuses a save made from a stale version (409): the other admin's change stays, and nothing is audited", async () => {
      await savePolicy(h.callers.admin, update({ cookieAge: HOUR }, 0), INFO, h.context, RULES);
      expect((await statusOf(savePolicy(h.callers.admin, update({ cookieAge: DAY }, 0), INFO, h.context, RULES))).status).toBe(409);
      expect((await getPolicy(h.callers.admin, h.context, RULES)).policy.cookieAge).toBe(HOUR);
      expect(await h.t.db.prisma.auditEntry.count({ where: { action: "policy.update" } })).toBe(1);
      // Two admins saving from the same version at once: exactly one wins.
      const results = await Promise.allSettled([DAY, 2 * DAY].map((age) => savePolicy(h.callers.admin, update({ cookieAge: age }, 1), INFO, h.context, RULES)));
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      expect((await getPolicy(h.callers.admin, h.context, RULES)).version).toBe(2);
      expect(await h.t.db.prisma.auditEntry.count({ where: { action: "policy.update" } })).toBe(2);
    });

    it("writes the policy and its audit entry together or not at all", async () => {
      const refuse =
        h.t.db.provider === "sqlite"
          ? `CREATE TRIGGER refuse_policy_audit BEFORE INSERT ON sessionscope_audit WHEN NEW.action = 'policy.update' BEGIN SELECT RAISE(ABORT, 'refused'); END`
          : `CREATE RULE refuse_policy_audit AS ON INSERT TO sessionscope_audit WHERE NEW.action = 'policy.update' DO INSTEAD SELECT 1/0`;
      await h.t.db.prisma.$executeRawUnsafe(refuse);
      await expect(savePolicy(h.callers.admin, update({ cookieAge: HOUR }, 0), INFO, h.context, RULES)).rejects.toThrow();
      expect(await h.t.db.prisma.sessionPolicy.findUnique({ where: { id: 1 } })).toBeNull();
    });

    it("only admins may save (403 for security and viewer); every role may read it", async () => {
      for (const role of ["security", "viewer"] as const) {
        expect((await statusOf(savePolicy(h.callers[role], update({ cookieAge: HOUR }, 0), INFO, h.context, RULES))).status).toBe(403);
        expect(await getPolicy(h.callers[role], h.context, RULES)).toMatchObject({ canEdit: false, source: "env" });
      }
      expect(await h.t.db.prisma.sessionPolicy.count()).toBe(0);
    });

    it("keeps Secure on where production requires it, even against a saved row", async () => {
      const strict: PolicyRules = { secureRequired: true };
      expect((await statusOf(savePolicy(h.callers.admin, update({ cookieSecure: false }, 0), INFO, h.context, strict))).status).toBe(400);
      await savePolicy(h.callers.admin, update({ cookieSecure: false }, 0), INFO, h.context, RULES);
      expect((await getPolicy(h.callers.admin, h.context, strict)).policy.cookieSecure).toBe(true);
    });
  });
}

describeWithServices("policy preview where the server keeps no sessions", SIGNED_COOKIES_BACKEND.needs, () => {
  it("says plainly that signed cookies cannot be previewed, and that the per-user limit cannot apply", async () => {
    const h = await SIGNED_COOKIES_BACKEND.open();
    try {
      const impact = await previewPolicy(h.callers.admin, { ...DEFAULTS, idleTimeout: HOUR }, h.context);
      expect(impact).toEqual({ available: false, reason: expect.stringContaining("no preview is possible") });
      const view = await getPolicy(h.callers.admin, h.context, RULES);
      expect(view.preview.available).toBe(false);
      expect(view.sessionLimit).toEqual({ available: false, reason: expect.stringContaining("cannot be enforced") });
      const session = await createSession(h, { user: h.users.alice });
      expect(await enforceSessionLimit(h.t.db.prisma, h.store, h.users.alice, session.key, 1, h.clock())).toBe(0);
    } finally {
      await h.dispose();
    }
  });
});
