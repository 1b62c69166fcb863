"use client";

import * as Tooltip from "@radix-ui/react-tooltip";
import type { TimelineMarker as Marker } from "@/lib/admin-api";
import { labelLanes, logTimeAxis } from "@/lib/admin-format";
import { formatRelativeTime } from "@/lib/format";
import { MARKER_NAMES, TimelineMarker } from "./timeline-marker";

// Labels narrower than this share of the axis' width never overlap (about 150 px of 900).
const LABEL_GAP = 0.17;
const DEADLINES = new Set(["idle_deadline", "absolute_deadline", "cookie_expiry"]);

/**
 * The session's life on one horizontal axis: created, login, last activity,
 * the deadlines and now, with distances from now on a logarithmic scale
 * (minutes and weeks on one line). The stretch from now to the first deadline
 * (the time it has left) is drawn in the accent colour; labels take as many
 * lanes as they need not to overlap.
 */
export function ExpiryTimeline({ markers, endsBecause }: { markers: readonly Marker[]; endsBecause: string }) {
  const sorted = [...markers].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const nowMarker = sorted.find((marker) => marker.kind === "now");
  const now = nowMarker ? Date.parse(nowMarker.at) : Date.parse(sorted[0]?.at ?? "") || 0;
  const axis = logTimeAxis(sorted.map((marker) => Date.parse(marker.at)), now);
  const positions = sorted.map((marker) => axis.position(Date.parse(marker.at)));
  const lanes = labelLanes(positions, LABEL_GAP);
  const laneCount = Math.max(1, ...lanes.map((lane) => lane + 1));
  const firstDeadline = sorted.find((marker) => DEADLINES.has(marker.kind) && Date.parse(marker.at) >= now);
  const left = axis.position(now);
  const right = firstDeadline ? axis.position(Date.parse(firstDeadline.at)) : left;

  return (
    <section aria-labelledby="timeline-title" className="rounded-lg border border-stone-200 bg-white p-5 shadow-sm dark:border-stone-800 dark:bg-stone-900">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="timeline-title" className="text-sm font-semibold">Expiry timeline</h2>
        <p className="text-xs text-stone-500 dark:text-stone-400">Distance from now on a log scale · hover or focus a marker for its exact time</p>
      </div>
      <Tooltip.Provider delayDuration={150}>
        <div className="mx-3 mt-8" style={{ height: `${1.5 + laneCount * 2.25}rem` }}>
          <div className="relative">
            <div aria-hidden className="h-0.5 w-full rounded bg-stone-200 dark:bg-stone-700" />
            <div aria-hidden className="absolute top-0 h-0.5 rounded bg-amber-500" style={{ left: `${left * 100}%`, width: `${(right - left) * 100}%` }} />
            <ol aria-label="Moments of this session, in order" className="contents">
              {sorted.map((marker, index) => (
                <li key={`${marker.kind}-${index}`} className="contents">
                  <TimelineMarker marker={marker} position={positions[index] ?? 0} />
                </li>
              ))}
            </ol>
            {sorted.map((marker, index) => {
              const position = positions[index] ?? 0;
              const align = position > 0.85 ? "-translate-x-full text-right" : position < 0.15 ? "text-left" : "-translate-x-1/2 text-center";
              return (
                <div
                  key={`label-${marker.kind}-${index}`}
                  aria-hidden
                  className={`absolute whitespace-nowrap text-xs leading-tight ${align}`}
                  style={{ left: `${position * 100}%`, top: `${1 + (lanes[index] ?? 0) * 2.25}rem` }}
                >
                  <span className={`block font-medium ${marker.kind === "now" ? "text-amber-700 dark:text-amber-400" : DEADLINES.has(marker.kind) ? "text-red-700 dark:text-red-400" : ""}`}>
                    {MARKER_NAMES[marker.kind]}
                    {marker.estimated ? <span className="font-normal italic text-stone-500 dark:text-stone-400"> estimated</span> : null}
                  </span>
                  <span className="block text-stone-500 tabular-nums dark:text-stone-400">{marker.kind === "now" ? "" : formatRelativeTime(marker.at, now)}</span>
                </div>
              );
            })}
          </div>
        </div>
      </Tooltip.Provider>
      <p className="mt-2 text-sm text-stone-700 dark:text-stone-300">
        <span className="font-medium text-stone-900 dark:text-stone-100">What ends it first: </span>
        {endsBecause}
      </p>
    </section>
  );
}
