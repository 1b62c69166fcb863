/**
 * The users page's words for a role change: the question the confirmation
 * asks (naming the consequence), and what the toast says afterwards.
 */
import type { AdminUserView, RoleChangeResult } from "./admin-api.ts";
import { formatCount } from "./admin-format.ts";
import type { Role } from "./roles.ts";

/** How many users the page lists at once; a search by username finds the others. */
export const USERS_SHOWN = 100;

/** GET /api/admin/users for the page: `q` a username prefix ("" for everyone). */
export function usersQueryString(q: string): string {
  return `?${new URLSearchParams({ ...(q && { q }), limit: String(USERS_SHOWN) }).toString()}`;
}

export interface RoleChangeQuestion {
  readonly title: string;
  readonly consequence: string;
  readonly confirmLabel: string;
}

function sessionsEnd(count: number): string {
  if (count === 0) return "They have no active session, so the change applies at their next login.";
  return `Their ${formatCount(count, "session")} ${count === 1 ? "ends" : "end"}, so the new role starts with a fresh login.`;
}

/** "Make bob security? Their 3 sessions end, so the new role starts with a fresh login." */
export function askRoleChange(user: AdminUserView, role: Role | null, self: boolean): RoleChangeQuestion {
  const yours = self ? " This includes the session you are using: you will be asked to log in again." : "";
  if (role === null) {
    return {
      title: `Withdraw the ${user.role ?? "dashboard"} role of ${user.username}?`,
      consequence: `${user.username} can no longer open the dashboard. ${user.activeSessions === 0 ? "They have no active session." : `Their ${formatCount(user.activeSessions, "session")} ${user.activeSessions === 1 ? "ends" : "end"} now.`}${yours}`,
      confirmLabel: "Withdraw role",
    };
  }
  return { title: `Make ${user.username} ${role}?`, consequence: `${sessionsEnd(user.activeSessions)}${yours}`, confirmLabel: `Make ${role}` };
}

/** The toast after a change: who has which role now, and how many sessions ended. */
export function announceRoleChange(result: RoleChangeResult): { readonly title: string; readonly description: string } {
  const { username, role } = result.user;
  return {
    title: role ? `${username} is now ${role}` : `${username} no longer has a dashboard role`,
    description: result.sessionsEnded === 0 ? "No session was active." : `${formatCount(result.sessionsEnded, "session")} ended.`,
  };
}
