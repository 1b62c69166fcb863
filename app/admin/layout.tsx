import type { Metadata } from "next";
import { cookies } from "next/headers";
import type { ReactNode } from "react";
import { AdminFrame, AdminShell } from "@/components/admin/admin-shell";
import { NoAccess } from "@/components/admin/no-access";
import { SignInRedirect } from "@/components/admin/sign-in-redirect";
import { parseTheme, THEME_COOKIE } from "@/lib/admin-theme";
import { readAdminAccess } from "@/lib/server/admin/access";

export const metadata: Metadata = { title: { default: "Dashboard", template: "%s · SessionScope Admin" } };

/**
 * The dashboard's frame, for signed-in users with a role. Each page checks
 * its own permission again (and the data layer once more): a layout alone
 * protects nothing.
 */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const theme = parseTheme((await cookies()).get(THEME_COOKIE)?.value);
  const access = await readAdminAccess("sessions:view");
  if (!access.ok) {
    return (
      <AdminFrame theme={theme}>
        {access.reason === "signed_out" ? <SignInRedirect /> : <NoAccess username={access.username} role={access.role} />}
      </AdminFrame>
    );
  }
  return (
    <AdminShell user={access.user} theme={theme}>
      {children}
    </AdminShell>
  );
}
