"use client";

import * as Tooltip from "@radix-ui/react-tooltip";
import type { TimelineMarker as Marker, TimelineMarkerKind } from "@/lib/admin-api";
import { formatDateTime } from "@/lib/format";
import { adminPortal } from "../admin-ui";

export const MARKER_NAMES: Record<TimelineMarkerKind, string> = {
  created: "Created",
  login: "Login",
  last_activity: "Last activity",
  idle_deadline: "Idle deadline",
  absolute_deadline: "Absolute deadline",
  cookie_expiry: "Cookie expiry",
  now: "Now",
};

const DEADLINES = new Set<TimelineMarkerKind>(["idle_deadline", "absolute_deadline", "cookie_expiry"]);

function dotClass(marker: Marker): string {
  if (marker.kind === "now") return "size-3.5 rounded-full bg-amber-500 ring-4 ring-amber-500/25";
  const shape = DEADLINES.has(marker.kind) ? "rotate-45 rounded-[2px]" : "rounded-full";
  if (marker.estimated) return `size-3 ${shape} border-2 border-dashed border-stone-500 bg-white dark:border-stone-400 dark:bg-stone-900`;
  return DEADLINES.has(marker.kind)
    ? `size-3 ${shape} border-2 border-red-600 bg-white dark:border-red-400 dark:bg-stone-900`
    : `size-3 ${shape} bg-stone-700 dark:bg-stone-300`;
}

/** Everything a marker says, in words: its name, the server's sentence, the exact time, and whether it is estimated. */
export function markerDescription(marker: Marker): string {
  return `${MARKER_NAMES[marker.kind]}: ${marker.label}, ${formatDateTime(marker.at)}${marker.estimated ? " (estimated)" : ""}`;
}

/** One moment on the timeline: a focusable dot whose tooltip explains it on hover and on keyboard focus. */
export function TimelineMarker({ marker, position }: { marker: Marker; position: number }) {
  return (
    <Tooltip.Root>
      <Tooltip.Trigger asChild>
        <button
          type="button"
          data-marker={marker.kind}
          aria-label={markerDescription(marker)}
          style={{ left: `${position * 100}%` }}
          className="absolute top-0 flex size-6 -translate-x-1/2 -translate-y-1/2 items-center justify-center rounded-full focus-visible:outline-2 focus-visible:outline-amber-600"
        >
          <span aria-hidden className={`block ${dotClass(marker)}`} />
        </button>
      </Tooltip.Trigger>
      <Tooltip.Portal container={adminPortal()}>
        <Tooltip.Content
          side="top"
          sideOffset={6}
          className="z-50 max-w-72 rounded-md bg-stone-900 px-3 py-2 text-xs text-stone-50 shadow-lg dark:bg-stone-100 dark:text-stone-900"
        >
          <p className="font-semibold">
            {MARKER_NAMES[marker.kind]}
            {marker.estimated ? <span className="ml-1.5 font-normal italic opacity-80">estimated</span> : null}
          </p>
          <p className="mt-0.5">{marker.label}</p>
          <p className="mt-0.5 tabular-nums opacity-80">{formatDateTime(marker.at)}</p>
          <Tooltip.Arrow className="fill-stone-900 dark:fill-stone-100" />
        </Tooltip.Content>
      </Tooltip.Portal>
    </Tooltip.Root>
  );
}
