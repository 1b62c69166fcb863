const block = "animate-pulse rounded-lg border border-stone-200 bg-white dark:border-stone-800 dark:bg-stone-900";

/** The overview's shape while its numbers load. */
export function OverviewSkeleton() {
  return (
    <div aria-busy="true" aria-label="Loading the overview" className="flex flex-col gap-5">
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 xl:grid-cols-4">
        {[0, 1, 2, 3].map((i) => (
          <div key={i} className={`${block} h-28`}>
            <div className="m-4 h-3 w-24 rounded bg-stone-200 dark:bg-stone-800" />
            <div className="mx-4 h-7 w-16 rounded bg-stone-200 dark:bg-stone-800" />
          </div>
        ))}
      </div>
      <div className="grid gap-5 xl:grid-cols-2">
        <div className={`${block} h-80`} />
        <div className={`${block} h-80`} />
      </div>
      <div className="grid gap-5 lg:grid-cols-3">
        {[0, 1, 2].map((i) => (
          <div key={i} className={`${block} h-56`} />
        ))}
      </div>
    </div>
  );
}
