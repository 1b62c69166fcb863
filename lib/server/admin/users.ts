import "server-only";
/**
 * The Users page: who holds which dashboard role, when they last logged in,
 * how many live sessions they have; and granting or withdrawing a role
 * (admins only). The rules of a role change live in lib/node/admin/roles.ts,
 * shared with `sessionscope role`.
 */
import type { AdminUserList, AdminUserView, RoleChangeResult } from "@/lib/admin-api";
import { isRole, type Role } from "@/lib/roles";
import { supportsUserIndex } from "@/lib/session";
import { RoleChangeRefused, setUserRole } from "../../node/admin/roles.ts";
import type { RequestInfo } from "../../node/session/request-info.ts";
import { API_ERRORS, HttpError } from "../http.ts";
import { assertPermission, auditActor, type AdminUser } from "./access.ts";
import { appAdminContext, type AdminContext } from "./context.ts";
import { rawQuery } from "./raw-query.ts";
import { sessionIndex } from "./session-keys.ts";
import { activeCountsQuery, expirySource } from "./session-sql.ts";
import { publishAdminEvent } from "../events.ts";

type UserRow = { id: number; username: string; firstName: string; lastName: string; lastLogin: Date | null; role: { role: string } | null };

const select = { id: true, username: true, firstName: true, lastName: true, lastLogin: true, role: { select: { role: true } } } as const;

/** Live sessions per user id, as the configured engine can count them. */
async function activeSessions(context: AdminContext, ids: readonly number[]): Promise<Map<number, number>> {
  if (ids.length === 0) return new Map();
  const now = context.now();
  if (sessionIndex(context).kind === "sql") {
    const rows = await rawQuery(context)<{ user_id: number | bigint; active: number | bigint | string }>(activeCountsQuery(context.provider, ids, now, expirySource(context)));
    return new Map(rows.map((row) => [Number(row.user_id), Number(row.active)]));
  }
  const store = context.runtime.store;
  if (!supportsUserIndex(store)) return new Map();
  return new Map(await Promise.all(ids.map(async (id) => [id, (await store.listByUser(String(id), now)).length] as const)));
}

function toView(row: UserRow, active: ReadonlyMap<number, number>): AdminUserView {
  const role = row.role?.role;
  return {
    id: row.id,
    username: row.username,
    name: [row.firstName, row.lastName].filter(Boolean).join(" "),
    role: isRole(role) ? role : null,
    lastLogin: row.lastLogin?.toISOString() ?? null,
    activeSessions: active.get(row.id) ?? 0,
  };
}

/** GET /api/admin/users: role holders first, then the others, each by username; `q` is a username prefix. */
export async function listUsers(caller: AdminUser, query: { q?: string; limit: number }, context: AdminContext = appAdminContext()): Promise<AdminUserList> {
  assertPermission(caller, "users:manage");
  const named = query.q ? { username: { startsWith: query.q } } : {};
  const holders = await context.prisma.authUser.findMany({ where: { ...named, role: { isNot: null } }, select, orderBy: { username: "asc" }, take: query.limit });
  const others =
    holders.length < query.limit
      ? await context.prisma.authUser.findMany({ where: { ...named, role: { is: null } }, select, orderBy: { username: "asc" }, take: query.limit - holders.length })
      : [];
  const rows = [...holders, ...others];
  const active = await activeSessions(context, rows.map((row) => row.id));
  return { items: rows.map((row) => toView(row, active)) };
}

/**
 * PUT /api/admin/users/:id/role: grants, changes or withdraws a role, audited,
 * and ends the user's sessions. Refused (409) when it would leave no admin.
 */
export async function changeUserRole(
  caller: AdminUser,
  userId: number,
  role: Role | null,
  info: RequestInfo,
  context: AdminContext = appAdminContext(),
): Promise<RoleChangeResult> {
  assertPermission(caller, "users:manage");
  let change;
  try {
    change = await setUserRole(context.prisma, context.runtime.store, { user: { id: userId }, role, actor: auditActor(caller, info), keepAnAdmin: true });
  } catch (error) {
    if (!(error instanceof RoleChangeRefused)) throw error;
    if (error.reason === "unknown_user") throw new HttpError(404, API_ERRORS.NOT_FOUND, "No such user.");
    throw new HttpError(409, API_ERRORS.CONFLICT, error.message);
  }
  publishAdminEvent({ type: "role.changed", userId: change.user.id, count: change.sessionsEnded });
  const row = await context.prisma.authUser.findUniqueOrThrow({ where: { id: change.user.id }, select });
  const user = toView(row, await activeSessions(context, [row.id]));
  return { user, previousRole: change.previousRole, sessionsEnded: change.sessionsEnded };
}
