"use client";

import { Download, ScrollText, SearchX } from "lucide-react";
import Link from "next/link";
import { type AuditFilters, auditCsvHref, auditQueryString } from "@/lib/admin-audit";
import { formatCount } from "@/lib/admin-format";
import { pageLead, pageTitle } from "../admin-ui";
import { adminButton } from "../sessions/admin-buttons";
import { LoadError } from "../sessions/load-error";
import { StatePanel } from "../sessions/state-panel";
import { AuditFilterBar } from "./audit-filters";
import { AuditTable } from "./audit-table";
import { useAuditLog } from "./use-audit-log";

/** /admin/audit: every admin action, newest first, filtered by the URL, exportable as CSV for incident reports. */
export function AuditLog({ filters }: { filters: AuditFilters }) {
  const query = useAuditLog(filters);
  const entries = query.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = Object.keys(filters).length > 0;
  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-4">
      <header className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className={pageTitle}>Audit log</h1>
          <p className={pageLead}>Every admin action: who did what, when and from where. Entries are written with the action itself, and nobody can edit or delete them.</p>
        </div>
        <a href={auditCsvHref(filters)} download className={adminButton.secondary}>
          <Download aria-hidden className="size-4" /> Export CSV
        </a>
      </header>
      <AuditFilterBar filters={filters} />
      {query.isPending ? (
        <AuditTable entries={[]} since={0} loading />
      ) : query.isError && entries.length === 0 ? (
        <LoadError what="the audit log" error={query.error} onRetry={() => void query.refetch()} retrying={query.isFetching} next={`/admin/audit${auditQueryString(filters)}`} />
      ) : entries.length === 0 ? (
        filtered ? (
          <StatePanel
            icon={SearchX}
            title="No entry matches these filters"
            actions={
              <Link href="/admin/audit" className={adminButton.secondary}>
                Clear filters
              </Link>
            }
          >
            Widen the time range, or clear the filters to see the whole log.
          </StatePanel>
        ) : (
          <StatePanel icon={ScrollText} title="No admin actions yet">
            Kills and role changes appear here, with who made them, when and from where.
          </StatePanel>
        )
      ) : (
        <AuditTable entries={entries} since={query.dataUpdatedAt} />
      )}
      {entries.length > 0 ? (
        <footer className="flex flex-wrap items-center justify-between gap-3 text-sm text-stone-600 dark:text-stone-400">
          <p aria-live="polite" className="tabular-nums">
            {query.hasNextPage ? `The newest ${formatCount(entries.length, "entry", "entries")}` : `All ${formatCount(entries.length, "entry", "entries")}`}
            {filtered ? " matching the filters" : ""}
          </p>
          {query.isFetchNextPageError ? (
            <p role="alert" className="text-red-700 dark:text-red-400">
              Older entries could not be loaded: {query.error?.message}
            </p>
          ) : null}
          {query.hasNextPage ? (
            <button type="button" className={adminButton.secondary} disabled={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
              {query.isFetchingNextPage ? "Loading older entries…" : "Older entries"}
            </button>
          ) : null}
        </footer>
      ) : null}
    </div>
  );
}
