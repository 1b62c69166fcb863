import { requireAdmin } from "@/lib/server/admin/access";
import { getPolicy, savePolicy } from "@/lib/server/admin/policy";
import { policyUpdateSchema } from "@/lib/server/admin/policy-schema";
import { adminJson, adminRoute, readBody } from "@/lib/server/admin/route";

export const GET = adminRoute(async (_request, { session }) => {
  const caller = await requireAdmin(session, "sessions:view");
  return adminJson(await getPolicy(caller));
});

export const PUT = adminRoute(async (request, { session, info }) => {
  const caller = await requireAdmin(session, "policy:edit");
  return adminJson(await savePolicy(caller, await readBody(request, policyUpdateSchema), info));
});
