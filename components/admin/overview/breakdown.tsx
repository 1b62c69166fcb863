/** Counts as labelled bars: the number is always written, the bar only helps the eye compare. */
export function Breakdown({ rows, total, label }: { rows: ReadonlyArray<{ readonly key: string; readonly label: string; readonly count: number }>; total: number; label: string }) {
  if (rows.length === 0) return <p className="text-sm text-stone-500 dark:text-stone-400">Nothing to show yet.</p>;
  return (
    <ul aria-label={label} className="flex flex-col gap-2.5">
      {rows.map((row) => {
        const share = total > 0 ? row.count / total : 0;
        return (
          <li key={row.key} className="text-sm">
            <div className="flex items-baseline justify-between gap-3">
              <span className="truncate">{row.label}</span>
              <span className="shrink-0 tabular-nums text-stone-700 dark:text-stone-300">
                {row.count.toLocaleString("en-US")} <span className="text-xs text-stone-500 dark:text-stone-400">({Math.round(share * 100)}%)</span>
              </span>
            </div>
            <div aria-hidden className="mt-1 h-1.5 rounded-full bg-stone-100 dark:bg-stone-800">
              <div className="h-1.5 rounded-full bg-stone-500 dark:bg-stone-400" style={{ width: `${Math.max(share * 100, row.count > 0 ? 1.5 : 0)}%` }} />
            </div>
          </li>
        );
      })}
    </ul>
  );
}
