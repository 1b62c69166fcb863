"use client";

import { History } from "lucide-react";
import { useId, useState } from "react";
import { fromUtcInputValue } from "@/lib/admin-format";
import { formatDateTime } from "@/lib/format";
import { adminButton } from "./sessions/admin-buttons";
import { filterInput } from "./sessions/filter-field";
import { KillDialog } from "./kill-dialog";

/**
 * "End sessions issued before…": the incident button (after a leaked key or a
 * fixed hole, everything older than the fix must go). The count is unknown
 * until the server has done it, so the dialog names the moment instead.
 */
export function KillIssuedBefore({ onKill }: { onKill: (issuedBefore: string) => void }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState("");
  const moment = fromUtcInputValue(value);
  return (
    <KillDialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) setValue("");
      }}
      title={moment ? `End every session created before ${formatDateTime(moment)}?` : "End every session created before a moment"}
      confirmLabel="End these sessions"
      disabled={!moment}
      onConfirm={() => moment && onKill(moment)}
      trigger={
        <button type="button" className={adminButton.dangerOutline}>
          <History aria-hidden className="size-4" /> End sessions issued before…
        </button>
      }
    >
      <div className="flex flex-col gap-1">
        <label htmlFor={id} className="text-xs font-medium text-stone-700 dark:text-stone-300">
          Created before (UTC)
        </label>
        <input id={id} type="datetime-local" step={1} value={value} onChange={(event) => setValue(event.target.value)} className={`${filterInput} tabular-nums`} required />
      </div>
      <p>
        {moment
          ? `Every session created before ${formatDateTime(moment)} ends, on every engine, whoever it belongs to. Yours too, if it is older.`
          : "Choose the moment: every session created before it ends, on every engine, whoever it belongs to."}
      </p>
    </KillDialog>
  );
}
