import { ArrowDownRight, ArrowRight, ArrowUpRight } from "lucide-react";

/**
 * How a number moved against the 24 hours before: an arrow AND words
 * ("up 3 from 5"), never colour alone. Neither direction is painted good or
 * bad: more logins is not better than fewer kills.
 */
export function Trend({ now, before, estimated = false, unit = "the day before" }: { now: number; before: number | null; estimated?: boolean; unit?: string }) {
  if (before === null) return <p className="text-xs text-stone-500 dark:text-stone-400">No trend for this engine</p>;
  const delta = now - before;
  const Icon = delta > 0 ? ArrowUpRight : delta < 0 ? ArrowDownRight : ArrowRight;
  const words = delta === 0 ? `same as ${unit}` : `${delta > 0 ? "up" : "down"} ${Math.abs(delta).toLocaleString("en-US")} from ${before.toLocaleString("en-US")} ${unit}`;
  return (
    <p className="flex items-center gap-1 text-xs text-stone-600 dark:text-stone-400">
      <Icon aria-hidden className="size-3.5 shrink-0" />
      <span className="tabular-nums">
        {words}
        {estimated ? <span title="Reconstructed from today's sessions and activity, not a stored snapshot"> (est.)</span> : null}
      </span>
    </p>
  );
}
