"use client";

import { ArrowLeft } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { can, type Role } from "@/lib/roles";
import { ApiError } from "../../shop/api-client";
import { useKillSessions } from "../kill-sessions";
import { LoadError } from "../sessions/load-error";
import { DataTree } from "./data-tree";
import { DetailActions } from "./detail-actions";
import { DetailHeader } from "./detail-header";
import { DetailSkeleton } from "./detail-skeleton";
import { ExpiryTimeline } from "./expiry-timeline";
import { SessionEnded } from "./session-ended";
import { SeenFrom } from "./seen-from";
import { SessionFacts } from "./session-facts";
import { SessionNotFound } from "./session-not-found";
import { useSessionDetail } from "./use-session-detail";

/**
 * One session: who and where, the timeline, the decoded data and the stored
 * value's facts; kill buttons for roles that may kill. After a kill the page
 * keeps showing the session as it was, marked ended.
 */
export function SessionDetailView({ id, role }: { id: string; role: Role }) {
  const [ended, setEnded] = useState<number | null>(null);
  const detail = useSessionDetail(id, ended === null);
  const kill = useKillSessions();
  const onEnded = { onSuccess: ({ revoked }: { revoked: number }) => setEnded(Math.max(1, revoked)) };

  const back = (
    <Link href="/admin/sessions" className="inline-flex items-center gap-1 text-sm text-stone-600 hover:text-stone-900 focus-visible:outline-2 focus-visible:outline-amber-600 dark:text-stone-400 dark:hover:text-stone-100">
      <ArrowLeft aria-hidden className="size-4" /> Sessions
    </Link>
  );

  // Once ended here, the page keeps the session as it was: the refetch that follows a kill answers 404.
  const session = detail.data;
  if (!session || (detail.isError && ended === null)) {
    const missing = detail.error instanceof ApiError && detail.error.status === 404;
    return (
      <div className="flex flex-col gap-4">
        {back}
        {detail.isPending ? (
          <DetailSkeleton />
        ) : missing ? (
          <SessionNotFound />
        ) : (
          <LoadError
            what="this session"
            error={detail.error ?? new Error("The session could not be read.")}
            onRetry={() => void detail.refetch()}
            retrying={detail.isFetching}
            heading="h1"
            next={`/admin/sessions/${encodeURIComponent(id)}`}
          />
        )}
      </div>
    );
  }

  const now = Date.parse(session.timeline.find((marker) => marker.kind === "now")?.at ?? "") || detail.dataUpdatedAt;
  const actions =
    ended === null && can(role, "sessions:kill") ? (
      <DetailActions
        session={session}
        onKillOne={() => kill.mutate({ id: session.id }, onEnded)}
        onKillUser={(userId) => kill.mutate({ userId }, onEnded)}
      />
    ) : null;

  return (
    <div className="flex flex-col gap-5">
      {back}
      <DetailHeader session={session} now={now} ended={ended !== null} actions={actions} />
      {ended !== null ? <SessionEnded count={ended} /> : null}
      <ExpiryTimeline markers={session.timeline} endsBecause={session.endsBecause} />
      <SeenFrom session={session} now={now} />
      <div className="grid items-start gap-5 lg:grid-cols-[minmax(0,2fr)_minmax(18rem,1fr)]">
        <section aria-labelledby="data-title" className="rounded-lg border border-stone-200 bg-white px-5 py-4 shadow-sm dark:border-stone-800 dark:bg-stone-900">
          <h2 id="data-title" className="text-sm font-semibold">Session data</h2>
          <div className="mt-2">
            {session.data ? (
              <DataTree sessionId={session.id} data={session.data} user={session.user} canReveal={role === "admin"} />
            ) : (
              <p className="text-sm text-red-800 dark:text-red-300">
                No configured key opens this session (<code>SESSION_SECRET_KEY</code> and its fallbacks), so its data and user cannot be read and
                a request with its cookie starts afresh. The signature status beside it says why; on a Django site, check that the key is the site&apos;s{" "}
                <code>SECRET_KEY</code>.
              </p>
            )}
          </div>
        </section>
        <SessionFacts session={session} now={now} />
      </div>
    </div>
  );
}
