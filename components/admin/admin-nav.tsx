"use client";

import { LayoutDashboard, ListTree, ScrollText, SlidersHorizontal, Users } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { can, type Role } from "@/lib/roles";

const ITEMS = [
  { href: "/admin", label: "Overview", icon: LayoutDashboard, permission: "sessions:view" },
  { href: "/admin/sessions", label: "Sessions", icon: ListTree, permission: "sessions:view" },
  { href: "/admin/audit", label: "Audit log", icon: ScrollText, permission: "audit:view" },
  { href: "/admin/policy", label: "Policy", icon: SlidersHorizontal, permission: "policy:edit" },
  { href: "/admin/users", label: "Users", icon: Users, permission: "users:manage" },
] as const;

/** The sidebar's links: only what the role can open, the current page marked for screen readers too. */
export function AdminNav({ role }: { role: Role }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Dashboard" className="flex flex-wrap gap-0.5 md:flex-col md:flex-nowrap">
      {ITEMS.filter((item) => can(role, item.permission)).map(({ href, label, icon: Icon }) => {
        // The overview's path is every page's prefix: it is current only on itself.
        const current = pathname === href || (href !== "/admin" && pathname.startsWith(`${href}/`));
        return (
          <Link
            key={href}
            href={href}
            aria-current={current ? "page" : undefined}
            className={`flex items-center gap-2.5 rounded-md px-2.5 py-1.5 text-sm font-medium focus-visible:outline-2 focus-visible:outline-amber-600 ${
              current
                ? "bg-stone-200/70 text-stone-900 dark:bg-stone-800 dark:text-stone-50"
                : "text-stone-600 hover:bg-stone-200/50 hover:text-stone-900 dark:text-stone-400 dark:hover:bg-stone-800/60 dark:hover:text-stone-100"
            }`}
          >
            <Icon aria-hidden className="size-4" />
            {label}
          </Link>
        );
      })}
    </nav>
  );
}
