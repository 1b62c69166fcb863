// The audit log on SQLite and PostgreSQL: filters, newest-first paging that
// neither skips nor repeats an entry, the CSV export of every matching entry
// (RFC 4180, no formulas), who may read it, and that nobody can change it.
import { afterEach, beforeEach, expect, it } from "vitest";
import { AUDIT_ACTIONS, CLI_ACTOR, recordAudit, type AuditActor } from "../../lib/node/admin/audit.ts";
import { exportAuditCsv, listAudit } from "../../lib/server/admin/audit.ts";
import { auditQuerySchema } from "../../lib/server/admin/schemas.ts";
import { describeWithServices } from "../helpers/register.ts";
import { statusOf } from "./auth-fixtures.ts";
import { FIREFOX, LISTING_BACKENDS, SIGNED_COOKIES_BACKEND, type AdminHarness } from "./admin-fixtures.ts";

const filter = (params: Record<string, string> = {}) => auditQuerySchema.parse(params);

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

/** RFC 4180 rows back into cells (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += c;
  }
  return rows;
}

// The two databases (the audit log does not depend on the session engine).
const DATABASE_BACKENDS = [LISTING_BACKENDS[0]!, LISTING_BACKENDS[1]!];

for (const backend of DATABASE_BACKENDS) {
  describeWithServices(`the audit log on ${backend.name}`, backend.needs, () => {
    let h: AdminHarness;
    let actors: { admin: AuditActor; security: AuditActor };
    beforeEach(async () => {
      h = await backend.open();
      actors = {
        admin: { id: h.users.admin.id, username: "admin", ip: "203.0.113.1", userAgent: FIREFOX },
        security: { id: h.users.security.id, username: "security", ip: "203.0.113.2", userAgent: null },
      };
    });
    afterEach(async () => {
      await h?.dispose();
    });

    const write = (actor: AuditActor, action: (typeof AUDIT_ACTIONS)[keyof typeof AUDIT_ACTIONS], at: string, extra: { target?: string; sessionCount?: number; detail?: Record<string, unknown> } = {}) =>
      recordAudit(h.t.db.prisma, { actor, action, at: new Date(at), ...extra });

    it("filters by actor, action and time, newest first", async () => {
      await write(actors.admin, AUDIT_ACTIONS.SESSION_KILL, "2026-03-01T10:00:00Z", { sessionCount: 1 });
      await write(actors.security, AUDIT_ACTIONS.SESSIONS_KILL_USER, "2026-03-01T11:00:00Z", { sessionCount: 4 });
      await write(actors.admin, AUDIT_ACTIONS.ROLE_GRANT, "2026-03-02T09:00:00Z");
      await write(CLI_ACTOR, AUDIT_ACTIONS.ROLE_REVOKE, "2026-03-03T09:00:00Z");
      const actions = async (params: Record<string, string>) => (await listAudit(h.callers.viewer, filter(params), h.context)).items.map((e) => e.action);
      expect(await actions({})).toEqual(["role.revoke", "role.grant", "sessions.kill_user", "session.kill"]);
      expect(await actions({ actor: "admin" })).toEqual(["role.grant", "session.kill"]);
      expect(await actions({ actor: String(h.users.security.id) })).toEqual(["sessions.kill_user"]);
      expect(await actions({ actor: "command line" })).toEqual(["role.revoke"]);
      expect(await actions({ action: "role." })).toEqual(["role.revoke", "role.grant"]);
      expect(await actions({ action: "session.kill" })).toEqual(["session.kill"]);
      expect(await actions({ from: "2026-03-01T10:30:00Z", to: "2026-03-03" })).toEqual(["role.grant", "sessions.kill_user"]);
      const [entry] = (await listAudit(h.callers.viewer, filter({ action: "session.kill" }), h.context)).items;
      expect(entry).toEqual({
        id: expect.any(Number),
        at: "2026-03-01T10:00:00.000Z",
        actor: { id: h.users.admin.id, username: "admin" },
        action: "session.kill",
        target: null,
        sessionCount: 1,
        ip: "203.0.113.1",
        device: "Firefox 128 on Linux",
        detail: null,
      });
    });

    it("pages newest first with a sealed cursor, entries at the same instant neither skipped nor repeated", async () => {
      for (let i = 0; i < 7; i++) await write(actors.admin, AUDIT_ACTIONS.SESSION_KILL, i < 4 ? "2026-03-01T10:00:00Z" : `2026-03-0${i - 2}T10:00:00Z`, { target: `t${i}` });
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await listAudit(h.callers.viewer, filter({ limit: "2", ...(cursor && { cursor }) }), h.context);
        seen.push(...page.items.map((e) => e.target!));
        cursor = page.nextCursor;
        // Sealed: neither the time nor the position shows through.
        if (cursor) expect(Buffer.from(cursor, "base64url").toString("latin1")).not.toMatch(/2026-03-0|"t\d"/);
      } while (cursor);
      expect(seen).toHaveLength(7);
      expect(new Set(seen).size).toBe(7);
      expect(seen.slice(0, 3)).toEqual(["t6", "t5", "t4"]);
      expect((await statusOf(listAudit(h.callers.viewer, filter({ cursor: "forged" }), h.context))).status).toBe(400);
    });

    it("exports every matching entry as CSV a spreadsheet reads as text", async () => {
      const hostile: AuditActor = { id: h.users.admin.id, username: "=HYPERLINK(\"http://evil.example\")", ip: "203.0.113.1", userAgent: '+cmd|" /C calc"!A0' };
      await write(hostile, AUDIT_ACTIONS.SESSIONS_KILL_SELECTED, "2026-03-01T10:00:00Z", { target: "-1+1", sessionCount: 2, detail: { ids: ["a", "b"], note: "line one\nline two, with \"quotes\"" } });
      // More than two export batches (500 each).
      await h.t.db.prisma.auditEntry.createMany({
        data: Array.from({ length: 1203 }, (_, i) => ({ at: new Date(Date.UTC(2026, 1, 1, 0, 0, i)), actorUsername: "bulk", action: AUDIT_ACTIONS.SESSION_KILL, sessionCount: 1 })),
      });
      const rows = parseCsv(await readAll(exportAuditCsv(h.callers.viewer, filter({ format: "csv" }), h.context)));
      expect(rows[0]).toEqual(["id", "at", "actor_id", "actor", "action", "target", "session_count", "ip", "device", "user_agent", "detail"]);
      expect(rows).toHaveLength(1 + 1204);
      expect(rows[1]).toEqual([
        expect.any(String),
        "2026-03-01T10:00:00.000Z",
        String(h.users.admin.id),
        "'=HYPERLINK(\"http://evil.example\")",
        "sessions.kill_selected",
        "'-1+1",
        "2",
        "203.0.113.1",
        expect.any(String),
        "'+cmd|\" /C calc\"!A0",
        '{"ids":["a","b"],"note":"line one\\nline two, with \\"quotes\\""}',
      ]);
      // Newest first, each entry once.
      expect(new Set(rows.slice(1).map((r) => r[0])).size).toBe(1204);
      const onlyOne = parseCsv(await readAll(exportAuditCsv(h.callers.viewer, filter({ format: "csv", actor: "bulk", from: "2026-02-01T00:20:00Z" }), h.context)));
      expect(onlyOne).toHaveLength(1 + 1203 - 1200);
    });

    it("is read by every dashboard role, and nobody can change or delete an entry", async () => {
      const id = await write(actors.admin, AUDIT_ACTIONS.SESSION_KILL, "2026-03-01T10:00:00Z");
      for (const caller of Object.values(h.callers)) expect((await listAudit(caller, filter(), h.context)).items).toHaveLength(1);
      expect((await statusOf(listAudit({ ...h.callers.viewer, role: "guest" as never }, filter(), h.context))).status).toBe(403);
      await expect(h.t.db.prisma.auditEntry.update({ where: { id }, data: { sessionCount: 0 } })).rejects.toThrow();
      await expect(h.t.db.prisma.auditEntry.delete({ where: { id } })).rejects.toThrow();
      // Through the raw driver too, with the trigger's own words (Prisma's SQLite adapter renames them).
      const db = h.t.db;
      for (const statement of [`UPDATE sessionscope_audit SET session_count = 0`, `DELETE FROM sessionscope_audit`]) {
        if (db.provider === "sqlite") expect(() => db.sqlite.prepare(statement).run()).toThrow(/append-only/);
        else await expect(db.pool.query(statement)).rejects.toThrow(/append-only/);
      }
      expect(await h.t.db.prisma.auditEntry.count()).toBe(1);
    });
  });
}

describeWithServices("the audit log next to an engine that keeps no sessions", SIGNED_COOKIES_BACKEND.needs, () => {
  it("still lists what was done", async () => {
    const h = await SIGNED_COOKIES_BACKEND.open();
    try {
      await recordAudit(h.t.db.prisma, { actor: CLI_ACTOR, action: AUDIT_ACTIONS.ROLE_GRANT });
      expect((await listAudit(h.callers.viewer, filter(), h.context)).items.map((e) => e.actor.username)).toEqual(["command line"]);
    } finally {
      await h.dispose();
    }
  });
});
