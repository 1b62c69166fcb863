import { X } from "lucide-react";
import type { ReactNode } from "react";
import { adminButton } from "./admin-buttons";

const inputLook =
  "rounded-md border border-stone-300 bg-white px-2.5 py-1.5 text-sm text-stone-900 shadow-sm placeholder:text-stone-400 focus:border-amber-600 focus:outline-none focus:ring-2 focus:ring-amber-600/30 dark:border-stone-700 dark:bg-stone-900 dark:text-stone-100 dark:placeholder:text-stone-500";

export const filterInput = `block w-full ${inputLook}`;

/** A date-time input: as wide as its content (Chromium's datetime-local needs about 12 rem), never stretched. */
export const dateInput = `block min-w-0 flex-1 tabular-nums sm:w-[12.5rem] sm:flex-none ${inputLook}`;

/** A labelled control of the filter bar (the label stays visible: placeholders are not labels). */
export function FilterField({ label, htmlFor, className = "", children }: { label: string; htmlFor: string; className?: string; children: ReactNode }) {
  return (
    <div className={`flex min-w-0 flex-col gap-1 ${className}`}>
      <label htmlFor={htmlFor} className="text-xs font-medium text-stone-600 dark:text-stone-400">
        {label}
      </label>
      {children}
    </div>
  );
}

/** The end of a filter bar: "Clear filters" while anything is filtered, then "Apply" (the form's submit). */
export function FilterActions({ filtered, onClear }: { filtered: boolean; onClear: () => void }) {
  return (
    <div className="ml-auto flex gap-2">
      {filtered ? (
        <button type="button" onClick={onClear} className={adminButton.ghost}>
          <X aria-hidden className="size-4" /> Clear filters
        </button>
      ) : null}
      <button type="submit" className={adminButton.primary}>
        Apply
      </button>
    </div>
  );
}
