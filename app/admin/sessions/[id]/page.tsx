import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import { NoAccess } from "@/components/admin/no-access";
import { SessionDetailView } from "@/components/admin/session-detail/session-detail-view";
import { getQueryClient } from "@/lib/query-client";
import { queryKeys } from "@/lib/query-keys";
import { checkAdminPage } from "@/lib/server/admin/access";
import { publicIdParam } from "@/lib/server/admin/schemas";
import { getSessionDetail } from "@/lib/server/admin/sessions";

export const metadata: Metadata = { title: "Session" };

export default async function SessionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const access = await checkAdminPage("sessions:view", `/admin/sessions/${encodeURIComponent(id)}`);
  if (!access.ok) return <NoAccess username={access.username} role={access.role} />;

  // Prefetched with the page; an unknown id (404) is not cached, so the client asks once and shows "not found".
  const queryClient = getQueryClient();
  if (publicIdParam.safeParse(id).success) {
    await queryClient.prefetchQuery({ queryKey: queryKeys.admin.sessions.detail(id), queryFn: () => getSessionDetail(access.user, id) });
  }
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <SessionDetailView id={id} role={access.user.role} />
    </HydrationBoundary>
  );
}
