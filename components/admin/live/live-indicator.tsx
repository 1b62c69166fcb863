"use client";

import { Pause, Play } from "lucide-react";
import { useState } from "react";
import { type LiveState, useAdminEvents } from "./use-admin-events";

const LOOK: Record<LiveState, { label: string; dot: string }> = {
  connecting: { label: "Connecting…", dot: "bg-stone-400 dark:bg-stone-500" },
  live: { label: "Live", dot: "bg-emerald-500" },
  reconnecting: { label: "Reconnecting…", dot: "bg-amber-500 motion-safe:animate-pulse" },
  paused: { label: "Paused", dot: "border border-stone-500 bg-transparent dark:border-stone-400" },
};

/**
 * The sidebar's live/paused indicator, and what keeps the dashboard live:
 * a dot and a word (never colour alone), announced politely when it changes,
 * and a button that pauses or resumes live updates.
 */
export function LiveIndicator() {
  const [paused, setPaused] = useState(false);
  const state = useAdminEvents(paused);
  const { label, dot } = LOOK[state];
  return (
    <div className="flex items-center justify-between gap-2">
      <p role="status" aria-live="polite" className="flex items-center gap-2 text-stone-700 dark:text-stone-300" data-live-state={state}>
        <span aria-hidden className={`inline-block size-2 rounded-full ${dot}`} />
        <span>
          <span className="sr-only">Live updates: </span>
          {label}
        </span>
      </p>
      <button
        type="button"
        onClick={() => setPaused((value) => !value)}
        aria-pressed={paused}
        className="inline-flex items-center gap-1 rounded-md px-1.5 py-0.5 text-xs font-medium text-stone-600 hover:bg-stone-200/60 focus-visible:outline-2 focus-visible:outline-amber-600 dark:text-stone-300 dark:hover:bg-stone-800"
      >
        {paused ? <Play aria-hidden className="size-3" /> : <Pause aria-hidden className="size-3" />}
        {paused ? "Resume" : "Pause"}
        <span className="sr-only"> live updates</span>
      </button>
    </div>
  );
}
