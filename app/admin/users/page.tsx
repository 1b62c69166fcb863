import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { pageLead, pageTitle } from "@/components/admin/admin-ui";
import { NoAccess } from "@/components/admin/no-access";
import { RoleGuide } from "@/components/admin/users/role-guide";
import { UserSearch } from "@/components/admin/users/user-search";
import { UsersTable } from "@/components/admin/users/users-table";
import { USERS_SHOWN } from "@/lib/admin-users";
import { getQueryClient } from "@/lib/query-client";
import { queryKeys } from "@/lib/query-keys";
import { checkAdminPage } from "@/lib/server/admin/access";
import { userQuerySchema } from "@/lib/server/admin/schemas";
import { listUsers } from "@/lib/server/admin/users";

export const metadata: Metadata = { title: "Users" };

type Props = { searchParams: Promise<{ q?: string | string[] }> };

export default async function UsersPage({ searchParams }: Props) {
  const raw = (await searchParams).q;
  const q = (Array.isArray(raw) ? raw[0] : raw)?.trim().slice(0, 150) ?? "";
  const access = await checkAdminPage("users:manage", `/admin/users${q ? `?q=${encodeURIComponent(q)}` : ""}`);
  if (!access.ok) return <NoAccess username={access.username} role={access.role} />;
  const queryClient = getQueryClient();
  await queryClient.prefetchQuery({ queryKey: queryKeys.admin.users.list(q), queryFn: () => listUsers(access.user, userQuerySchema.parse({ ...(q && { q }), limit: USERS_SHOWN })) });
  return (
    <div className="mx-auto max-w-6xl">
      <h1 className={pageTitle}>Users</h1>
      <p className={pageLead}>Who may open the dashboard, and with which role. Only admins see this page.</p>
      <div className="mt-5 grid items-start gap-5 xl:grid-cols-[minmax(0,1fr)_18rem]">
        <div className="flex min-w-0 flex-col gap-3">
          <UserSearch q={q} />
          <HydrationBoundary state={dehydrate(queryClient)}>
            <UsersTable currentUserId={access.user.id} q={q} />
          </HydrationBoundary>
        </div>
        <RoleGuide />
      </div>
    </div>
  );
}
