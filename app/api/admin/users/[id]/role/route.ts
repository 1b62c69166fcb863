import { requireAdmin } from "@/lib/server/admin/access";
import { adminJson, adminRoute, readBody } from "@/lib/server/admin/route";
import { parseAdminInput, roleChangeSchema, userIdParam } from "@/lib/server/admin/schemas";
import { changeUserRole } from "@/lib/server/admin/users";

export const PUT = adminRoute<Promise<{ id: string }>>(async (request, { session, params, info }) => {
  const caller = await requireAdmin(session, "users:manage");
  const userId = parseAdminInput(userIdParam, (await params).id);
  const { role } = await readBody(request, roleChangeSchema);
  const result = await changeUserRole(caller, userId, role, info);
  // An admin who changed their own role has just ended this session too: the answer clears its cookie.
  if (result.user.id === caller.id && result.previousRole !== result.user.role) await session.flush();
  return adminJson(result);
});
