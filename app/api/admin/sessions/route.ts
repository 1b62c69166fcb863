import { requireAdmin } from "@/lib/server/admin/access";
import { adminJson, adminRoute, readQuery } from "@/lib/server/admin/route";
import { sessionQuerySchema } from "@/lib/server/admin/schemas";
import { listSessions } from "@/lib/server/admin/sessions";

export const GET = adminRoute(async (request, { session }) => {
  const caller = await requireAdmin(session, "sessions:view");
  return adminJson(await listSessions(caller, readQuery(request, sessionQuerySchema)));
});
