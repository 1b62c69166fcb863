import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import { Suspense } from "react";
import { NoAccess } from "@/components/admin/no-access";
import { SessionsSkeleton } from "@/components/admin/sessions/sessions-skeleton";
import { SessionsView } from "@/components/admin/sessions/sessions-view";
import { effectiveSessionQuery, readSessionQuery, sessionQueryString } from "@/lib/admin-sessions-query";
import { getQueryClient } from "@/lib/query-client";
import { queryKeys } from "@/lib/query-keys";
import { checkAdminPage } from "@/lib/server/admin/access";
import { sessionQuerySchema } from "@/lib/server/admin/schemas";
import { listSessions } from "@/lib/server/admin/sessions";
import { getSessionSetup } from "@/lib/server/admin/session-keys";

export const metadata: Metadata = { title: "Sessions" };

export default async function SessionsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const query = readSessionQuery(await searchParams);
  const access = await checkAdminPage("sessions:view", `/admin/sessions${sessionQueryString(query)}`);
  if (!access.ok) return <NoAccess username={access.username} role={access.role} />;

  // The first page arrives with the HTML, under the key the client asks with; a query the
  // API would refuse (or a failing read) is left to the client, which shows the error state.
  const effective = effectiveSessionQuery(query);
  const parsed = sessionQuerySchema.safeParse(effective);
  const queryClient = getQueryClient();
  if (parsed.success) {
    await queryClient.prefetchQuery({ queryKey: queryKeys.admin.sessions.list(effective), queryFn: () => listSessions(access.user, parsed.data) });
  }
  return (
    <div className="flex flex-col gap-4">
      <header>
        <h1 className="text-xl font-semibold tracking-tight">Sessions</h1>
        <p className="mt-1 text-sm text-stone-600 dark:text-stone-400">
          Every session the store holds: who, from where, and when it ends. Open one to read its data and timeline.
        </p>
      </header>
      <HydrationBoundary state={dehydrate(queryClient)}>
        <Suspense fallback={<SessionsSkeleton />}>
          <SessionsView role={access.user.role} setup={getSessionSetup()} />
        </Suspense>
      </HydrationBoundary>
    </div>
  );
}
