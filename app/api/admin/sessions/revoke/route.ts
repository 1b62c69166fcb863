import { requireAdmin } from "@/lib/server/admin/access";
import { revokeSessions } from "@/lib/server/admin/kills";
import { adminRoute, adminJson, readBody } from "@/lib/server/admin/route";
import { revokeSchema } from "@/lib/server/admin/schemas";
import { API_ERRORS, HttpError } from "@/lib/server/http";

export const POST = adminRoute(async (request, { session, info }) => {
  const caller = await requireAdmin(session, "sessions:kill");
  return adminJson(await revokeSessions(caller, await readBody(request, revokeSchema), info));
});

// This path also reads as /api/admin/sessions/:id with the id "revoke": answer as that route would
// (no such session), rather than Next's bare 405.
const noSuchSession = (permission: "sessions:view" | "sessions:kill") =>
  adminRoute(async (_request, { session }) => {
    await requireAdmin(session, permission);
    throw new HttpError(404, API_ERRORS.NOT_FOUND, "No such session: it may have ended or been killed.");
  });

export const GET = noSuchSession("sessions:view");
export const DELETE = noSuchSession("sessions:kill");
