import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import { pageLead, pageTitle } from "@/components/admin/admin-ui";
import { NoAccess } from "@/components/admin/no-access";
import { OverviewView } from "@/components/admin/overview/overview-view";
import { getQueryClient } from "@/lib/query-client";
import { queryKeys } from "@/lib/query-keys";
import { checkAdminPage } from "@/lib/server/admin/access";
import { getAdminStats } from "@/lib/server/admin/stats";

export const metadata: Metadata = { title: "Overview" };

/** The dashboard's home: every role may read it. */
export default async function OverviewPage() {
  const access = await checkAdminPage("sessions:view", "/admin");
  if (!access.ok) return <NoAccess username={access.username} role={access.role} />;
  // The numbers arrive with the HTML; a failing read is left to the client, which shows the error state.
  const queryClient = getQueryClient();
  await queryClient.prefetchQuery({ queryKey: queryKeys.admin.stats(), queryFn: () => getAdminStats(access.user) });
  return (
    <div className="flex flex-col gap-5">
      <header>
        <h1 className={pageTitle}>Overview</h1>
        <p className={pageLead}>Live sessions now, the last 24 hours against the 24 before, what ends over the next two weeks, and sessions that changed address or device.</p>
      </header>
      <HydrationBoundary state={dehydrate(queryClient)}>
        <OverviewView />
      </HydrationBoundary>
    </div>
  );
}
