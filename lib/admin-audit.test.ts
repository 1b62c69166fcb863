import { describe, expect, it } from "vitest";
import type { AuditEntryView } from "./admin-api.ts";
import { auditCsvHref, auditQueryRecord, auditQueryString, describeAuditEntry, readAuditFilters } from "./admin-audit.ts";

const entry = (action: string, fields: Partial<AuditEntryView> = {}): AuditEntryView => ({
  id: 1,
  at: "2026-11-30T12:00:00.000Z",
  actor: { id: 1, username: "admin" },
  action,
  target: null,
  sessionCount: null,
  ip: "203.0.113.5",
  device: "Firefox 128 on Linux",
  detail: null,
  ...fields,
});

describe("audit entries in words", () => {
  it("kills say how many sessions of whom", () => {
    expect(describeAuditEntry(entry("sessions.kill_user", { target: "user:4", sessionCount: 37, detail: { username: "alice" } }))).toBe("Ended 37 sessions of alice");
    expect(describeAuditEntry(entry("sessions.kill_user", { target: "user:4", sessionCount: 1 }))).toBe("Ended 1 session of user #4");
    expect(describeAuditEntry(entry("sessions.kill_selected", { sessionCount: 1_204 }))).toBe("Ended 1,204 selected sessions");
    expect(describeAuditEntry(entry("session.kill", { target: "AZf3", sessionCount: 1, detail: { username: "bob" } }))).toBe("Ended a session of bob");
    expect(describeAuditEntry(entry("session.kill", { target: "AZf3", sessionCount: 1 }))).toBe("Ended one session");
    const roleChange = { target: "user:5", sessionCount: 3, detail: { userId: 5, username: "bob", reason: "role change" } };
    expect(describeAuditEntry(entry("sessions.kill_user", roleChange))).toBe("Ended 3 sessions of bob (role change)");
  });

  it("a kill by date names the moment, in UTC", () => {
    const before = "2026-11-12T14:00:00.000Z";
    expect(describeAuditEntry(entry("sessions.kill_issued_before", { target: before, sessionCount: 90 }))).toBe("Ended every session issued before 12 Nov 2026, 14:00 UTC");
    expect(describeAuditEntry(entry("sessions.kill_issued_before", { detail: { issuedBefore: before } }))).toBe("Ended every session issued before 12 Nov 2026, 14:00 UTC");
  });

  it("role changes name the role, and the old one when there was one", () => {
    expect(describeAuditEntry(entry("role.grant", { target: "user:5", detail: { username: "bob", role: "security" } }))).toBe("Granted security to bob");
    expect(describeAuditEntry(entry("role.grant", { detail: { username: "bob", role: "security", previousRole: "viewer" } }))).toBe("Changed bob from viewer to security");
    expect(describeAuditEntry(entry("role.revoke", { detail: { username: "bob", previousRole: "viewer" } }))).toBe("Withdrew the viewer role of bob");
    expect(describeAuditEntry(entry("role.revoke", { target: "user:5" }))).toBe("Withdrew the dashboard role of user #5");
  });

  it("an action this version does not know is shown as recorded", () => {
    expect(describeAuditEntry(entry("policy.update"))).toBe("Changed the session policy");
    expect(describeAuditEntry(entry("keys.rotate"))).toBe("keys.rotate");
  });
});

describe("the audit log's URL", () => {
  it("keeps the known, valid filters and drops the rest", () => {
    const params = new URLSearchParams("actor=%20alice%20&action=bogus&from=2026-11-01T00:00:00.000Z&to=yesterday&cursor=abc");
    expect(readAuditFilters(params)).toEqual({ actor: "alice", from: "2026-11-01T00:00:00.000Z" });
    expect(readAuditFilters({ action: ["role.grant", "role.revoke"], actor: "" })).toEqual({ action: "role.grant" });
    expect(readAuditFilters({ action: "role." })).toEqual({ action: "role." });
    expect(readAuditFilters({ action: "s" })).toEqual({});
  });

  it("writes equal filters as equal URLs, for the page, the query key and the CSV export", () => {
    expect(auditQueryString({ to: "2026-11-30T00:00:00.000Z", actor: "alice" })).toBe(auditQueryString({ actor: "alice", to: "2026-11-30T00:00:00.000Z" }));
    expect(auditQueryString({})).toBe("");
    expect(auditQueryRecord({ action: "role.grant", actor: undefined }, { cursor: "c1" })).toEqual({ action: "role.grant", cursor: "c1" });
    expect(auditCsvHref({ actor: "command line", action: "sessions.kill_user" })).toBe("/api/admin/audit?actor=command+line&action=sessions.kill_user&format=csv");
    expect(auditCsvHref({})).toBe("/api/admin/audit?format=csv");
  });
});
