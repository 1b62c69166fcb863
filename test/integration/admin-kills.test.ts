// Kills from the dashboard on every engine that can list sessions, against
// real SQLite, PostgreSQL and Redis: a killed session is dead on its next
// request (caches included), the count is what was really deleted, every
// kill leaves an audit entry, and only the roles that may kill can.
import { afterEach, beforeEach, expect, it } from "vitest";
import { AUDIT_ACTIONS } from "../../lib/node/admin/audit.ts";
import { killSession, revokeSessions } from "../../lib/server/admin/kills.ts";
import { listSessions } from "../../lib/server/admin/sessions.ts";
import { sessionQuerySchema } from "../../lib/server/admin/schemas.ts";
import { AUTH_USER_ID_KEY, Session, supportsKill } from "../../lib/session/index.ts";
import { TEST_CODEC } from "../helpers/backends.ts";
import { describeWithServices } from "../helpers/register.ts";
import { statusOf } from "./auth-fixtures.ts";
import { createSession, INFO, isAlive, LISTING_BACKENDS, SIGNED_COOKIES_BACKEND, type AdminHarness } from "./admin-fixtures.ts";

/** What the browser holding `key` as its cookie gets on its next request. */
async function nextRequest(h: AdminHarness, key: string): Promise<Session> {
  return new Session({ key, store: h.store, codec: TEST_CODEC, policy: h.policy, clock: h.clock }).load();
}

async function expectDead(h: AdminHarness, key: string): Promise<void> {
  expect(await isAlive(h, key)).toBe(false);
  const session = await nextRequest(h, key);
  expect(session.key).toBeNull();
  expect(session.has(AUTH_USER_ID_KEY)).toBe(false);
}

/** Public ids by owner, as the list shows them. */
async function listedIds(h: AdminHarness): Promise<Array<{ id: string; owner: string }>> {
  const page = await listSessions(h.callers.admin, sessionQuerySchema.parse({ status: "all", limit: "200" }), h.context);
  return page.items.map((row) => ({ id: row.id, owner: row.user?.username ?? "anonymous" }));
}

const auditRows = (h: AdminHarness) => h.t.db.prisma.auditEntry.findMany({ orderBy: { id: "asc" } });

for (const backend of LISTING_BACKENDS) {
  describeWithServices(`dashboard kills on ${backend.name}`, backend.needs, () => {
    let h: AdminHarness;
    beforeEach(async () => {
      h = await backend.open();
    });
    afterEach(async () => {
      await h?.dispose();
    });

    it("kills one session: its next request is anonymous, and the audit says who, from where and how many", async () => {
      const alice = await createSession(h, { user: h.users.alice });
      const bob = await createSession(h, { user: h.users.bob });
      // A request loads the session first (cached_db then serves it from Redis).
      expect((await nextRequest(h, alice.key!)).get(AUTH_USER_ID_KEY)).toBe(String(h.users.alice.id));
      const id = (await listedIds(h)).find((row) => row.owner === "alice")!.id;

      const result = await killSession(h.callers.security, id, INFO, h.context);
      expect(result).toEqual({ revoked: 1, auditId: expect.any(Number) });
      await expectDead(h, alice.key!);
      expect(await isAlive(h, bob.key!)).toBe(true);
      const [entry] = await auditRows(h);
      expect(entry).toMatchObject({
        id: result.auditId,
        actorId: h.callers.security.id,
        actorUsername: "security",
        action: AUDIT_ACTIONS.SESSION_KILL,
        target: id,
        sessionCount: 1,
        ip: INFO.ip,
        userAgent: INFO.userAgent,
      });
      expect(JSON.stringify(await auditRows(h))).not.toContain(alice.key!);
      expect((await statusOf(killSession(h.callers.security, id, INFO, h.context))).status).toBe(404);
    });

    it("kills the selected sessions and counts only those it ended", async () => {
      const sessions = await Promise.all([0, 1, 2].map(() => createSession(h)));
      const ids = (await listedIds(h)).map((row) => row.id);
      const result = await revokeSessions(h.callers.admin, { ids: [ids[0]!, ids[1]!, "AAAAAAAAAAAAAAAAAAAAAA"] }, INFO, h.context);
      expect(result.revoked).toBe(2);
      expect((await Promise.all(sessions.map((s) => isAlive(h, s.key!)))).filter(Boolean)).toHaveLength(1);
      expect((await listedIds(h)).map((row) => row.id)).toEqual([ids[2]]);
      const entry = (await auditRows(h)).find((row) => row.id === result.auditId)!;
      expect(entry).toMatchObject({ action: AUDIT_ACTIONS.SESSIONS_KILL_SELECTED, sessionCount: 2 });
      expect(JSON.parse(entry.detail!)).toEqual({ ids: [ids[0], ids[1], "AAAAAAAAAAAAAAAAAAAAAA"], found: 2 });
    });

    it("kills every session of a user, and nobody else's", async () => {
      const [a1, a2, b] = [await createSession(h, { user: h.users.alice }), await createSession(h, { user: h.users.alice }), await createSession(h, { user: h.users.bob })];
      const result = await revokeSessions(h.callers.security, { userId: h.users.alice.id }, INFO, h.context);
      expect(result.revoked).toBe(2);
      await expectDead(h, a1.key!);
      await expectDead(h, a2.key!);
      expect(await isAlive(h, b.key!)).toBe(true);
      expect((await auditRows(h)).at(-1)).toMatchObject({ action: AUDIT_ACTIONS.SESSIONS_KILL_USER, target: `user:${h.users.alice.id}`, sessionCount: 2 });
      expect((await revokeSessions(h.callers.security, { userId: h.users.alice.id }, INFO, h.context)).revoked).toBe(0);
      expect((await statusOf(revokeSessions(h.callers.security, { userId: 999_999 }, INFO, h.context))).status).toBe(404);
    });

    it("kills every session issued before a moment, by when each session began", async () => {
      const old = await createSession(h, { ageSeconds: 3 * 3600 });
      const older = await createSession(h, { user: h.users.bob, ageSeconds: 2 * 3600 });
      const recent = await createSession(h, { ageSeconds: 600 });
      const issuedBefore = new Date(h.clock().getTime() - 3600_000);
      const result = await revokeSessions(h.callers.admin, { issuedBefore }, INFO, h.context);
      expect(result.revoked).toBe(2);
      await expectDead(h, old.key!);
      await expectDead(h, older.key!);
      expect(await isAlive(h, recent.key!)).toBe(true);
      expect((await auditRows(h)).at(-1)).toMatchObject({ action: AUDIT_ACTIONS.SESSIONS_KILL_ISSUED_BEFORE, target: issuedBefore.toISOString(), sessionCount: 2 });
      const future = new Date(h.clock().getTime() + 3600_000);
      expect((await statusOf(revokeSessions(h.callers.admin, { issuedBefore: future }, INFO, h.context))).status).toBe(400);
    });

    it("writes the audit entry in the kill's own transaction on the SQL engines: a failed entry kills nothing", async () => {
      const sessions = [await createSession(h, { user: h.users.alice }), await createSession(h, { user: h.users.alice })];
      if (!supportsKill(h.store)) throw new Error("every listing engine can kill");
      if (backend.engine === "cache") {
        // Redis shares no transaction with the database: the entry is written right after, and the engine says so.
        expect(h.store.recordsKills).toBe(false);
        await expect(h.store.kill({ userId: String(h.users.alice.id) }, { table: "sessionscope_audit", values: {}, countColumn: "session_count" })).rejects.toThrow(/cannot write a kill record/);
      } else {
        expect(h.store.recordsKills).toBe(true);
        // An entry the database refuses (action is NOT NULL): the deletion rolls back with it.
        const broken = { table: "sessionscope_audit", values: { at: h.clock(), action: null }, countColumn: "session_count" };
        await expect(h.store.kill({ userId: String(h.users.alice.id) }, broken)).rejects.toThrow();
        for (const session of sessions) expect(await isAlive(h, session.key!)).toBe(true);
        expect(await auditRows(h)).toEqual([]);
      }
      const result = await revokeSessions(h.callers.admin, { userId: h.users.alice.id }, INFO, h.context);
      expect(result.revoked).toBe(2);
      expect(await auditRows(h)).toEqual([expect.objectContaining({ id: result.auditId, sessionCount: 2, at: expect.any(Date) })]);
      for (const session of sessions) await expectDead(h, session.key!);
    });

    it("refuses a viewer every kill, leaving sessions and the audit log as they were", async () => {
      const session = await createSession(h, { user: h.users.alice });
      const { id } = (await listedIds(h))[0]!;
      for (const call of [
        killSession(h.callers.viewer, id, INFO, h.context),
        revokeSessions(h.callers.viewer, { ids: [id] }, INFO, h.context),
        revokeSessions(h.callers.viewer, { userId: h.users.alice.id }, INFO, h.context),
        revokeSessions(h.callers.viewer, { issuedBefore: h.clock() }, INFO, h.context),
      ]) {
        expect((await statusOf(call)).status).toBe(403);
      }
      expect(await isAlive(h, session.key!)).toBe(true);
      expect(await auditRows(h)).toEqual([]);
    });
  });
}

describeWithServices(`dashboard kills on ${SIGNED_COOKIES_BACKEND.name}`, SIGNED_COOKIES_BACKEND.needs, () => {
  it("cannot end a user's sessions (the browser holds them) and says so", async () => {
    const h = await SIGNED_COOKIES_BACKEND.open();
    try {
      const { status, error } = await statusOf(revokeSessions(h.callers.admin, { userId: h.users.alice.id }, INFO, h.context));
      expect(status).toBe(501);
      expect(error?.message).toMatch(/signed_cookies engine/);
      expect((await statusOf(killSession(h.callers.admin, "AAAAAAAAAAAAAAAAAAAAAA", INFO, h.context))).status).toBe(404);
    } finally {
      await h.dispose();
    }
  });
});
