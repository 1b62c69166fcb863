import { ShieldAlert } from "lucide-react";
import Link from "next/link";
import type { Role } from "@/lib/roles";

/** What a signed-in user sees where their role does not reach: why, and where to go instead. */
export function NoAccess({ username, role }: { username: string; role: Role | null }) {
  return (
    <div role="alert" className="mx-auto mt-16 max-w-md rounded-lg border border-stone-200 bg-white p-8 text-center shadow-sm dark:border-stone-700 dark:bg-stone-900">
      <ShieldAlert aria-hidden className="mx-auto size-10 text-amber-600" />
      <h1 className="mt-4 text-lg font-semibold">403: not for this account</h1>
      <p className="mt-2 text-sm text-stone-600 dark:text-stone-400">
        {role
          ? `You are signed in as ${username} with the ${role} role, which cannot open this page.`
          : `You are signed in as ${username}, who has no dashboard role. An admin can grant one on the Users page, or with \`npx sessionscope role grant ${username} viewer\`.`}
      </p>
      <p className="mt-6 flex justify-center gap-4 text-sm">
        <Link href={role ? "/admin" : "/"} className="font-medium text-amber-700 underline underline-offset-2 dark:text-amber-500">
          {role ? "Back to the overview" : "Back to the shop"}
        </Link>
      </p>
    </div>
  );
}
