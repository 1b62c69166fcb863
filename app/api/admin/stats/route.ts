import { requireAdmin } from "@/lib/server/admin/access";
import { adminJson, adminRoute } from "@/lib/server/admin/route";
import { getAdminStats } from "@/lib/server/admin/stats";

export const GET = adminRoute(async (_request, { session }) => {
  const caller = await requireAdmin(session, "sessions:view");
  return adminJson(await getAdminStats(caller));
});
