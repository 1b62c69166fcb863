import { requireAdmin } from "@/lib/server/admin/access";
import { auditCsvFilename, exportAuditCsv, listAudit } from "@/lib/server/admin/audit";
import { adminJson, adminRoute, readQuery } from "@/lib/server/admin/route";
import { auditQuerySchema } from "@/lib/server/admin/schemas";

export const GET = adminRoute(async (request, { session }) => {
  const caller = await requireAdmin(session, "audit:view");
  const filter = readQuery(request, auditQuerySchema);
  if (filter.format === "json") return adminJson(await listAudit(caller, filter));
  return new Response(exportAuditCsv(caller, filter), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${auditCsvFilename(new Date())}"`,
      "Cache-Control": "no-store",
    },
  });
});
