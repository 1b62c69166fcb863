"use client";

import { type MouseEventHandler, useEffect, useRef } from "react";

/** A row or page checkbox; `indeterminate` marks a page where only some rows are selected. */
export function SelectCheckbox({
  checked,
  indeterminate = false,
  label,
  onToggle,
}: {
  checked: boolean;
  indeterminate?: boolean;
  label: string;
  onToggle: (event: unknown) => void;
}) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = indeterminate;
  }, [indeterminate]);
  // Selection goes through the click (not change) event so Shift+click can select a range of rows.
  const onClick: MouseEventHandler<HTMLInputElement> = (event) => onToggle(event);
  return (
    <input
      ref={ref}
      type="checkbox"
      checked={checked}
      onChange={() => {}}
      onClick={onClick}
      aria-label={label}
      className="block size-4 cursor-pointer rounded border-stone-400 accent-amber-600 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-amber-600 dark:border-stone-600"
    />
  );
}
