/** Tailwind classes the dashboard's tables and page headers share (light and dark), so every view looks alike. */
export const tableFrame = "overflow-x-auto rounded-lg border border-stone-200 bg-white shadow-sm dark:border-stone-800 dark:bg-stone-900";

export const tableHead = "border-b border-stone-200 bg-stone-50 text-left text-xs font-medium tracking-wide text-stone-500 uppercase dark:border-stone-800 dark:bg-stone-900/80 dark:text-stone-400";

export const tableBody = "divide-y divide-stone-100 dark:divide-stone-800/80";

export const tableRow = "hover:bg-stone-50 dark:hover:bg-stone-800/40";

export const pageTitle = "text-xl font-semibold tracking-tight";

export const pageLead = "mt-1 max-w-3xl text-sm text-stone-600 dark:text-stone-400";

/** Where the dashboard's menus, dialogs and tooltips render: inside its root, so its colour scheme reaches them. */
export const adminPortal = (): HTMLElement | undefined => (typeof document === "undefined" ? undefined : (document.getElementById("admin-root") ?? undefined));
