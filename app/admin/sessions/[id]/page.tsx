import type { Metadata } from "next";
import { NoAccess } from "@/components/admin/no-access";
import { SessionDetailView } from "@/components/admin/session-detail/session-detail-view";
import { checkAdminPage } from "@/lib/server/admin/access";

export const metadata: Metadata = { title: "Session" };

export default async function SessionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const access = await checkAdminPage("sessions:view", `/admin/sessions/${encodeURIComponent(id)}`);
  if (!access.ok) return <NoAccess username={access.username} role={access.role} />;
  return <SessionDetailView id={id} role={access.user.role} />;
}
