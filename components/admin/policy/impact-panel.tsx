"use client";

import { CircleSlash, Info, TriangleAlert } from "lucide-react";
import type { PolicyImpact } from "@/lib/admin-api";
import { formatCount, formatNumber } from "@/lib/admin-format";
import { RelativeTime } from "@/components/ui/relative-time";
import { adminButton } from "../sessions/admin-buttons";
import { ImpactChart, ImpactTable } from "./impact-chart";

const frame = "rounded-lg border border-stone-200 bg-white p-4 shadow-sm dark:border-stone-800 dark:bg-stone-900";

/** One sentence of what saving would do now, for the panel and the confirm dialog ("about" when estimated). */
export function impactSummary(impact: Extract<PolicyImpact, { available: true }>): string {
  const about = impact.estimatedFrom ? "about " : "";
  if (impact.endedByChange === 0) return impact.estimatedFrom ? "Ends no session at once, by the estimate." : "Ends no session at once.";
  return `Ends ${about}${formatCount(impact.endedByChange, "session")} at once, signing out ${about}${formatCount(impact.usersSignedOut, "user")}.`;
}

/** Where an estimated preview comes from, and the way to the exact count. */
function EstimateNote({ estimatedFrom, at, counting, onCountExactly }: { estimatedFrom: string; at: string; counting: boolean; onCountExactly?: () => void }) {
  return (
    <div className="mt-3 flex flex-wrap items-center justify-between gap-2 rounded-md bg-amber-50 px-3 py-2 text-xs text-stone-700 dark:bg-amber-500/10 dark:text-stone-300" data-testid="impact-estimate">
      <p className="flex min-w-0 flex-1 gap-2">
        <Info aria-hidden className="mt-px size-3.5 shrink-0 text-amber-600 dark:text-amber-500" />
        <span>
          Estimated from the live sessions as of <RelativeTime iso={estimatedFrom} since={Date.parse(at)} />: at this size they are counted once a minute, not at every change.
        </span>
      </p>
      <button type="button" className={adminButton.secondary} onClick={onCountExactly} disabled={counting || !onCountExactly}>
        {counting ? "Counting…" : "Count exactly"}
      </button>
    </div>
  );
}

/**
 * The impact preview: what the candidate does to today's sessions against
 * the policy in force, redrawn as the form changes, before anything is saved.
 */
export function ImpactPanel({
  impact,
  error,
  fetching,
  counting = false,
  onCountExactly,
}: {
  impact: PolicyImpact | undefined;
  error: Error | null;
  fetching: boolean;
  /** The exact count asked for is on its way. */
  counting?: boolean;
  onCountExactly?: () => void;
}) {
  return (
    <section aria-labelledby="impact-title" aria-busy={fetching} className={frame}>
      <div className="flex items-baseline justify-between gap-2">
        <h2 id="impact-title" className="text-sm font-semibold">
          Impact on today&apos;s sessions
        </h2>
        <span aria-hidden className={`text-[11px] text-stone-500 transition-opacity dark:text-stone-400 ${fetching ? "opacity-100" : "opacity-0"}`}>
          Updating…
        </span>
      </div>
      {error ? (
        <p role="alert" className="mt-3 flex gap-2 text-sm text-red-700 dark:text-red-400">
          <TriangleAlert aria-hidden className="mt-0.5 size-4 shrink-0" />
          <span>No preview: {error.message}</span>
        </p>
      ) : !impact ? (
        <div className="mt-3 space-y-3" aria-label="Loading the preview">
          <div className="h-5 w-2/3 animate-pulse rounded bg-stone-200 dark:bg-stone-800" />
          <div className="h-48 animate-pulse rounded bg-stone-100 dark:bg-stone-800/60" />
        </div>
      ) : !impact.available ? (
        <p className="mt-3 flex gap-2 text-sm text-stone-600 dark:text-stone-400">
          <CircleSlash aria-hidden className="mt-0.5 size-4 shrink-0" />
          <span>{impact.reason}</span>
        </p>
      ) : (
        <>
          <p className="mt-2 text-sm" role="status" data-testid="impact-summary">
            <span className={`font-semibold ${impact.endedByChange > 0 ? "text-red-700 dark:text-red-400" : "text-stone-900 dark:text-stone-100"}`}>{impactSummary(impact)}</span>{" "}
            <span className="text-stone-600 dark:text-stone-400">
              {impact.estimatedFrom ? `Estimated over about ${formatCount(impact.total, "live session")}.` : `Counted over ${formatCount(impact.total, "live session")}.`}
            </span>
          </p>
          {impact.estimatedFrom ? <EstimateNote estimatedFrom={impact.estimatedFrom} at={impact.at} counting={counting} onCountExactly={onCountExactly} /> : null}
          <div className="mt-3">
            <ImpactChart current={impact.current} candidate={impact.candidate} />
          </div>
          <div className="mt-3">
            <ImpactTable current={impact.current} candidate={impact.candidate} />
          </div>
          {impact.shortenedAtNextSave > 0 ? (
            <p className="mt-3 text-xs text-stone-600 dark:text-stone-400">
              {formatNumber(impact.shortenedAtNextSave)} stored {impact.shortenedAtNextSave === 1 ? "expiry is" : "expiries are"} further away than the new cookie age: they shorten
              when each session is next saved, not before.
            </p>
          ) : null}
          <p className="mt-2 text-[11px] text-stone-500 dark:text-stone-400">
            Counts sessions that end if not used again: a session past a new idle or absolute limit ends at its next request. Cookie age, browser close, Secure and SameSite apply at
            each session&apos;s next save; the per-user limit at each user&apos;s next login.
          </p>
        </>
      )}
    </section>
  );
}
