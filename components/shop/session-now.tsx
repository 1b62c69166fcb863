"use client";

import { useQuery } from "@tanstack/react-query";
import { ArrowRight, RefreshCw } from "lucide-react";
import Link from "next/link";
import { formatDuration } from "@/lib/admin-format";
import { formatDateTime } from "@/lib/format";
import { queryKeys } from "@/lib/query-keys";
import type { DeadlineReason } from "@/lib/session";
import type { SessionNowView, StoredSessionView } from "@/lib/server/shop/session-view";
import { apiFetch } from "./api-client";
import { SessionNowData } from "./session-now-data";
import { useNow } from "./use-now";

const REASONS: Record<DeadlineReason, string> = {
  cookie_age: "cookie age (SESSION_COOKIE_AGE)",
  set_expiry: "set_expiry()",
  idle_timeout: "idle timeout",
  absolute_lifetime: "absolute lifetime",
};

const fetchSessionNow = () => apiFetch<SessionNowView>("/api/session");

/**
 * "Your session right now", inside every "how this works" panel: the server
 * renders it with the page (prefetched and hydrated), and it is read again
 * whenever a shop action invalidates `queryKeys.session.current`.
 */
export function SessionNow() {
  const query = useQuery({ queryKey: queryKeys.session.current, queryFn: fetchSessionNow });
  return (
    <section aria-labelledby="session-now-heading" className="mt-4 rounded-md border border-amber-200 bg-white p-4 text-stone-800 shadow-sm">
      <div className="flex items-center justify-between gap-3">
        <h3 id="session-now-heading" className="font-semibold text-stone-900">Your session right now</h3>
        {query.isFetching && query.data ? (
          <span className="flex items-center gap-1 text-xs text-stone-500">
            <RefreshCw aria-hidden className="size-3 animate-spin" /> Reading…
          </span>
        ) : null}
      </div>
      {query.data ? (
        <SessionNowBody view={query.data} />
      ) : query.isError ? (
        <div role="alert" className="mt-2 flex flex-wrap items-center gap-3 text-red-800">
          <p>Could not read your session: {query.error.message}</p>
          <button type="button" onClick={() => void query.refetch()} className="rounded border border-red-300 px-2 py-0.5 text-xs font-medium hover:bg-red-50">
            Try again
          </button>
        </div>
      ) : (
        <SessionNowSkeleton />
      )}
    </section>
  );
}

function SessionNowBody({ view }: { view: SessionNowView }) {
  const now = useNow(Date.parse(view.now));
  if (!view.session) {
    return (
      <p className="mt-2 text-stone-600">
        This browser has no session yet: nothing is stored until something is written into it. With the{" "}
        <code>{view.engine}</code> engine it would be {view.storage}.
      </p>
    );
  }
  const { session } = view;
  return (
    <>
      <dl className="mt-3 grid grid-cols-[auto_minmax(0,1fr)] gap-x-4 gap-y-1.5">
        <dt className="text-stone-500">Engine</dt>
        <dd>
          <code className="font-semibold">{view.engine}</code>: {view.storage}
        </dd>
        <dt className="text-stone-500">Public id</dt>
        <dd>
          {session.publicId ? <code className="break-all">{session.publicId}</code> : <span className="text-stone-500">none: {session.publicIdNote}</span>}
          <span className="text-stone-500"> (the key itself never leaves the server)</span>
        </dd>
        <dt className="text-stone-500">Expiry</dt>
        <dd>
          <ExpiryWords session={session} now={now} />
        </dd>
      </dl>
      {view.dashboardHref ? (
        <p className="mt-3">
          <Link href={view.dashboardHref} className="inline-flex items-center gap-1 font-medium text-amber-800 underline underline-offset-2 hover:text-amber-950">
            Open this session in the dashboard <ArrowRight aria-hidden className="size-3.5" />
          </Link>
        </p>
      ) : null}
      <SessionNowData entries={session.entries} />
    </>
  );
}

function ExpiryWords({ session, now }: { session: StoredSessionView; now: number }) {
  const left = Date.parse(session.endsAt) - now;
  const when = left > 0 ? `in ${formatDuration(left)}` : `${formatDuration(left)} ago`;
  const reason = REASONS[session.endsBecause];
  return (
    <time dateTime={session.endsAt} title={formatDateTime(session.endsAt)} className="tabular-nums">
      {session.endsAtBrowserClose
        ? `ends when the browser closes, or ${when} at the latest: ${reason}`
        : left > 0
          ? `ends ${when}: ${reason}`
          : `ended ${when}: ${reason}; the next request starts a new session`}
    </time>
  );
}

function SessionNowSkeleton() {
  return (
    <div aria-busy="true" aria-label="Reading your session" className="mt-3 space-y-2">
      {["w-3/4", "w-1/2", "w-2/3", "w-full"].map((width) => (
        <div key={width} className={`h-3.5 animate-pulse rounded bg-stone-200 ${width}`} />
      ))}
    </div>
  );
}
