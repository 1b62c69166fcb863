import type { Metadata } from "next";
import { AuditLog } from "@/components/admin/audit/audit-log";
import { NoAccess } from "@/components/admin/no-access";
import { readAuditFilters } from "@/lib/admin-audit";
import { checkAdminPage } from "@/lib/server/admin/access";

export const metadata: Metadata = { title: "Audit log" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function AuditPage({ searchParams }: Props) {
  const access = await checkAdminPage("audit:view", "/admin/audit");
  if (!access.ok) return <NoAccess username={access.username} role={access.role} />;
  return <AuditLog filters={readAuditFilters(await searchParams)} />;
}
