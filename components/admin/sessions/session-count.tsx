import { LoaderCircle } from "lucide-react";
import type { AdminSessionPage } from "@/lib/admin-api";
import { formatCount, formatNumber } from "@/lib/admin-format";

/**
 * "1,024 sessions match these filters · 50 on this page" ("1,000+ sessions match" when the
 * server stopped counting), with a spinner while a newer page loads.
 */
export function SessionCount({ page, filtered, fetching }: { page: AdminSessionPage | undefined; filtered: boolean; fetching: boolean }) {
  const counted = page && page.listing !== "none";
  return (
    <p aria-live="polite" className="flex items-center gap-2 text-sm text-stone-600 dark:text-stone-400">
      {counted ? (
        <span>
          <strong className="font-semibold text-stone-900 tabular-nums dark:text-stone-100">
            {page.totalIsLowerBound ? `${formatNumber(page.total)}+ sessions` : formatCount(page.total, "session")}
          </strong>
          {filtered ? ` ${page.total === 1 && !page.totalIsLowerBound ? "matches" : "match"} these filters` : null}
          {page.items.length < page.total ? <span className="tabular-nums"> · {formatNumber(page.items.length)} on this page</span> : null}
        </span>
      ) : null}
      {fetching ? <LoaderCircle aria-label="Updating" className="size-4 animate-spin text-stone-400" /> : null}
    </p>
  );
}
