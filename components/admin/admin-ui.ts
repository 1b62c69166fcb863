/** Tailwind classes the dashboard's pages share (light and dark), so every view looks alike. */
export const card = "rounded-lg border border-stone-200 bg-white shadow-sm dark:border-stone-800 dark:bg-stone-900";

const focusRing = "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-amber-600";

export const secondaryButton = `inline-flex h-9 items-center justify-center gap-1.5 rounded-md border border-stone-300 bg-white px-3 text-sm font-medium text-stone-800 shadow-sm hover:bg-stone-100 disabled:cursor-not-allowed disabled:opacity-50 dark:border-stone-700 dark:bg-stone-900 dark:text-stone-100 dark:hover:bg-stone-800 ${focusRing}`;

export const primaryButton = `inline-flex h-9 items-center justify-center gap-1.5 rounded-md bg-stone-900 px-3 text-sm font-medium text-white shadow-sm hover:bg-stone-700 disabled:cursor-not-allowed disabled:opacity-50 dark:bg-stone-100 dark:text-stone-900 dark:hover:bg-white ${focusRing}`;

export const fieldLabel = "flex flex-col gap-1 text-xs font-medium text-stone-600 dark:text-stone-400";

export const fieldInput =
  "h-9 rounded-md border border-stone-300 bg-white px-2.5 text-sm text-stone-900 shadow-sm placeholder:text-stone-400 focus:border-amber-600 focus:outline-none focus:ring-2 focus:ring-amber-600/30 dark:border-stone-700 dark:bg-stone-950 dark:text-stone-100 dark:placeholder:text-stone-500";

export const tableHead = "border-b border-stone-200 bg-stone-50 text-left text-xs font-medium tracking-wide text-stone-500 uppercase dark:border-stone-800 dark:bg-stone-900/80 dark:text-stone-400";

export const tableRow = "border-t border-stone-100 first:border-t-0 hover:bg-stone-50 dark:border-stone-800 dark:hover:bg-stone-800/40";

export const pageTitle = "text-xl font-semibold tracking-tight text-stone-900 dark:text-stone-50";

export const pageLead = "mt-1 max-w-2xl text-sm text-stone-600 dark:text-stone-400";
