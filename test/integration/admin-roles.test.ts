// Dashboard roles, from the Users page's data layer and from the command
// line, on real databases and engines: who may see and change roles, a change
// ends the user's sessions and is audited, and the dashboard never loses its
// last admin.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../../cli/index.ts";
import type { CliIo } from "../../cli/io.ts";
import { AUDIT_ACTIONS } from "../../lib/node/admin/audit.ts";
import { changeUserRole, listUsers } from "../../lib/server/admin/users.ts";
import { buildSaveRecord, DEFAULT_SESSION_POLICY } from "../../lib/session/index.ts";
import { DATABASES, TEST_CODEC, TEST_SECRET, openSqlStore } from "../helpers/backends.ts";
import { createTestClock } from "../helpers/clock.ts";
import type { TestDatabase } from "../helpers/databases.ts";
import { describeWithServices } from "../helpers/register.ts";
import { statusOf } from "./auth-fixtures.ts";
import { createSession, INFO, isAlive, LISTING_BACKENDS, type AdminHarness } from "./admin-fixtures.ts";

const roleOf = async (h: AdminHarness, id: number) => (await h.t.db.prisma.userRole.findUnique({ where: { userId: id } }))?.role ?? null;

for (const backend of LISTING_BACKENDS) {
  describeWithServices(`dashboard roles on ${backend.name}`, backend.needs, () => {
    let h: AdminHarness;
    beforeEach(async () => {
      h = await backend.open();
    });
    afterEach(async () => {
      await h?.dispose();
    });

    it("lists role holders first with their last login and live sessions, for admins only", async () => {
      await createSession(h, { user: h.users.alice });
      await createSession(h, { user: h.users.alice });
      await createSession(h, { user: h.users.viewer });
      await h.t.db.prisma.authUser.update({ where: { id: h.users.alice.id }, data: { lastLogin: new Date("2026-02-01T10:00:00Z") } });
      const { items } = await listUsers(h.callers.admin, { limit: 100 }, h.context);
      expect(items.map((u) => [u.username, u.role, u.activeSessions])).toEqual([
        ["admin", "admin", 0],
        ["security", "security", 0],
        ["viewer", "viewer", 1],
        ["alice", null, 2],
        ["bob", null, 0],
      ]);
      expect(items.find((u) => u.username === "alice")).toMatchObject({ id: h.users.alice.id, lastLogin: "2026-02-01T10:00:00.000Z", name: "alice" });
      expect((await listUsers(h.callers.admin, { q: "b", limit: 100 }, h.context)).items.map((u) => u.username)).toEqual(["bob"]);
      expect((await listUsers(h.callers.admin, { limit: 2 }, h.context)).items).toHaveLength(2);
      for (const caller of [h.callers.security, h.callers.viewer]) expect((await statusOf(listUsers(caller, { limit: 100 }, h.context))).status).toBe(403);
    });

    it("a change of role ends the user's sessions and writes who changed what", async () => {
      const [one, two] = [await createSession(h, { user: h.users.alice }), await createSession(h, { user: h.users.alice })];
      const bob = await createSession(h, { user: h.users.bob });
      const result = await changeUserRole(h.callers.admin, h.users.alice.id, "security", INFO, h.context);
      expect(result).toEqual({
        user: { id: h.users.alice.id, username: "alice", name: "alice", role: "security", lastLogin: null, activeSessions: 0 },
        previousRole: null,
        sessionsEnded: 2,
      });
      expect(await roleOf(h, h.users.alice.id)).toBe("security");
      expect([await isAlive(h, one.key!), await isAlive(h, two.key!), await isAlive(h, bob.key!)]).toEqual([false, false, true]);
      const entries = await h.t.db.prisma.auditEntry.findMany({ orderBy: { id: "asc" } });
      expect(entries.map((e) => [e.action, e.target, e.sessionCount, e.actorUsername])).toEqual([
        [AUDIT_ACTIONS.ROLE_GRANT, `user:${h.users.alice.id}`, null, "admin"],
        [AUDIT_ACTIONS.SESSIONS_KILL_USER, `user:${h.users.alice.id}`, 2, "admin"],
      ]);
      expect(JSON.parse(entries[0]!.detail!)).toEqual({ userId: h.users.alice.id, username: "alice", previousRole: null, role: "security" });
      expect(JSON.parse(entries[1]!.detail!)).toMatchObject({ reason: "role change", roleAuditId: entries[0]!.id });

      // Withdrawing it is audited as such; the same role again changes nothing and writes nothing.
      expect((await changeUserRole(h.callers.admin, h.users.alice.id, null, INFO, h.context)).previousRole).toBe("security");
      expect(await roleOf(h, h.users.alice.id)).toBeNull();
      expect((await changeUserRole(h.callers.admin, h.users.alice.id, null, INFO, h.context)).sessionsEnded).toBe(0);
      expect((await h.t.db.prisma.auditEntry.findMany()).map((e) => e.action)).toEqual([
        AUDIT_ACTIONS.ROLE_GRANT,
        AUDIT_ACTIONS.SESSIONS_KILL_USER,
        AUDIT_ACTIONS.ROLE_REVOKE,
        AUDIT_ACTIONS.SESSIONS_KILL_USER,
      ]);
    });

    it("keeps the last admin: an admin cannot demote themselves when nobody else is one", async () => {
      const own = await createSession(h, { user: h.users.admin });
      const { status, error } = await statusOf(changeUserRole(h.callers.admin, h.users.admin.id, "viewer", INFO, h.context));
      expect(status).toBe(409);
      expect(error?.code).toBe("conflict");
      expect(error?.message).toBe("admin is the last admin: grant the admin role to someone else first, so that the dashboard keeps an admin.");
      expect(await roleOf(h, h.users.admin.id)).toBe("admin");
      expect(await isAlive(h, own.key!)).toBe(true);
      expect(await h.t.db.prisma.auditEntry.count()).toBe(0);

      // With a second admin, the first may step down, and their own sessions end too.
      await changeUserRole(h.callers.admin, h.users.bob.id, "admin", INFO, h.context);
      expect((await changeUserRole(h.callers.admin, h.users.admin.id, "viewer", INFO, h.context)).sessionsEnded).toBe(1);
      expect(await isAlive(h, own.key!)).toBe(false);
    });

    it("refuses anyone but an admin, and an unknown user", async () => {
      for (const caller of [h.callers.security, h.callers.viewer]) {
        expect((await statusOf(changeUserRole(caller, h.users.alice.id, "admin", INFO, h.context))).status).toBe(403);
      }
      expect(await roleOf(h, h.users.alice.id)).toBeNull();
      expect((await statusOf(changeUserRole(h.callers.admin, 999_999, "viewer", INFO, h.context))).status).toBe(404);
    });
  });
}

function capture(): { io: CliIo; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (line) => out.push(line), stderr: (line) => err.push(line), now: () => new Date() }, out, err };
}

for (const database of DATABASES) {
  describeWithServices(`sessionscope role on ${database.name}`, database.needs, () => {
    let t: TestDatabase;
    let env: Record<string, string>;
    beforeAll(async () => {
      t = await database.open();
      env = { DATABASE_URL: t.url, SESSION_SECRET_KEY: TEST_SECRET };
      for (const username of ["ada", "sam"]) {
        await t.db.prisma.authUser.create({
          data: { username, password: "!", firstName: username, lastName: "", email: "", isStaff: false, isSuperuser: false, isActive: true, dateJoined: new Date() },
        });
      }
    });
    afterAll(async () => {
      await t?.dispose();
    });
    const run = async (...argv: string[]) => {
      const c = capture();
      const code = await runCli(["role", ...argv], env, c.io);
      return { code, out: c.out, err: c.err };
    };

    it("makes the first admin, lists roles, and withdraws them, ending sessions each time", async () => {
      expect(await run("list")).toEqual({ code: 0, out: ["No user has a dashboard role. Make the first admin with: sessionscope role grant USERNAME admin"], err: [] });
      const ada = (await t.db.prisma.authUser.findUniqueOrThrow({ where: { username: "ada" } })).id;
      const store = openSqlStore(t, { clock: createTestClock() });
      const key = "k" + "0".repeat(31);
      await store.save(key, buildSaveRecord(new Map([["_auth_user_id", String(ada)]]), TEST_CODEC, DEFAULT_SESSION_POLICY, new Date()), null);

      expect(await run("grant", "ada", "admin")).toEqual({ code: 0, out: ["ada now has the admin role (before: none); 1 session ended."], err: [] });
      expect(await store.exists(key)).toBe(false);
      expect(await run("grant", "sam", "viewer")).toMatchObject({ code: 0, out: ["sam now has the viewer role (before: none); 0 sessions ended."] });
      expect(await run("grant", "sam", "viewer")).toMatchObject({ code: 0, out: ["sam already has the viewer role; nothing changed."] });
      expect(await run("list")).toEqual({ code: 0, out: ["USERNAME  ROLE", "ada       admin", "sam       viewer"], err: [] });
      expect(await run("revoke", "sam")).toMatchObject({ code: 0, out: ["sam no longer has a dashboard role (before: viewer); 0 sessions ended."] });

      // The command line may leave no admin (it is how one is made again), and says so.
      expect(await run("revoke", "ada")).toEqual({
        code: 0,
        out: ["ada no longer has a dashboard role (before: admin); 0 sessions ended."],
        err: ["role: warning: nobody has the admin role now; grant it with: sessionscope role grant USERNAME admin"],
      });
      const audit = await t.db.prisma.auditEntry.findMany({ where: { action: { startsWith: "role." } }, orderBy: { id: "asc" } });
      expect(audit.map((e) => [e.action, e.actorId, e.actorUsername, e.ip])).toEqual([
        [AUDIT_ACTIONS.ROLE_GRANT, null, "command line", null],
        [AUDIT_ACTIONS.ROLE_GRANT, null, "command line", null],
        [AUDIT_ACTIONS.ROLE_REVOKE, null, "command line", null],
        [AUDIT_ACTIONS.ROLE_REVOKE, null, "command line", null],
      ]);
    });

    it("says what is wrong in one line: an unknown user fails (1), bad arguments are usage errors (2)", async () => {
      expect(await run("grant", "zed", "admin")).toEqual({ code: 1, out: [], err: ['role: no user named "zed"'] });
      expect(await run("grant", "ada", "boss")).toEqual({ code: 2, out: [], err: ['role: unknown role "boss" (one of admin, security, viewer) (see --help)'] });
      expect(await run("grant", "ada")).toEqual({ code: 2, out: [], err: ["role: grant needs a username and a role (see --help)"] });
      expect(await run("revoke")).toEqual({ code: 2, out: [], err: ["role: revoke needs a username (see --help)"] });
      expect(await run("list", "extra")).toEqual({ code: 2, out: [], err: ["role: unexpected argument extra (see --help)"] });
      expect(await run("promote", "ada")).toEqual({ code: 2, out: [], err: ['role: unknown action "promote" (grant, revoke or list) (see --help)'] });
      expect(await run()).toEqual({ code: 2, out: [], err: ["role: expected grant, revoke or list (see --help)"] });
      expect((await run("--help")).out[0]).toMatch(/^Usage: sessionscope role grant USERNAME admin\|security\|viewer/);
    });
  });
}

describe("the CLI's help", () => {
  it("lists the role command", async () => {
    const c = capture();
    expect(await runCli(["--help"], {}, c.io)).toBe(0);
    expect(c.out.join("\n")).toMatch(/role\s+grant, withdraw or list dashboard roles/);
  });
});
