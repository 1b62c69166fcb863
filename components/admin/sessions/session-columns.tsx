"use client";

import { type ColumnDef, createColumnHelper, rowSelectionFeature, rowSortingFeature, tableFeatures } from "@tanstack/react-table";
import Link from "next/link";
import type { AdminSessionRow } from "@/lib/admin-api";
import { CREATION_ESTIMATE, expiryStatus } from "@/lib/admin-format";
import { RelativeTime } from "../../ui/relative-time";
import { DeviceLabel } from "./device-label";
import { ExpiryAxis } from "./expiry-axis";
import { ExpiryCell } from "./expiry-cell";
import { SelectCheckbox } from "./select-checkbox";
import { useSessionsList } from "./sessions-list-context";
import { SortHeader } from "./sort-header";
import { StatusBadge } from "./status-badge";

/** Selection for bulk kills; sorting as state only (the server sorts: manualSorting). */
export const sessionFeatures = tableFeatures({ rowSelectionFeature, rowSortingFeature });
type Features = typeof sessionFeatures;
type SessionColumn = ColumnDef<Features, AdminSessionRow, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const helper = createColumnHelper<Features, AdminSessionRow>();

/**
 * The end of the public id: enough to tell rows apart and to read aloud. Not the
 * start: public ids begin with their creation time, so sessions made together share it.
 */
const shortId = (id: string): string => (id.length > 8 ? `…${id.slice(-8)}` : id);

function rowName(row: AdminSessionRow): string {
  return `session ${shortId(row.id)} of ${row.user?.username ?? "an anonymous visitor"}`;
}

function UserCell({ row }: { row: AdminSessionRow }) {
  const { hrefWith } = useSessionsList();
  if (!row.user) {
    return (
      <Link href={hrefWith({ user: "anonymous" })} className="text-stone-500 italic hover:underline focus-visible:outline-2 focus-visible:outline-amber-600 dark:text-stone-400" title="Show only anonymous sessions">
        anonymous
      </Link>
    );
  }
  return (
    <Link href={hrefWith({ user: row.user.username })} className="block max-w-32 truncate font-medium hover:underline focus-visible:outline-2 focus-visible:outline-amber-600" title={`Show only the sessions of ${row.user.username}`}>
      {row.user.username}
    </Link>
  );
}

function TimeCell({ iso, estimated }: { iso: string | null; estimated?: string }) {
  const { now } = useSessionsList();
  return <RelativeTime iso={iso} since={now} estimated={estimated} />;
}

function StatusCell({ row }: { row: AdminSessionRow }) {
  const { now } = useSessionsList();
  return (
    <span className="flex flex-wrap gap-1">
      <StatusBadge status={expiryStatus(row, now)} />
      {row.flags.includes("undecodable") ? <StatusBadge status="flagged" /> : null}
      {row.flags.includes("ip_or_device_changed") ? <StatusBadge status="moved" /> : null}
    </span>
  );
}

const selectColumn = helper.display({
  id: "select",
  header: ({ table }) => (
    <SelectCheckbox
      checked={table.getIsAllPageRowsSelected()}
      indeterminate={table.getIsSomePageRowsSelected() && !table.getIsAllPageRowsSelected()}
      label="Select every session on this page"
      onToggle={table.getToggleAllPageRowsSelectedHandler()}
    />
  ),
  cell: ({ row }) => <SelectCheckbox checked={row.getIsSelected()} label={`Select ${rowName(row.original)}`} onToggle={row.getToggleSelectedHandler()} />,
});

const dataColumns: SessionColumn[] = [
  helper.accessor("id", {
    header: "Session",
    enableSorting: false,
    cell: ({ row }) => (
      <Link
        href={`/admin/sessions/${encodeURIComponent(row.original.id)}`}
        title={row.original.id}
        aria-label={`Open ${rowName(row.original)}`}
        className="font-mono text-xs text-amber-800 underline decoration-amber-800/30 underline-offset-2 hover:decoration-amber-800 focus-visible:outline-2 focus-visible:outline-amber-600 dark:text-amber-400 dark:decoration-amber-400/30"
      >
        {shortId(row.original.id)}
      </Link>
    ),
  }),
  helper.accessor("user", { header: "User", enableSorting: false, cell: ({ row }) => <UserCell row={row.original} /> }),
  helper.accessor("device", { header: "Device", enableSorting: false, cell: ({ row }) => <DeviceLabel device={row.original.device} className="w-44" /> }),
  helper.accessor("ip", {
    header: "IP",
    enableSorting: false,
    cell: ({ row }) => <span title={row.original.ip ?? undefined} className="block max-w-40 truncate font-mono text-xs tabular-nums">{row.original.ip ?? <span className="text-stone-500 dark:text-stone-400">unknown</span>}</span>,
  }),
  helper.accessor("createdAt", { id: "created", header: ({ column }) => <SortHeader label="Created" sorted={column.getIsSorted()} onToggle={column.getToggleSortingHandler()} />, sortDescFirst: true, cell: ({ row }) => <TimeCell iso={row.original.createdAt} estimated={row.original.createdEstimated ? CREATION_ESTIMATE : undefined} /> }),
  helper.accessor("lastActivity", { id: "activity", header: ({ column }) => <SortHeader label="Last active" sorted={column.getIsSorted()} onToggle={column.getToggleSortingHandler()} />, sortDescFirst: true, cell: ({ row }) => <TimeCell iso={row.original.lastActivity} /> }),
  helper.accessor("expiresAt", {
    id: "expiry",
    header: ({ column }) => (
      <span className="flex flex-col">
        <SortHeader label="Expires" sorted={column.getIsSorted()} onToggle={column.getToggleSortingHandler()} />
        <ExpiryAxis />
      </span>
    ),
    sortDescFirst: false,
    cell: ({ row }) => <ExpiryCell row={row.original} />,
  }),
  helper.accessor("status", { header: "Status", enableSorting: false, cell: ({ row }) => <StatusCell row={row.original} /> }),
];

const engineColumn = helper.accessor("engine", {
  header: "Engine",
  enableSorting: false,
  cell: ({ row }) => <code className="text-xs">{row.original.engine}</code>,
});

/** The list's columns: the checkbox only for roles that may kill, the engine only when the page mixes engines. */
export function sessionColumns({ selectable, showEngine }: { selectable: boolean; showEngine: boolean }): SessionColumn[] {
  return [...(selectable ? [selectColumn] : []), ...dataColumns, ...(showEngine ? [engineColumn] : [])];
}
