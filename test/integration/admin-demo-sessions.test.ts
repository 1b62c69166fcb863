// The demo sessions `npm start` seeds in demo mode, on the engines the
// dashboard lists: enough to look at (owners, devices, addresses, ages, some
// expired, two undecodable), real logins, written once, never in production.
import { afterEach, beforeEach, expect, it } from "vitest";
import { seedDemoSessions } from "../../lib/node/db/demo-sessions.ts";
import { listSessions } from "../../lib/server/admin/sessions.ts";
import { sessionQuerySchema } from "../../lib/server/admin/schemas.ts";
import { getSessionUser, Session, supportsUserIndex } from "../../lib/session/index.ts";
import { TEST_CODEC, TEST_SECRET } from "../helpers/backends.ts";
import { describeWithServices } from "../helpers/register.ts";
import { LISTING_BACKENDS, type AdminHarness } from "./admin-fixtures.ts";

for (const backend of [LISTING_BACKENDS[0]!, LISTING_BACKENDS[3]!, LISTING_BACKENDS[4]!]) {
  const sql = backend.engine !== "cache";
  describeWithServices(`demo sessions on ${backend.name}`, backend.needs, () => {
    let h: AdminHarness;
    beforeEach(async () => {
      h = await backend.open();
    });
    afterEach(async () => {
      await h?.dispose();
    });
    const seed = (production = false) =>
      seedDemoSessions({ prisma: h.t.db.prisma, store: h.store, codec: TEST_CODEC, policy: h.policy, secretKey: TEST_SECRET, production, now: h.clock() });

    it("fills an empty engine once with sessions worth looking at", async () => {
      expect(await seed()).toBe(150);
      const all = await listSessions(h.callers.viewer, sessionQuerySchema.parse({ status: "all", limit: "200" }), h.context);
      expect(all.total).toBe(150);
      const owners = new Set(all.items.map((row) => row.user?.username ?? "anonymous"));
      expect([...owners]).toEqual(expect.arrayContaining(["admin", "security", "viewer", "alice", "bob", "anonymous", "shopper-01"]));
      expect(owners.size).toBeGreaterThan(25);
      const ages = all.items.map((row) => h.clock().getTime() - Date.parse(row.createdAt!));
      expect(Math.min(...ages)).toBeLessThan(3600_000);
      expect(Math.max(...ages)).toBeGreaterThan(7 * 86_400_000);
      if (sql) {
        expect(all.items.filter((row) => row.status === "expired").length).toBeGreaterThanOrEqual(15);
        expect(all.items.filter((row) => row.flags.includes("undecodable"))).toHaveLength(2);
        const flagged = all.items.filter((row) => row.flags.includes("ip_or_device_changed"));
        expect(flagged.length).toBeGreaterThanOrEqual(3);
        expect(flagged.every((row) => row.status === "active" && row.user !== null)).toBe(true);
        expect(await h.t.db.prisma.activity.count({ where: { kind: "login" } })).toBeGreaterThan(5);
        expect(new Set(all.items.map((row) => row.device?.label)).size).toBeGreaterThanOrEqual(8);
        expect(new Set(all.items.map((row) => row.ip?.replace(/[^.:]+$/, ""))).size).toBeGreaterThanOrEqual(6);
      }
      // A second start adds nothing.
      expect(await seed()).toBe(0);
      expect((await listSessions(h.callers.viewer, sessionQuerySchema.parse({ status: "all" }), h.context)).total).toBe(150);
    });

    it("writes real logins that the framework accepts", async () => {
      await seed();
      const alice = await h.t.db.prisma.authUser.findUniqueOrThrow({ where: { username: "alice" } });
      const page = await listSessions(h.callers.viewer, sessionQuerySchema.parse({ user: "alice" }), h.context);
      expect(page.total).toBeGreaterThan(3);
      if (!supportsUserIndex(h.store)) throw new Error("the listing engines keep a per-user index");
      const key = (await h.store.listByUser(String(alice.id), h.clock()))[0]!.key;
      const session = await new Session({ key, store: h.store, codec: TEST_CODEC, policy: h.policy, clock: h.clock }).load();
      const user = await getSessionUser(session, async (id) => (id === String(alice.id) ? { ...alice, isActive: true } : null), { secretKey: TEST_SECRET }, { readOnly: true });
      expect(user?.username).toBe("alice");
    });

    it("refuses to run in production", async () => {
      await expect(seed(true)).rejects.toThrow(/production/);
    });
  });
}
