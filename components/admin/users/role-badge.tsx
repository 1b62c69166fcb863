import type { Role } from "@/lib/roles";
import { ROLE_BADGE } from "../admin-shell";

/** A role by name and colour (never colour alone); "no role" for shoppers. */
export function RoleBadge({ role }: { role: Role | null }) {
  if (!role) return <span className="text-sm text-stone-500 dark:text-stone-400">no role</span>;
  return <span className={`inline-block rounded px-1.5 py-0.5 text-xs font-medium ${ROLE_BADGE[role]}`}>{role}</span>;
}
