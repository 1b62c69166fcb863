"use client";

import { formatDateTime } from "@/lib/format";
import { formatAxisLabel } from "@/lib/admin-format";
import { useSessionsList } from "./sessions-list-context";

/** The ends of the page's shared expiry axis, under the column's title: "now" … "14 Dec". */
export function ExpiryAxis() {
  const { axis } = useSessionsList();
  const end = new Date(axis.end).toISOString();
  return (
    <span className="mt-0.5 flex justify-between gap-2 text-[11px] font-normal normal-case tracking-normal text-stone-500 tabular-nums dark:text-stone-400">
      <span>now</span>
      <span title={`The bars run from now to the latest expiry on this page, ${formatDateTime(end)}`}>{formatAxisLabel(axis.end, axis.end - axis.start)}</span>
    </span>
  );
}
