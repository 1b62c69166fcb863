"use client";

import { type RowSelectionState, type SortingState, type Updater, useTable } from "@tanstack/react-table";
import { useMemo } from "react";
import type { AdminSessionRow } from "@/lib/admin-api";
import { sessionColumns, sessionFeatures } from "./session-columns";

// The checkbox and id columns stay narrow; times and engine names never wrap (cells set their own widths).
const CELL: Partial<Record<string, string>> = {
  select: "w-10",
  id: "w-24",
  created: "whitespace-nowrap",
  activity: "whitespace-nowrap",
  engine: "whitespace-nowrap",
};

/**
 * The dense table of one page of sessions (TanStack Table, headless: this
 * component owns the markup). Sorting and paging belong to the server; the
 * table holds the selection and reports sort changes to the URL.
 */
export function SessionsTable({
  rows,
  selectable,
  showEngine,
  sorting,
  onSortingChange,
  rowSelection,
  onRowSelectionChange,
  busy,
}: {
  rows: readonly AdminSessionRow[];
  selectable: boolean;
  showEngine: boolean;
  sorting: SortingState;
  onSortingChange: (updater: Updater<SortingState>) => void;
  rowSelection: RowSelectionState;
  onRowSelectionChange: (updater: Updater<RowSelectionState>) => void;
  busy: boolean;
}) {
  const columns = useMemo(() => sessionColumns({ selectable, showEngine }), [selectable, showEngine]);
  const table = useTable({
    features: sessionFeatures,
    columns,
    data: rows,
    getRowId: (row) => row.id,
    enableRowSelection: selectable,
    manualSorting: true,
    enableMultiSort: false,
    enableSortingRemoval: false,
    state: { sorting, rowSelection },
    onSortingChange,
    onRowSelectionChange,
  });

  return (
    <div className="overflow-x-auto rounded-lg border border-stone-200 bg-white shadow-sm dark:border-stone-800 dark:bg-stone-900">
      <table aria-busy={busy} className={`w-full text-left text-sm transition-opacity ${busy ? "opacity-60" : ""}`}>
        <caption className="sr-only">Sessions</caption>
        <thead className="border-b border-stone-200 bg-stone-50 text-xs font-medium uppercase tracking-wide text-stone-500 dark:border-stone-800 dark:bg-stone-900/80 dark:text-stone-400">
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted();
                return (
                  <th
                    key={header.id}
                    scope="col"
                    aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined}
                    className={`px-3 py-2 align-bottom font-medium ${CELL[header.column.id] ?? ""}`}
                  >
                    {header.isPlaceholder ? null : <table.FlexRender header={header} />}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody className="divide-y divide-stone-100 dark:divide-stone-800/80">
          {table.getRowModel().rows.map((row) => (
            <tr
              key={row.id}
              data-session-id={row.id}
              className={row.getIsSelected() ? "bg-amber-50/70 dark:bg-amber-500/10" : "hover:bg-stone-50 dark:hover:bg-stone-800/40"}
            >
              {row.getAllCells().map((cell) => (
                <td key={cell.id} className={`px-3 py-2 align-middle ${CELL[cell.column.id] ?? ""}`}>
                  <table.FlexRender cell={cell} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
