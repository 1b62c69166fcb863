import type { LucideIcon } from "lucide-react";
import type { ReactNode } from "react";

/** The frame of an empty, error or not-found state: an icon, a title, what it means, and what to do. */
export function StatePanel({
  icon: Icon,
  title,
  children,
  actions,
  tone = "neutral",
  role,
  heading: Heading = "h2",
}: {
  icon: LucideIcon;
  title: string;
  children: ReactNode;
  actions?: ReactNode;
  tone?: "neutral" | "error";
  role?: "alert" | "status";
  /** h1 where the panel is all the page shows (a detail that could not load). */
  heading?: "h1" | "h2";
}) {
  return (
    <div role={role} className="rounded-lg border border-dashed border-stone-300 bg-white px-6 py-12 text-center dark:border-stone-700 dark:bg-stone-900">
      <Icon aria-hidden className={`mx-auto size-8 ${tone === "error" ? "text-red-600 dark:text-red-400" : "text-stone-400 dark:text-stone-500"}`} />
      <Heading className="mt-3 text-base font-semibold">{title}</Heading>
      <div className="mx-auto mt-1.5 max-w-md text-sm text-stone-600 dark:text-stone-400">{children}</div>
      {actions ? <div className="mt-5 flex justify-center gap-2">{actions}</div> : null}
    </div>
  );
}
