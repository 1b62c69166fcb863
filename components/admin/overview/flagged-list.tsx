import { ShieldCheck } from "lucide-react";
import Link from "next/link";
import type { AdminStats } from "@/lib/admin-api";
import { sessionQueryString } from "@/lib/admin-sessions-query";
import { RelativeTime } from "../../ui/relative-time";
import { StatusBadge } from "../sessions/status-badge";

/** The latest live sessions seen from a second address or device family, each a link to its detail. */
export function FlaggedList({ flagged, now }: { flagged: NonNullable<AdminStats["flagged"]>; now: number }) {
  if (flagged.total === 0) {
    return (
      <p className="flex items-center gap-2 text-sm text-stone-600 dark:text-stone-400">
        <ShieldCheck aria-hidden className="size-4 text-emerald-600 dark:text-emerald-400" /> No live session has changed address or device.
      </p>
    );
  }
  return (
    <div className="flex flex-col gap-3">
      <ul className="flex flex-col divide-y divide-stone-100 dark:divide-stone-800">
        {flagged.latest.map((row) => (
          <li key={row.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2 text-sm first:pt-0">
            <StatusBadge status="moved" />
            <Link
              href={`/admin/sessions/${encodeURIComponent(row.id)}`}
              className="font-medium underline decoration-stone-300 underline-offset-2 hover:decoration-amber-600 focus-visible:outline-2 focus-visible:outline-amber-600 dark:decoration-stone-600"
            >
              {row.user?.username ?? "anonymous"}
              <span className="sr-only"> session {row.id}</span>
            </Link>
            <span className="font-mono text-xs text-stone-600 dark:text-stone-400">{row.ip ?? "no address"}</span>
            <span className="text-xs text-stone-600 dark:text-stone-400">{row.device?.label ?? "unknown device"}</span>
            <span className="ml-auto text-xs text-stone-500 dark:text-stone-400">
              flagged <RelativeTime iso={row.flaggedAt} since={now} />
            </span>
          </li>
        ))}
      </ul>
      <Link
        href={`/admin/sessions${sessionQueryString({ flagged: "1" })}`}
        className="self-start text-sm font-medium text-amber-800 underline underline-offset-2 focus-visible:outline-2 focus-visible:outline-amber-600 dark:text-amber-400"
      >
        All {flagged.total.toLocaleString("en-US")} flagged {flagged.total === 1 ? "session" : "sessions"}
      </Link>
    </div>
  );
}
