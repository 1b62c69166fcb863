import type { Metadata } from "next";
import { Suspense } from "react";
import { NoAccess } from "@/components/admin/no-access";
import { SessionsSkeleton } from "@/components/admin/sessions/sessions-skeleton";
import { SessionsView } from "@/components/admin/sessions/sessions-view";
import { readSessionQuery, sessionQueryString } from "@/lib/admin-sessions-query";
import { checkAdminPage } from "@/lib/server/admin/access";

export const metadata: Metadata = { title: "Sessions" };

export default async function SessionsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const query = readSessionQuery(await searchParams);
  const access = await checkAdminPage("sessions:view", `/admin/sessions${sessionQueryString(query)}`);
  if (!access.ok) return <NoAccess username={access.username} role={access.role} />;
  return (
    <div className="flex flex-col gap-4">
      <header>
        <h1 className="text-xl font-semibold tracking-tight">Sessions</h1>
        <p className="mt-1 text-sm text-stone-600 dark:text-stone-400">
          Every session the store holds: who, from where, and when it ends. Open one to read its data and timeline.
        </p>
      </header>
      <Suspense fallback={<SessionsSkeleton />}>
        <SessionsView role={access.user.role} />
      </Suspense>
    </div>
  );
}
