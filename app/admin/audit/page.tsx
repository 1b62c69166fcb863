import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { AuditLog } from "@/components/admin/audit/audit-log";
import { NoAccess } from "@/components/admin/no-access";
import { auditQueryRecord, auditQueryString, readAuditFilters } from "@/lib/admin-audit";
import { getQueryClient } from "@/lib/query-client";
import { queryKeys } from "@/lib/query-keys";
import { checkAdminPage } from "@/lib/server/admin/access";
import { listAudit } from "@/lib/server/admin/audit";
import { auditQuerySchema } from "@/lib/server/admin/schemas";

export const metadata: Metadata = { title: "Audit log" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** The first page is read on the server and hydrated: the log is there on first paint; older pages load in the browser. */
export default async function AuditPage({ searchParams }: Props) {
  const filters = readAuditFilters(await searchParams);
  const access = await checkAdminPage("audit:view", `/admin/audit${auditQueryString(filters)}`);
  if (!access.ok) return <NoAccess username={access.username} role={access.role} />;
  const queryClient = getQueryClient();
  await queryClient.prefetchInfiniteQuery({
    queryKey: queryKeys.admin.audit.list(auditQueryRecord(filters)),
    queryFn: () => listAudit(access.user, auditQuerySchema.parse(auditQueryRecord(filters))),
    initialPageParam: null,
  });
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <AuditLog filters={filters} />
    </HydrationBoundary>
  );
}
