import { requireAdmin } from "@/lib/server/admin/access";
import { previewPolicy } from "@/lib/server/admin/policy";
import { policySettingsSchema } from "@/lib/server/admin/policy-schema";
import { adminJson, adminRoute, readBody } from "@/lib/server/admin/route";

export const POST = adminRoute(async (request, { session }) => {
  const caller = await requireAdmin(session, "sessions:view");
  return adminJson(await previewPolicy(caller, await readBody(request, policySettingsSchema)));
});
