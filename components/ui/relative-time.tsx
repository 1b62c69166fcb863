"use client";

import { formatDateTime, formatRelativeTime } from "@/lib/format";
import { useNow } from "../shop/use-now";

/**
 * "in 3 days", with the exact UTC time on hover and on keyboard focus
 * (a focusable <time> with a title and an accessible label). `since` is the
 * server's "now" for the data shown, so server and browser render the same text.
 */
export function RelativeTime({ iso, since, className }: { iso: string | null; since: number; className?: string }) {
  const now = useNow(since);
  if (!iso) return <span className={className}>—</span>;
  const exact = formatDateTime(iso);
  return (
    <time dateTime={iso} title={exact} aria-label={`${formatRelativeTime(iso, now)} (${exact})`} tabIndex={0} className={`tabular-nums focus-visible:outline-2 focus-visible:outline-amber-600 ${className ?? ""}`}>
      {formatRelativeTime(iso, now)}
    </time>
  );
}
