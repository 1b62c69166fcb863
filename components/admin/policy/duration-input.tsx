"use client";

import { useState } from "react";
import { formatNumber } from "@/lib/admin-format";
import { bestUnit, DURATION_UNITS, type DurationUnit, unitSeconds } from "./policy-fields";

const control =
  "rounded-md border border-stone-300 bg-white px-2.5 py-1.5 text-sm tabular-nums shadow-sm focus:border-amber-600 focus:outline-none focus:ring-2 focus:ring-amber-600/30 disabled:bg-stone-100 disabled:text-stone-500 dark:border-stone-700 dark:bg-stone-950 dark:disabled:bg-stone-900";

/**
 * A duration entered in days, hours or minutes, with the seconds it stores
 * shown beside it. `optional` adds an "On" switch: off is null.
 */
export function DurationInput({
  id,
  name,
  value,
  onChange,
  optional = false,
  invalid = false,
  describedBy,
}: {
  id: string;
  /** The setting's label, for the switch and the unit's accessible names. */
  name: string;
  value: number | null;
  onChange: (seconds: number | null) => void;
  optional?: boolean;
  invalid?: boolean;
  describedBy?: string;
}) {
  const [unit, setUnit] = useState<DurationUnit>(bestUnit(value ?? 3600));
  // What was typed, kept while it is not a number yet (an emptied box), so typing is never fought.
  const [text, setText] = useState(value === null ? "" : String(value / unitSeconds(unit)));
  const [lastOn, setLastOn] = useState(value ?? 3600);
  const on = value !== null;
  const emit = (amount: string, chosen: DurationUnit) => {
    setText(amount);
    const n = Number(amount);
    if (amount.trim() !== "" && Number.isFinite(n)) {
      const seconds = Math.round(n * unitSeconds(chosen));
      setLastOn(seconds);
      onChange(seconds);
    }
  };
  return (
    <div className="flex flex-wrap items-center gap-2">
      {optional ? (
        <label className="mr-1 inline-flex items-center gap-1.5 text-sm">
          <input
            type="checkbox"
            checked={on}
            onChange={(event) => {
              onChange(event.target.checked ? lastOn : null);
              if (event.target.checked) setText(String(lastOn / unitSeconds(unit)));
            }}
            className="size-4 accent-amber-600"
            aria-label={`${name} on`}
            aria-describedby={describedBy}
          />
          On
        </label>
      ) : null}
      <input
        id={id}
        type="number"
        inputMode="decimal"
        min={0}
        step="any"
        value={on ? text : ""}
        disabled={!on}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
        onChange={(event) => emit(event.target.value, unit)}
        className={`${control} w-28`}
      />
      <select
        aria-label={`${name} unit`}
        value={unit}
        disabled={!on}
        onChange={(event) => {
          const chosen = event.target.value as DurationUnit;
          setUnit(chosen);
          emit(text, chosen);
        }}
        className={control}
      >
        {DURATION_UNITS.map((u) => (
          <option key={u.unit} value={u.unit}>
            {u.unit}
          </option>
        ))}
      </select>
      <span className="text-xs text-stone-500 tabular-nums dark:text-stone-400">{on ? `= ${formatNumber(value)} s` : "off"}</span>
    </div>
  );
}

export const policyControl = control;
