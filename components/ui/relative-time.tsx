"use client";

import { formatDateTime, formatRelativeTime } from "@/lib/format";
import { useNow } from "../shop/use-now";

/**
 * "in 3 days", with the exact UTC time on hover and on keyboard focus
 * (a focusable <time> with a title and an accessible label). `since` is the
 * server's "now" for the data shown, so server and browser render the same text.
 * An `estimated` time reads "≈ 3 days ago", and its title and label say how it was estimated.
 */
export function RelativeTime({ iso, since, className, estimated }: { iso: string | null; since: number; className?: string; estimated?: string }) {
  const now = useNow(since);
  if (!iso) return <span className={className}>—</span>;
  const exact = formatDateTime(iso);
  const relative = formatRelativeTime(iso, now);
  const title = estimated ? `about ${exact}: ${estimated}` : exact;
  return (
    <time
      dateTime={iso}
      title={title}
      aria-label={estimated ? `about ${relative} (${title})` : `${relative} (${exact})`}
      tabIndex={0}
      data-estimated={estimated ? "" : undefined}
      className={`tabular-nums focus-visible:outline-2 focus-visible:outline-amber-600 ${estimated ? "cursor-help underline decoration-dotted decoration-stone-400 underline-offset-2" : ""} ${className ?? ""}`}
    >
      {estimated ? `≈ ${relative}` : relative}
    </time>
  );
}
