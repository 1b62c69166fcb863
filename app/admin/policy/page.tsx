import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { pageLead, pageTitle } from "@/components/admin/admin-ui";
import { NoAccess } from "@/components/admin/no-access";
import { PolicyView } from "@/components/admin/policy/policy-view";
import { getQueryClient } from "@/lib/query-client";
import { queryKeys } from "@/lib/query-keys";
import { checkAdminPage } from "@/lib/server/admin/access";
import { getPolicy } from "@/lib/server/admin/policy";

export const metadata: Metadata = { title: "Policy" };

/** The live session policy: admins only (as in the sidebar); other roles read it through GET /api/admin/policy. */
export default async function PolicyPage() {
  const access = await checkAdminPage("policy:edit", "/admin/policy");
  if (!access.ok) return <NoAccess username={access.username} role={access.role} />;
  const queryClient = getQueryClient();
  await queryClient.prefetchQuery({ queryKey: queryKeys.admin.policy.view, queryFn: () => getPolicy(access.user) });
  return (
    <div className="mx-auto max-w-6xl">
      <h1 className={pageTitle}>Session policy</h1>
      <p className={pageLead}>
        How long sessions live and how their cookie is sent, changed live: a save is in force from each session&apos;s next request, on every instance, without a restart. The
        preview shows what a change does to today&apos;s sessions before you save it.
      </p>
      <div className="mt-5">
        <HydrationBoundary state={dehydrate(queryClient)}>
          <PolicyView />
        </HydrationBoundary>
      </div>
    </div>
  );
}
