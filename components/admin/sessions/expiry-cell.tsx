"use client";

import type { AdminSessionRow } from "@/lib/admin-api";
import { expiryStatus } from "@/lib/admin-format";
import { RelativeTime } from "../../ui/relative-time";
import { useSessionsList } from "./sessions-list-context";

const BAR = { active: "bg-stone-500 dark:bg-stone-400", expiring: "bg-amber-500", expired: "bg-transparent" } as const;

/** "in 3 days" over a thin bar from now to the expiry, on the axis every row of the page shares. */
export function ExpiryCell({ row }: { row: AdminSessionRow }) {
  const { now, axis } = useSessionsList();
  const status = expiryStatus(row, now);
  const width = status === "expired" ? 0 : Math.max(1.5, axis.position(Date.parse(row.expiresAt)) * 100);
  return (
    <div className="w-full min-w-32">
      <RelativeTime iso={row.expiresAt} since={now} className={status === "expired" ? "text-stone-500 dark:text-stone-400" : ""} />
      <div aria-hidden className="mt-1 h-1 w-full rounded-full bg-stone-200/80 dark:bg-stone-800">
        <div className={`h-full rounded-full ${BAR[status]}`} style={{ width: `${width}%` }} />
      </div>
    </div>
  );
}
