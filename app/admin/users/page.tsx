import type { Metadata } from "next";
import { pageLead, pageTitle } from "@/components/admin/admin-ui";
import { NoAccess } from "@/components/admin/no-access";
import { RoleGuide } from "@/components/admin/users/role-guide";
import { UsersTable } from "@/components/admin/users/users-table";
import { checkAdminPage } from "@/lib/server/admin/access";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const access = await checkAdminPage("users:manage", "/admin/users");
  if (!access.ok) return <NoAccess username={access.username} role={access.role} />;
  return (
    <div className="mx-auto max-w-6xl">
      <h1 className={pageTitle}>Users</h1>
      <p className={pageLead}>Who may open the dashboard, and with which role. Only admins see this page.</p>
      <div className="mt-5 grid items-start gap-5 xl:grid-cols-[minmax(0,1fr)_18rem]">
        <UsersTable currentUserId={access.user.id} />
        <RoleGuide />
      </div>
    </div>
  );
}
