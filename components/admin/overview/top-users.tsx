import Link from "next/link";
import type { AdminStats } from "@/lib/admin-api";
import { sessionQueryString } from "@/lib/admin-sessions-query";

/** The users holding the most live sessions, each a link to their sessions in the list. */
export function TopUsers({ users }: { users: AdminStats["topUsers"] }) {
  if (users.length === 0) return <p className="text-sm text-stone-500 dark:text-stone-400">No signed-in sessions right now.</p>;
  return (
    <ol className="flex flex-col divide-y divide-stone-100 text-sm dark:divide-stone-800">
      {users.map(({ user, sessions }, index) => (
        <li key={user.id} className="flex items-center gap-3 py-2 first:pt-0 last:pb-0">
          <span aria-hidden className="w-4 text-right text-xs tabular-nums text-stone-400">{index + 1}</span>
          <Link
            href={`/admin/sessions${sessionQueryString({ user: user.username })}`}
            className="min-w-0 flex-1 truncate font-medium text-stone-900 underline decoration-stone-300 underline-offset-2 hover:decoration-amber-600 focus-visible:outline-2 focus-visible:outline-amber-600 dark:text-stone-100 dark:decoration-stone-600"
          >
            {user.username}
          </Link>
          <span className="tabular-nums text-stone-700 dark:text-stone-300">
            {sessions.toLocaleString("en-US")} <span className="text-xs text-stone-500 dark:text-stone-400">{sessions === 1 ? "session" : "sessions"}</span>
          </span>
        </li>
      ))}
    </ol>
  );
}
