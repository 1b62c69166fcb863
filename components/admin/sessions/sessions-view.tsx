"use client";

import type { RowSelectionState, SortingState, Updater } from "@tanstack/react-table";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo, useState } from "react";
import type { AdminSessionRow } from "@/lib/admin-api";
import { timeAxis } from "@/lib/admin-format";
import {
  changeSessionQuery, effectiveSessionQuery, formatSessionSort, hasSessionFilters, parseSessionSort, readSessionQuery, sessionQueryString,
  type SessionQueryKey, type SessionSortField,
} from "@/lib/admin-sessions-query";
import { can, type Role } from "@/lib/roles";
import { KillIssuedBefore } from "../kill-issued-before";
import { useKillSessions } from "../kill-sessions";
import { LoadError } from "./load-error";
import { NoListing, type SessionSetup } from "./no-listing";
import { Pager } from "./pager";
import { SelectionBar } from "./selection-bar";
import { SessionCount } from "./session-count";
import { SessionFilters } from "./session-filters";
import { SessionsEmpty } from "./sessions-empty";
import { SessionsListContext, type SessionsListContextValue } from "./sessions-list-context";
import { SessionsSkeleton } from "./sessions-skeleton";
import { SessionsTable } from "./sessions-table";
import { useAdminSessions } from "./use-admin-sessions";

type Changes = Partial<Record<SessionQueryKey, string | null>>;
const NO_ROWS: readonly AdminSessionRow[] = [];

/**
 * The sessions list: filters, count, table and paging, all driven by the URL
 * (a link reproduces the view). Kill controls exist only for roles that may
 * kill; the server checks again on every request.
 */
export function SessionsView({ role, setup }: { role: Role; setup: SessionSetup }) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const search = searchParams.toString();
  const query = useMemo(() => readSessionQuery(new URLSearchParams(search)), [search]);
  const effective = useMemo(() => effectiveSessionQuery(query), [query]);
  const sessions = useAdminSessions(effective);
  const kill = useKillSessions();
  const canKill = can(role, "sessions:kill");

  // The selection belongs to the view it was made in: a new filter, order or page starts empty.
  const [selection, setSelection] = useState<{ view: string; rows: RowSelectionState }>({ view: search, rows: {} });
  const rowSelection = selection.view === search ? selection.rows : {};
  const onRowSelectionChange = useCallback(
    (updater: Updater<RowSelectionState>) =>
      setSelection((current) => {
        const rows = current.view === search ? current.rows : {};
        return { view: search, rows: typeof updater === "function" ? updater(rows) : updater };
      }),
    [search],
  );
  const clearSelection = useCallback(() => setSelection({ view: search, rows: {} }), [search]);

  const hrefWith = useCallback((changes: Changes) => `${pathname}${sessionQueryString(changeSessionQuery(query, changes))}`, [pathname, query]);
  const navigate = useCallback((changes: Changes) => router.replace(hrefWith(changes), { scroll: false }), [router, hrefWith]);
  const clearFilters = useCallback(() => router.replace(pathname, { scroll: false }), [router, pathname]);

  const sort = parseSessionSort(effective.sort);
  const sorting = useMemo<SortingState>(() => [{ id: sort.field, desc: sort.desc }], [sort.field, sort.desc]);
  const onSortingChange = useCallback(
    (updater: Updater<SortingState>) => {
      const [next] = typeof updater === "function" ? updater(sorting) : updater;
      if (next) navigate({ sort: formatSessionSort(next.id as SessionSortField, next.desc) });
    },
    [sorting, navigate],
  );

  const page = sessions.data;
  const rows = page?.items ?? NO_ROWS;
  const list = useMemo<SessionsListContextValue>(() => {
    const now = page ? Date.parse(page.now) : 0;
    return { now, axis: timeAxis([now, ...rows.map((row) => Date.parse(row.expiresAt))]), hrefWith };
  }, [page, rows, hrefWith]);
  const showEngine = new Set(rows.map((row) => row.engine)).size > 1;
  const selected = rows.filter((row) => rowSelection[row.id]);
  const filtered = hasSessionFilters(query);

  const killSelected = () => {
    kill.mutate({ ids: selected.map((row) => row.id) });
    clearSelection();
  };

  let body;
  if (sessions.isPending) body = <SessionsSkeleton />;
  else if (sessions.isError && !page) body = <LoadError what="the sessions" error={sessions.error} onRetry={() => void sessions.refetch()} retrying={sessions.isFetching} />;
  else if (page?.listing === "none") body = <NoListing setup={setup} />;
  else if (rows.length === 0) body = <SessionsEmpty filtered={filtered} status={effective.status ?? "active"} onClear={clearFilters} />;
  else {
    body = (
      <SessionsTable
        rows={rows}
        selectable={canKill}
        showEngine={showEngine}
        sorting={sorting}
        onSortingChange={onSortingChange}
        rowSelection={rowSelection}
        onRowSelectionChange={onRowSelectionChange}
        busy={sessions.isPlaceholderData}
      />
    );
  }

  return (
    <SessionsListContext value={list}>
      <div className="flex flex-col gap-4">
        {page?.listing === "none" ? null : <SessionFilters key={search} query={query} onApply={navigate} onClear={clearFilters} filtered={filtered} />}
        <div className="flex min-h-9 flex-wrap items-center justify-between gap-3">
          <SessionCount page={page} filtered={filtered} fetching={sessions.isFetching && !sessions.isPending} />
          <div className="flex flex-wrap items-center gap-2">
            {canKill && selected.length > 0 ? <SelectionBar selected={selected} onClear={clearSelection} onKill={killSelected} /> : null}
            {canKill && page?.listing !== "none" ? <KillIssuedBefore onKill={(issuedBefore) => kill.mutate({ issuedBefore })} /> : null}
          </div>
        </div>
        {sessions.isError && page ? <LoadError what="the latest sessions" error={sessions.error} onRetry={() => void sessions.refetch()} retrying={sessions.isFetching} /> : null}
        {body}
        {page && rows.length > 0 ? (
          <Pager atFirst={!query.cursor} hasNext={page.nextCursor !== null} onFirst={() => navigate({ cursor: null })} onNext={() => navigate({ cursor: page.nextCursor })} />
        ) : null}
      </div>
    </SessionsListContext>
  );
}
