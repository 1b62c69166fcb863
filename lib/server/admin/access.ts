import "server-only";
/**
 * Who may use the dashboard. Every admin page, route handler and server
 * action asks here, on the server, with the permission it needs; the role is
 * read from the database on every request (never trusted from the session),
 * so a withdrawn role is gone at the next click.
 */
import { redirect } from "next/navigation";
import type { AuditActor } from "@/lib/node/admin/audit";
import { can, type Permission, type Role } from "@/lib/roles";
import type { Session } from "@/lib/session";
import { getCurrentUser } from "../auth/auth.ts";
import { API_ERRORS, HttpError } from "../http.ts";
import { readSession } from "../session/next.ts";
import type { RequestInfo } from "../../node/session/request-info.ts";

export interface AdminUser {
  readonly id: number;
  readonly username: string;
  readonly firstName: string;
  readonly role: Role;
}

export type PageAccess =
  | { readonly ok: true; readonly user: AdminUser }
  | { readonly ok: false; readonly reason: "no_role" | "forbidden"; readonly username: string; readonly role: Role | null };

/** For route handlers and server actions: the admin user, or an HttpError (401 signed out, 403 otherwise). */
export async function requireAdmin(session: Session, permission: Permission): Promise<AdminUser> {
  const user = await getCurrentUser(session);
  if (!user) throw new HttpError(401, API_ERRORS.UNAUTHENTICATED, "Log in first.");
  if (!user.role || !can(user.role, permission)) {
    throw new HttpError(403, API_ERRORS.FORBIDDEN, user.role ? `The ${user.role} role cannot do this.` : "This needs a dashboard role.");
  }
  return { id: user.id, username: user.username, firstName: user.firstName, role: user.role };
}

/** Who is looking at an admin page, without redirecting (the admin layout draws its frame from it). */
export async function readAdminAccess(permission: Permission): Promise<PageAccess | { readonly ok: false; readonly reason: "signed_out" }> {
  const { session } = await readSession();
  const user = await getCurrentUser(session, { readOnly: true });
  if (!user) return { ok: false, reason: "signed_out" };
  if (!user.role) return { ok: false, reason: "no_role", username: user.username, role: null };
  if (!can(user.role, permission)) return { ok: false, reason: "forbidden", username: user.username, role: user.role };
  return { ok: true, user: { id: user.id, username: user.username, firstName: user.firstName, role: user.role } };
}

/**
 * For pages: signed-out visitors go to the login page (and come back to
 * `path`); signed-in users without the permission get `ok: false`, and the
 * page renders <NoAccess> instead of anything else.
 */
export async function checkAdminPage(permission: Permission, path: string): Promise<PageAccess> {
  const { session } = await readSession();
  const user = await getCurrentUser(session, { readOnly: true });
  if (!user) redirect(`/login?next=${encodeURIComponent(path)}`);
  if (!user.role) return { ok: false, reason: "no_role", username: user.username, role: null };
  if (!can(user.role, permission)) return { ok: false, reason: "forbidden", username: user.username, role: user.role };
  return { ok: true, user: { id: user.id, username: user.username, firstName: user.firstName, role: user.role } };
}

/**
 * The data layer's own check (architecture.md practice 8): every exported
 * function of lib/server/admin asks again, whoever called it, so a page or a
 * route that forgot to ask still cannot read or change anything.
 */
export function assertPermission(user: AdminUser, permission: Permission): void {
  if (!can(user.role, permission)) throw new HttpError(403, API_ERRORS.FORBIDDEN, `The ${user.role} role cannot do this.`);
}

export function auditActor(user: AdminUser, info: RequestInfo): AuditActor {
  return { id: user.id, username: user.username, ip: info.ip, userAgent: info.userAgent };
}
