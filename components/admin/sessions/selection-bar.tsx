"use client";

import { Trash2 } from "lucide-react";
import type { AdminSessionRow } from "@/lib/admin-api";
import { formatCount, formatNumber, killQuestion } from "@/lib/admin-format";
import { KillDialog } from "../kill-dialog";
import { adminButton } from "./admin-buttons";

/** Shown while rows are selected: how many, a way to unselect, and "End N sessions" behind its dialog. */
export function SelectionBar({ selected, onClear, onKill }: { selected: readonly AdminSessionRow[]; onClear: () => void; onKill: () => void }) {
  const owners = new Set(selected.map((row) => row.user?.username ?? null));
  const [owner] = owners;
  const label = `End ${formatCount(selected.length, "session")}`;
  return (
    <div className="flex items-center gap-3 rounded-md border border-amber-200 bg-amber-50 px-3 py-1.5 text-sm dark:border-amber-500/30 dark:bg-amber-500/10">
      <span className="font-medium tabular-nums">{formatNumber(selected.length)} selected</span>
      <button type="button" onClick={onClear} className="text-stone-600 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-amber-600 dark:text-stone-300">
        Clear selection
      </button>
      <KillDialog
        title={killQuestion(selected.length, owners.size === 1 ? owner : null)}
        confirmLabel={label}
        onConfirm={onKill}
        trigger={
          <button type="button" className={adminButton.danger}>
            <Trash2 aria-hidden className="size-4" /> {label}
          </button>
        }
      />
    </div>
  );
}
