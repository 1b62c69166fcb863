import type { ReactNode } from "react";

/** One of the four numbers across the top of the overview. */
export function StatCard({ label, value, detail, trend }: { label: string; value: number | null; detail?: ReactNode; trend: ReactNode }) {
  return (
    <div className="flex flex-col gap-1.5 rounded-lg border border-stone-200 bg-white px-4 py-3.5 shadow-sm dark:border-stone-800 dark:bg-stone-900">
      <dt className="text-xs font-medium uppercase tracking-wide text-stone-500 dark:text-stone-400">{label}</dt>
      <dd className="flex flex-col gap-1">
        <span className="text-3xl font-semibold tracking-tight tabular-nums">{value === null ? "—" : value.toLocaleString("en-US")}</span>
        {detail ? <span className="text-xs text-stone-600 dark:text-stone-400">{detail}</span> : null}
        {trend}
      </dd>
    </div>
  );
}
