/** The detail page's shape while it loads. */
export function DetailSkeleton() {
  const block = "animate-pulse rounded bg-stone-200 dark:bg-stone-800";
  return (
    <div role="status" aria-label="Loading the session" className="flex flex-col gap-5">
      <div className={`${block} h-7 w-64`} />
      <div className={`${block} h-4 w-96`} />
      <div className={`${block} h-36 w-full`} />
      <div className="grid gap-5 lg:grid-cols-[2fr_1fr]">
        <div className={`${block} h-64`} />
        <div className={`${block} h-64`} />
      </div>
    </div>
  );
}
