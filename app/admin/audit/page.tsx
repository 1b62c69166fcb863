import type { Metadata } from "next";
import { AuditLog } from "@/components/admin/audit/audit-log";
import { NoAccess } from "@/components/admin/no-access";
import { auditQueryString, readAuditFilters } from "@/lib/admin-audit";
import { checkAdminPage } from "@/lib/server/admin/access";

export const metadata: Metadata = { title: "Audit log" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function AuditPage({ searchParams }: Props) {
  const filters = readAuditFilters(await searchParams);
  const access = await checkAdminPage("audit:view", `/admin/audit${auditQueryString(filters)}`);
  if (!access.ok) return <NoAccess username={access.username} role={access.role} />;
  return <AuditLog filters={filters} />;
}
