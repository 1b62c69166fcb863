import { requireAdmin } from "@/lib/server/admin/access";
import { adminJson, adminRoute, readQuery } from "@/lib/server/admin/route";
import { userQuerySchema } from "@/lib/server/admin/schemas";
import { listUsers } from "@/lib/server/admin/users";

export const GET = adminRoute(async (request, { session }) => {
  const caller = await requireAdmin(session, "users:manage");
  return adminJson(await listUsers(caller, readQuery(request, userQuerySchema)));
});
