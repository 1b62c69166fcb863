import { Store } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";
import { type Theme, themeClass } from "@/lib/admin-theme";
import type { Role } from "@/lib/roles";
import { LogoutButton } from "../shop/logout-button";
import { Toaster } from "../ui/toaster";
import { AdminNav } from "./admin-nav";
import { LiveIndicator } from "./live/live-indicator";
import { ThemeToggle } from "./theme-toggle";

export const ROLE_BADGE: Record<Role, string> = {
  admin: "bg-amber-100 text-amber-900 dark:bg-amber-500/15 dark:text-amber-300",
  security: "bg-sky-100 text-sky-900 dark:bg-sky-500/15 dark:text-sky-300",
  viewer: "bg-stone-200 text-stone-700 dark:bg-stone-700/60 dark:text-stone-200",
};

/** The dashboard's frame: its own colours (and dark mode), a sidebar, content up to reading width. */
export function AdminFrame({ theme, children }: { theme: Theme; children: ReactNode }) {
  return (
    <div id="admin-root" className={`${themeClass(theme)} min-h-screen bg-stone-50 text-stone-900 dark:bg-stone-950 dark:text-stone-100`}>
      <div className="dark:[color-scheme:dark]">{children}</div>
    </div>
  );
}

export function AdminShell({ user, theme, children }: { user: { username: string; role: Role }; theme: Theme; children: ReactNode }) {
  return (
    <AdminFrame theme={theme}>
      {/* Below md the sidebar becomes a bar across the top, so a phone keeps the whole width for the content. */}
      <div className="flex min-h-screen flex-col md:flex-row">
        <aside className="flex w-full shrink-0 flex-col gap-3 border-b border-stone-200 bg-stone-100/60 px-3 py-3 md:sticky md:top-0 md:h-screen md:w-56 md:gap-0 md:border-r md:border-b-0 md:py-4 dark:border-stone-800 dark:bg-stone-900/60">
          <Link href="/admin" className="px-2.5 text-base font-semibold tracking-tight md:mb-6">
            SessionScope <span className="text-amber-700 dark:text-amber-500">Admin</span>
          </Link>
          <AdminNav role={user.role} />
          <div className="flex flex-wrap items-center gap-x-5 gap-y-2 border-t border-stone-200 px-2.5 pt-3 text-sm md:mt-auto md:flex-col md:flex-nowrap md:items-stretch md:gap-3 dark:border-stone-800">
            <LiveIndicator />
            <Link href="/" className="flex items-center gap-2 text-stone-600 hover:text-stone-900 dark:text-stone-400 dark:hover:text-stone-100">
              <Store aria-hidden className="size-4" /> Shop
            </Link>
            <div className="flex items-center justify-between gap-2">
              <div className="min-w-0">
                <p className="truncate font-medium" title={user.username}>{user.username}</p>
                <span className={`mt-0.5 inline-block rounded px-1.5 py-0.5 text-xs font-medium ${ROLE_BADGE[user.role]}`}>{user.role}</span>
              </div>
              <ThemeToggle theme={theme} />
            </div>
            <div className="text-stone-600 dark:text-stone-400">
              <LogoutButton />
            </div>
          </div>
        </aside>
        <main id="admin-main" className="min-w-0 flex-1 px-4 py-5 sm:px-8 sm:py-6">
          <Toaster>{children}</Toaster>
        </main>
      </div>
    </AdminFrame>
  );
}
