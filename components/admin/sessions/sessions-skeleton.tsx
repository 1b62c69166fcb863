/** Placeholder rows while the first page loads: the table's shape, no content. */
export function SessionsSkeleton({ rows = 8 }: { rows?: number }) {
  return (
    <div role="status" aria-label="Loading sessions" className="overflow-hidden rounded-lg border border-stone-200 bg-white shadow-sm dark:border-stone-800 dark:bg-stone-900">
      <div className="h-9 border-b border-stone-200 bg-stone-50 dark:border-stone-800 dark:bg-stone-900/80" />
      <ul className="divide-y divide-stone-100 dark:divide-stone-800/80">
        {Array.from({ length: rows }, (_, index) => (
          <li key={index} className="flex animate-pulse items-center gap-6 px-3 py-3">
            <span className="h-3 w-16 rounded bg-stone-200 dark:bg-stone-800" />
            <span className="h-3 w-24 rounded bg-stone-200 dark:bg-stone-800" />
            <span className="h-3 w-40 rounded bg-stone-200 dark:bg-stone-800" />
            <span className="h-3 w-20 rounded bg-stone-200 dark:bg-stone-800" />
            <span className="h-3 w-16 rounded bg-stone-200 dark:bg-stone-800" />
            <span className="h-3 w-16 rounded bg-stone-200 dark:bg-stone-800" />
            <span className="h-3 flex-1 rounded bg-stone-200 dark:bg-stone-800" />
          </li>
        ))}
      </ul>
    </div>
  );
}
