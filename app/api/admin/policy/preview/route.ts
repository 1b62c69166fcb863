import { requireAdmin } from "@/lib/server/admin/access";
import { previewPolicy } from "@/lib/server/admin/policy";
import { policySettingsSchema } from "@/lib/server/admin/policy-schema";
import { adminJson, adminRoute, readBody, readQuery } from "@/lib/server/admin/route";
import { previewQuerySchema } from "@/lib/server/admin/schemas";

export const POST = adminRoute(async (request, { session }) => {
  const caller = await requireAdmin(session, "sessions:view");
  const { count } = readQuery(request, previewQuerySchema);
  return adminJson(await previewPolicy(caller, await readBody(request, policySettingsSchema), undefined, { exact: count === "exact" }));
});
