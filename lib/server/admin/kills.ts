import "server-only";
/**
 * Ending sessions from the dashboard: one, the selected ones, every session
 * of a user, every session issued before a moment. Each is checked against
 * the caller's role here, goes through the engine (so caches follow) and is
 * audited with the exact number of sessions it ended.
 */
import type { RevokeResult } from "@/lib/admin-api";
import { AUDIT_ACTIONS } from "../../node/admin/audit.ts";
import { KillUnsupported, killSessions, type KillTarget } from "../../node/admin/kill.ts";
import type { RequestInfo } from "../../node/session/request-info.ts";
import { publishAdminEvent } from "../events.ts";
import { API_ERRORS, HttpError } from "../http.ts";
import { assertPermission, auditActor, type AdminUser } from "./access.ts";
import { appAdminContext, type AdminContext } from "./context.ts";
import type { RevokeInput } from "./schemas.ts";
import { findSessionKeys } from "./session-keys.ts";

/** How far in the future "issued before" may reach (clock skew between the browser and the server). */
const ISSUED_BEFORE_SLACK_MS = 60_000;

async function run(context: AdminContext, target: KillTarget, audit: Parameters<typeof killSessions>[3]): Promise<RevokeResult> {
  try {
    const result = await killSessions(context.prisma, context.runtime.store, target, audit);
    publishAdminEvent({ type: "session.killed", count: result.revoked, userId: "userId" in target ? Number(target.userId) : null });
    return result;
  } catch (error) {
    // The request is fine; this server's engine cannot do it (a 5xx, so nothing is saved).
    if (error instanceof KillUnsupported) throw new HttpError(501, API_ERRORS.NOT_IMPLEMENTED, `This server's session engine cannot do that: ${error.message}.`);
    throw error;
  }
}

/** DELETE /api/admin/sessions/:id: ends one session; 404 when there is no such session. */
export async function killSession(caller: AdminUser, publicId: string, info: RequestInfo, context: AdminContext = appAdminContext()): Promise<RevokeResult> {
  assertPermission(caller, "sessions:kill");
  const key = (await findSessionKeys(context, [publicId])).get(publicId);
  if (!key) throw new HttpError(404, API_ERRORS.NOT_FOUND, "No such session: it may have ended or been killed already.");
  const result = await run(context, { keys: [key] }, { actor: auditActor(caller, info), action: AUDIT_ACTIONS.SESSION_KILL, target: publicId });
  if (result.revoked === 0) throw new HttpError(404, API_ERRORS.NOT_FOUND, "No such session: it ended or was killed meanwhile.");
  return result;
}

/** POST /api/admin/sessions/revoke: the selected sessions, a user's, or all issued before a moment. */
export async function revokeSessions(caller: AdminUser, input: RevokeInput, info: RequestInfo, context: AdminContext = appAdminContext()): Promise<RevokeResult> {
  assertPermission(caller, "sessions:kill");
  const actor = auditActor(caller, info);
  if ("ids" in input) {
    const ids = [...new Set(input.ids)];
    const keys = await findSessionKeys(context, ids);
    return run(context, { keys: [...keys.values()] }, {
      actor,
      action: AUDIT_ACTIONS.SESSIONS_KILL_SELECTED,
      target: `${ids.length} selected`,
      detail: { ids, found: keys.size },
    });
  }
  if ("userId" in input) {
    const user = await context.prisma.authUser.findUnique({ where: { id: input.userId }, select: { id: true, username: true } });
    if (!user) throw new HttpError(404, API_ERRORS.NOT_FOUND, "No such user.");
    return run(context, { userId: String(user.id) }, {
      actor,
      action: AUDIT_ACTIONS.SESSIONS_KILL_USER,
      target: `user:${user.id}`,
      detail: { userId: user.id, username: user.username },
    });
  }
  if (input.issuedBefore.getTime() > context.now().getTime() + ISSUED_BEFORE_SLACK_MS) {
    throw new HttpError(400, API_ERRORS.VALIDATION, "issuedBefore: is in the future; to end every session, use the current time.");
  }
  const issuedBefore = input.issuedBefore.toISOString();
  return run(context, { issuedBefore: input.issuedBefore }, {
    actor,
    action: AUDIT_ACTIONS.SESSIONS_KILL_ISSUED_BEFORE,
    target: issuedBefore,
    detail: { issuedBefore },
  });
}
