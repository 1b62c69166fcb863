/**
 * Dashboard roles, granted and withdrawn: the one implementation behind the
 * Users page and `sessionscope role`. A change of role is written with its
 * audit entry in one transaction, then ends the user's sessions through the
 * engine, so that the new role starts with a fresh login (the role is read
 * from the database on every request anyway; ending the sessions makes the
 * change visible to the user, and clears any page they had open).
 */
import { isRole, ROLES, type Role } from "../../roles.ts";
import type { SessionStore } from "../../session/index.ts";
import type { AppPrismaClient } from "../db/connection.ts";
import { AUDIT_ACTIONS, auditRow, type AuditActor } from "./audit.ts";
import { KillUnsupported, killSessions } from "./kill.ts";

export type RoleRefusal = "unknown_user" | "last_admin" | "busy";

export class RoleChangeRefused extends Error {
  override readonly name = "RoleChangeRefused";
  constructor(
    readonly reason: RoleRefusal,
    message: string,
  ) {
    super(message);
  }
}

export interface RoleChange {
  readonly user: { readonly id: number; readonly username: string };
  readonly previousRole: Role | null;
  readonly role: Role | null;
  /** False when the user already had that role: nothing was written. */
  readonly changed: boolean;
  /** Sessions of the user that the change ended (0 where the engine keeps no per-user index). */
  readonly sessionsEnded: number;
  /** Whether the engine could end the user's sessions at all (not with signed cookies or files). */
  readonly sessionsEndable: boolean;
}

export interface SetRoleInput {
  readonly user: { readonly id: number } | { readonly username: string };
  readonly role: Role | null;
  readonly actor: AuditActor;
  /**
   * Refuse a change that would leave nobody with the admin role. The
   * dashboard always keeps one (an admin cannot demote the last admin,
   * themselves included); the command line may, since it is how admins are made.
   */
  readonly keepAnAdmin: boolean;
}

const roleOf = (row: { role: { role: string } | null }): Role | null => (isRole(row.role?.role) ? row.role.role : null);

export async function setUserRole(prisma: AppPrismaClient, store: SessionStore, input: SetRoleInput): Promise<RoleChange> {
  const where = "id" in input.user ? { id: input.user.id } : { username: input.user.username };
  const found = await prisma.authUser.findUnique({ where, select: { id: true, username: true, role: { select: { role: true } } } });
  if (!found) {
    throw new RoleChangeRefused("unknown_user", "id" in input.user ? `no user with id ${input.user.id}` : `no user named "${input.user.username}"`);
  }
  const user = { id: found.id, username: found.username };
  const previousRole = roleOf(found);
  const base = { user, previousRole, role: input.role };
  if (previousRole === input.role) return { ...base, changed: false, sessionsEnded: 0, sessionsEndable: true };

  const roleAuditId = await writeRole(prisma, input, user, previousRole);
  let sessionsEnded = 0;
  let sessionsEndable = true;
  try {
    const kill = await killSessions(prisma, store, { userId: String(user.id) }, {
      actor: input.actor,
      action: AUDIT_ACTIONS.SESSIONS_KILL_USER,
      target: `user:${user.id}`,
      detail: { userId: user.id, username: user.username, reason: "role change", roleAuditId },
    });
    sessionsEnded = kill.revoked;
  } catch (error) {
    if (!(error instanceof KillUnsupported)) throw error;
    sessionsEndable = false;
  }
  return { ...base, changed: true, sessionsEnded, sessionsEndable };
}

/** The role row and its audit entry, together or not at all; returns the entry's id. */
async function writeRole(prisma: AppPrismaClient, input: SetRoleInput, user: RoleChange["user"], previousRole: Role | null): Promise<number> {
  try {
    // Serializable: two admins demoting each other at once cannot both see the other still an admin.
    return await prisma.$transaction(
      async (tx) => {
        if (input.role === null) await tx.userRole.delete({ where: { userId: user.id } });
        else await tx.userRole.upsert({ where: { userId: user.id }, create: { userId: user.id, role: input.role }, update: { role: input.role } });
        if (input.keepAnAdmin && previousRole === "admin" && (await tx.userRole.count({ where: { role: "admin" } })) === 0) {
          throw new RoleChangeRefused("last_admin", `${user.username} is the last admin: grant the admin role to someone else first, so that the dashboard keeps an admin.`);
        }
        const entry = await tx.auditEntry.create({
          data: auditRow({
            actor: input.actor,
            action: input.role === null ? AUDIT_ACTIONS.ROLE_REVOKE : AUDIT_ACTIONS.ROLE_GRANT,
            target: `user:${user.id}`,
            detail: { userId: user.id, username: user.username, previousRole, role: input.role },
          }),
          select: { id: true },
        });
        return entry.id;
      },
      { isolationLevel: "Serializable" },
    );
  } catch (error) {
    // PostgreSQL's serialization failure: another role change committed first. Nothing was written.
    if ((error as { code?: unknown }).code === "P2034") throw new RoleChangeRefused("busy", "another role change happened at the same moment; nothing was changed, please try again.");
    throw error;
  }
}

export interface RoleHolder {
  readonly username: string;
  readonly role: Role;
}

/** Everyone with a dashboard role: admins first, then security, then viewers, each by username. */
export async function listRoleHolders(prisma: AppPrismaClient): Promise<RoleHolder[]> {
  const rows = await prisma.userRole.findMany({ select: { role: true, user: { select: { username: true } } } });
  return rows
    .flatMap((row) => (isRole(row.role) ? [{ username: row.user.username, role: row.role }] : []))
    .sort((a, b) => ROLES.indexOf(a.role) - ROLES.indexOf(b.role) || a.username.localeCompare(b.username));
}

/** How many users hold the admin role. */
export function countAdmins(prisma: AppPrismaClient): Promise<number> {
  return prisma.userRole.count({ where: { role: "admin" } });
}
