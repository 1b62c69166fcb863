import { requireAdmin } from "@/lib/server/admin/access";
import { killSession } from "@/lib/server/admin/kills";
import { adminJson, adminRoute, readQuery } from "@/lib/server/admin/route";
import { parseAdminInput, publicIdParam, sessionDetailQuerySchema } from "@/lib/server/admin/schemas";
import { getSessionDetail } from "@/lib/server/admin/sessions";

type Params = Promise<{ id: string }>;

export const GET = adminRoute<Params>(async (request, { session, params }) => {
  const caller = await requireAdmin(session, "sessions:view");
  const id = parseAdminInput(publicIdParam, (await params).id);
  const { reveal } = readQuery(request, sessionDetailQuerySchema);
  return adminJson(await getSessionDetail(caller, id, { revealHash: reveal === "hash" }));
});

export const DELETE = adminRoute<Params>(async (_request, { session, params, info }) => {
  const caller = await requireAdmin(session, "sessions:kill");
  const id = parseAdminInput(publicIdParam, (await params).id);
  return adminJson(await killSession(caller, id, info));
});
