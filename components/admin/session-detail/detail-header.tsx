import Link from "next/link";
import type { ReactNode } from "react";
import type { AdminSessionDetail } from "@/lib/admin-api";
import { expiryStatus } from "@/lib/admin-format";
import { DeviceLabel } from "../sessions/device-label";
import { StatusBadge } from "../sessions/status-badge";
import { CopyButton } from "./copy-button";

/** Who, on what, from where, and the opaque id (copyable): the first line of a session's page. */
export function DetailHeader({ session, now, ended, actions }: { session: AdminSessionDetail; now: number; ended: boolean; actions?: ReactNode }) {
  return (
    <header className="flex flex-wrap items-start justify-between gap-4">
      <div className="min-w-0">
        <div className="flex flex-wrap items-center gap-2">
          <h1 className="text-xl font-semibold tracking-tight">
            {session.user ? (
              <>
                Session of{" "}
                <Link href={`/admin/sessions?user=${encodeURIComponent(session.user.username)}`} className="text-amber-800 underline decoration-amber-800/30 underline-offset-4 hover:decoration-amber-800 dark:text-amber-400 dark:decoration-amber-400/40">
                  {session.user.username}
                </Link>
              </>
            ) : (
              "Anonymous session"
            )}
          </h1>
          {ended ? <StatusBadge status="ended" /> : <StatusBadge status={expiryStatus(session, now)} />}
          {session.flags.includes("undecodable") ? <StatusBadge status="flagged" /> : null}
          {session.flags.includes("ip_or_device_changed") ? <StatusBadge status="moved" /> : null}
        </div>
        <dl className="mt-2 flex flex-wrap items-center gap-x-5 gap-y-1 text-sm text-stone-600 dark:text-stone-400">
          <div className="flex min-w-0 items-center gap-1.5">
            <dt className="sr-only">Device</dt>
            <dd className="min-w-0"><DeviceLabel device={session.device} /></dd>
          </div>
          <div className="flex items-center gap-1.5">
            <dt>IP</dt>
            <dd className="font-mono text-xs tabular-nums text-stone-900 dark:text-stone-100">{session.ip ?? "unknown"}</dd>
          </div>
          <div className="flex items-center gap-1.5">
            <dt>ID</dt>
            <dd className="flex items-center gap-1">
              <code className="font-mono text-xs text-stone-900 dark:text-stone-100">{session.id}</code>
              <CopyButton value={session.id} label="Copy the session's public id" />
            </dd>
          </div>
        </dl>
      </div>
      {actions ? <div className="flex flex-wrap gap-2">{actions}</div> : null}
    </header>
  );
}
