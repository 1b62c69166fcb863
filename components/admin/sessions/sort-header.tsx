"use client";

import { ArrowDown, ArrowUp, ArrowUpDown } from "lucide-react";

/** A column title that sorts the list (server-side) when pressed; the arrow shows the current direction. */
export function SortHeader({ label, sorted, onToggle }: { label: string; sorted: false | "asc" | "desc"; onToggle?: (event: unknown) => void }) {
  const Icon = sorted === "asc" ? ArrowUp : sorted === "desc" ? ArrowDown : ArrowUpDown;
  return (
    <button
      type="button"
      onClick={onToggle}
      className="-mx-1 inline-flex items-center gap-1 rounded px-1 uppercase hover:text-stone-900 focus-visible:outline-2 focus-visible:outline-amber-600 dark:hover:text-stone-100"
    >
      {label}
      <Icon aria-hidden className={`size-3.5 ${sorted ? "text-amber-700 dark:text-amber-500" : "opacity-50"}`} />
      <span className="sr-only">{sorted ? `, sorted ${sorted === "asc" ? "ascending" : "descending"}` : ", sort"}</span>
    </button>
  );
}
