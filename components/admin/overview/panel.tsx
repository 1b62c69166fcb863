import type { ReactNode } from "react";

/** A titled card of the overview. */
export function Panel({ id, title, description, className = "", children }: { id: string; title: string; description?: ReactNode; className?: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className={`flex flex-col rounded-lg border border-stone-200 bg-white px-5 py-4 shadow-sm dark:border-stone-800 dark:bg-stone-900 ${className}`}>
      <h2 id={id} className="text-sm font-semibold">{title}</h2>
      {description ? <p className="mt-0.5 text-xs text-stone-600 dark:text-stone-400">{description}</p> : null}
      <div className="mt-3 flex-1">{children}</div>
    </section>
  );
}
