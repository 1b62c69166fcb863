/** The dashboard's buttons, light and dark. Destructive actions are red and always open a dialog first. */
const base =
  "inline-flex items-center justify-center gap-1.5 rounded-md px-3 py-1.5 text-sm font-medium focus-visible:outline-2 focus-visible:outline-offset-2 disabled:cursor-not-allowed disabled:opacity-50";

export const adminButton = {
  primary: `${base} bg-stone-900 text-white hover:bg-stone-700 focus-visible:outline-amber-600 dark:bg-stone-100 dark:text-stone-900 dark:hover:bg-stone-300`,
  secondary: `${base} border border-stone-300 bg-white text-stone-800 hover:bg-stone-100 focus-visible:outline-amber-600 dark:border-stone-700 dark:bg-stone-900 dark:text-stone-200 dark:hover:bg-stone-800`,
  ghost: `${base} text-stone-700 hover:bg-stone-100 focus-visible:outline-amber-600 dark:text-stone-300 dark:hover:bg-stone-800`,
  danger: `${base} bg-red-700 text-white hover:bg-red-800 focus-visible:outline-red-600 dark:bg-red-600 dark:hover:bg-red-700`,
  dangerOutline: `${base} border border-red-300 bg-white text-red-700 hover:bg-red-50 focus-visible:outline-red-600 dark:border-red-500/40 dark:bg-stone-900 dark:text-red-400 dark:hover:bg-red-500/10`,
} as const;
