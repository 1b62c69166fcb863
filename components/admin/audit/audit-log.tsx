"use client";

import { Download, ScrollText } from "lucide-react";
import Link from "next/link";
import { type AuditFilters, auditCsvHref } from "@/lib/admin-audit";
import { formatCount } from "@/lib/admin-format";
import { card, pageLead, pageTitle, secondaryButton } from "../admin-ui";
import { EmptyState, ErrorState, loadErrorHint } from "../view-states";
import { AuditFilterBar } from "./audit-filters";
import { AuditTable } from "./audit-table";
import { useAuditLog } from "./use-audit-log";

/** /admin/audit: every admin action, newest first, filtered by the URL, exportable as CSV for incident reports. */
export function AuditLog({ filters }: { filters: AuditFilters }) {
  const query = useAuditLog(filters);
  const entries = query.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = Object.keys(filters).length > 0;
  return (
    <div className="mx-auto max-w-6xl">
      <header className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className={pageTitle}>Audit log</h1>
          <p className={pageLead}>Every admin action: who did what, when and from where. Entries are written with the action itself and nobody can edit or delete them.</p>
        </div>
        <a href={auditCsvHref(filters)} download className={secondaryButton}>
          <Download aria-hidden className="size-4" /> Export CSV
        </a>
      </header>
      <AuditFilterBar filters={filters} />
      <div className={`${card} mt-4 overflow-x-auto`}>
        {query.isPending ? (
          <AuditTable entries={[]} since={0} loading />
        ) : query.isError && entries.length === 0 ? (
          <ErrorState title="The audit log could not be loaded" message={loadErrorHint(query.error)} onRetry={() => void query.refetch()} />
        ) : entries.length === 0 ? (
          filtered ? (
            <EmptyState icon={ScrollText} title="No entries match these filters">
              Widen the time range or <Link href="/admin/audit" className="font-medium text-amber-800 underline underline-offset-2 dark:text-amber-400">clear the filters</Link>.
            </EmptyState>
          ) : (
            <EmptyState icon={ScrollText} title="No admin actions yet">
              Kills and role changes appear here, with who made them, when and from where.
            </EmptyState>
          )
        ) : (
          <AuditTable entries={entries} since={query.dataUpdatedAt} />
        )}
      </div>
      {entries.length > 0 ? (
        <footer className="mt-3 flex flex-wrap items-center justify-between gap-3 text-sm text-stone-600 dark:text-stone-400">
          <p aria-live="polite" className="tabular-nums">
            {query.hasNextPage ? `The newest ${formatCount(entries.length, "entry", "entries")}` : `All ${formatCount(entries.length, "entry", "entries")}`}
            {filtered ? " matching the filters" : ""}
          </p>
          {query.isFetchNextPageError ? (
            <p role="alert" className="text-red-700 dark:text-red-400">Older entries could not be loaded: {query.error?.message}</p>
          ) : null}
          {query.hasNextPage ? (
            <button type="button" className={secondaryButton} disabled={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
              {query.isFetchingNextPage ? "Loading older entries…" : "Older entries"}
            </button>
          ) : null}
        </footer>
      ) : null}
    </div>
  );
}
