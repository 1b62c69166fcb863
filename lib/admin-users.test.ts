import { describe, expect, it } from "vitest";
import type { AdminUserView } from "./admin-api.ts";
import { announceRoleChange, askRoleChange, usersQueryString } from "./admin-users.ts";

const bob = (fields: Partial<AdminUserView> = {}): AdminUserView => ({ id: 5, username: "bob", name: "Bob", role: "viewer", lastLogin: null, activeSessions: 3, ...fields });

describe("asking before a role change", () => {
  it("names the new role and how many sessions end", () => {
    expect(askRoleChange(bob(), "security", false)).toEqual({
      title: "Make bob security?",
      consequence: "Their 3 sessions end, so the new role starts with a fresh login.",
      confirmLabel: "Make security",
    });
    expect(askRoleChange(bob({ activeSessions: 1 }), "admin", false).consequence).toBe("Their 1 session ends, so the new role starts with a fresh login.");
    expect(askRoleChange(bob({ activeSessions: 0, role: null }), "viewer", false).consequence).toBe("They have no active session, so the change applies at their next login.");
  });

  it("withdrawing a role says the dashboard closes to them", () => {
    expect(askRoleChange(bob(), null, false)).toEqual({
      title: "Withdraw the viewer role of bob?",
      consequence: "bob can no longer open the dashboard. Their 3 sessions end now.",
      confirmLabel: "Withdraw role",
    });
  });

  it("warns an admin who changes their own role that they will be logged out", () => {
    expect(askRoleChange(bob({ username: "ada", role: "admin" }), "security", true).consequence).toMatch(/the session you are using: you will be asked to log in again\.$/);
  });
});

describe("after a role change", () => {
  it("says who has which role now and how many sessions ended", () => {
    expect(announceRoleChange({ user: bob({ role: "security", activeSessions: 0 }), previousRole: "viewer", sessionsEnded: 3 })).toEqual({
      title: "bob is now security",
      description: "3 sessions ended.",
    });
    expect(announceRoleChange({ user: bob({ role: null }), previousRole: "viewer", sessionsEnded: 0 })).toEqual({
      title: "bob no longer has a dashboard role",
      description: "No session was active.",
    });
  });
});

describe("the users list's request", () => {
  it("asks for the page's number of users, narrowed by a username prefix", () => {
    expect(usersQueryString("")).toBe("?limit=100");
    expect(usersQueryString("al ice")).toBe("?q=al+ice&limit=100");
  });
});
