import { Terminal } from "lucide-react";
import { ROLE_DESCRIPTIONS, ROLES } from "@/lib/roles";
import { RoleBadge } from "./role-badge";

/** What each role may do, and how a new deployment gets its first admin. */
export function RoleGuide() {
  return (
    <aside aria-labelledby="role-guide-heading" className="rounded-lg border border-stone-200 bg-white p-4 text-sm shadow-sm dark:border-stone-800 dark:bg-stone-900">
      <h2 id="role-guide-heading" className="font-semibold text-stone-900 dark:text-stone-100">Roles</h2>
      <dl className="mt-3 space-y-3">
        {ROLES.map((role) => (
          <div key={role}>
            <dt>
              <RoleBadge role={role} />
            </dt>
            <dd className="mt-1 text-stone-600 dark:text-stone-400">{ROLE_DESCRIPTIONS[role]}</dd>
          </div>
        ))}
      </dl>
      <p className="mt-4 border-t border-stone-200 pt-3 text-stone-600 dark:border-stone-800 dark:text-stone-400">
        A change of role ends that user&apos;s sessions, so the new role starts with a fresh login. Every change is in the audit log.
      </p>
      <div className="mt-4 border-t border-stone-200 pt-3 dark:border-stone-800">
        <h3 className="flex items-center gap-1.5 font-medium text-stone-900 dark:text-stone-100">
          <Terminal aria-hidden className="size-4" /> The first admin
        </h3>
        <p className="mt-1 text-stone-600 dark:text-stone-400">A new deployment has no admin yet. Make one on the server, as Django&apos;s createsuperuser does:</p>
        <code className="mt-2 block rounded bg-stone-100 px-2 py-1.5 font-mono text-xs text-stone-800 dark:bg-stone-950 dark:text-stone-200">
          npx sessionscope role grant USERNAME admin
        </code>
      </div>
    </aside>
  );
}
