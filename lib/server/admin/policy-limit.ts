import "server-only";
/**
 * The per-user session limit (`maxSessionsPerUser`): when a login would give
 * a user more sessions than the policy allows, their oldest sessions end, so
 * that with the new one they hold exactly the limit. Kills go through the
 * engine (caches follow) and are audited as the system's `session.limit`.
 *
 * It needs the engine's per-user index (listByUser): the file and
 * signed-cookie engines have none, and there the limit cannot apply (the
 * policy page says so). Two logins of one user at the same instant may each
 * count the other's session as not yet there: the limit is then exceeded by
 * one until the next login.
 */
import { supportsUserIndex, type SessionListItem, type SessionStore } from "@/lib/session";
import { AUDIT_ACTIONS, type AuditActor } from "../../node/admin/audit.ts";
import { killSessions } from "../../node/admin/kill.ts";
import type { AppPrismaClient } from "../../node/db/connection.ts";
import { publishAdminEvent } from "../events.ts";

/** The limit acts on nobody's behalf: the policy ends the sessions, at the user's own login. */
export const SYSTEM_ACTOR: AuditActor = { id: null, username: "system", ip: null, userAgent: null };

const oldestFirst = (a: SessionListItem, b: SessionListItem) => (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0) || a.key.localeCompare(b.key);

/**
 * Ends the user's oldest sessions beyond `limit - 1`, leaving room for the
 * session `keepKey` that is logging in. Returns how many ended (0 where the
 * engine keeps no per-user index).
 */
export async function enforceSessionLimit(
  prisma: AppPrismaClient,
  store: SessionStore,
  user: { readonly id: number; readonly username: string },
  keepKey: string | null,
  limit: number,
  now: Date = new Date(),
): Promise<number> {
  if (!supportsUserIndex(store)) return 0;
  const others = (await store.listByUser(String(user.id), now)).filter((item) => item.key !== keepKey && item.expireDate > now).sort(oldestFirst);
  const excess = others.length + 1 - limit;
  if (excess <= 0) return 0;
  const keys = others.slice(0, excess).map((item) => item.key);
  const { revoked } = await killSessions(prisma, store, { keys }, {
    actor: SYSTEM_ACTOR,
    action: AUDIT_ACTIONS.SESSION_LIMIT,
    target: `user:${user.id}`,
    detail: { userId: user.id, username: user.username, limit, reason: "session limit" },
  });
  if (revoked > 0) publishAdminEvent({ type: "session.killed", userId: user.id, count: revoked });
  return revoked;
}
