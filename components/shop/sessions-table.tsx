"use client";

import { dangerButton, secondaryButton } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-error";
import { formatDateTime, formatRelativeTime } from "@/lib/format";
import { useMySessions, useSignOutOtherSessions, useSignOutSession } from "./account-sessions";
import { useNow } from "./use-now";

/** The user's sessions, prefetched on the server and refetched after every sign-out. */
export function SessionsTable() {
  const sessions = useMySessions();
  const now = useNow(sessions.dataUpdatedAt);
  const signOut = useSignOutSession();
  const signOutOthers = useSignOutOtherSessions();
  const rows = sessions.data ?? [];
  const others = rows.filter((row) => !row.current).length;

  return (
    <div className="flex flex-col gap-4">
      <FormError message={sessions.error?.message ?? signOut.error?.message ?? signOutOthers.error?.message} />
      <table className="w-full overflow-hidden rounded-lg border border-stone-200 bg-white text-sm shadow-sm">
        <caption className="sr-only">Your sessions</caption>
        <thead className="bg-stone-100 text-left text-stone-600">
          <tr>
            <th scope="col" className="px-4 py-2 font-medium">Device</th>
            <th scope="col" className="px-4 py-2 font-medium">IP address</th>
            <th scope="col" className="px-4 py-2 font-medium">Last activity</th>
            <th scope="col" className="px-4 py-2 font-medium">Created</th>
            <th scope="col" className="px-4 py-2"><span className="sr-only">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} data-session-id={row.id} className={`border-t border-stone-200 ${row.current ? "bg-amber-50/60" : ""}`}>
              <th scope="row" className="px-4 py-2 text-left font-medium">
                {row.device}
                {row.current ? <span className="ml-2 rounded-full bg-amber-200 px-2 py-0.5 text-xs font-semibold text-amber-950">This session</span> : null}
              </th>
              <td className="px-4 py-2 font-mono text-xs">{row.ip ?? "unknown"}</td>
              <td className="px-4 py-2">
                {row.lastActivity ? <time dateTime={row.lastActivity} title={formatDateTime(row.lastActivity)}>{formatRelativeTime(row.lastActivity, now)}</time> : "unknown"}
              </td>
              <td className="px-4 py-2">{row.createdAt ? <time dateTime={row.createdAt}>{formatDateTime(row.createdAt)}</time> : "unknown"}</td>
              <td className="px-4 py-2 text-right">
                <button
                  type="button"
                  className={secondaryButton}
                  disabled={signOut.isPending}
                  aria-label={row.current ? "Sign out this session" : `Sign out ${row.device} session`}
                  onClick={() => signOut.mutate(row.id)}
                >
                  Sign out
                </button>
              </td>
            </tr>
          ))}
          {rows.length === 0 && !sessions.isPending ? (
            <tr>
              <td colSpan={5} className="px-4 py-4 text-center text-stone-600">No sessions found.</td>
            </tr>
          ) : null}
        </tbody>
      </table>
      <div className="flex items-center justify-end gap-3">
        <p aria-live="polite" className="text-sm text-stone-600">
          {signOutOthers.isSuccess ? `Signed out ${signOutOthers.data.revoked} other session${signOutOthers.data.revoked === 1 ? "" : "s"}.` : null}
        </p>
        <button type="button" className={dangerButton} disabled={signOutOthers.isPending || others === 0} onClick={() => signOutOthers.mutate()}>
          {signOutOthers.isPending ? "Signing out…" : "Sign out all other sessions"}
        </button>
      </div>
    </div>
  );
}
