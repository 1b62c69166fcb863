"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import { ALL_RESOURCES, createInvalidationThrottle, EVENT_TYPES, isStale, reconnectDelay, resourcesFor } from "./invalidation";

export const EVENTS_PATH = "/api/admin/events";

/** "connecting": first contact; "live": events arrive; "reconnecting": the stream dropped; "paused": by the user or a hidden tab. */
export type LiveState = "connecting" | "live" | "reconnecting" | "paused";

function subscribeVisibility(onChange: () => void): () => void {
  document.addEventListener("visibilitychange", onChange);
  return () => document.removeEventListener("visibilitychange", onChange);
}
const isHidden = () => document.visibilityState === "hidden";

/**
 * Keeps every open dashboard page current: listens to GET /api/admin/events
 * and marks the affected React Query data stale (active queries refetch).
 * EventSource reconnects by itself after a dropped connection; a refused one
 * (the server answered 401, 403 or 503) is retried here with a growing delay.
 * Nothing is open while the user paused or the tab is hidden; on coming back
 * everything is refetched once, since events were missed meanwhile.
 */
export function useAdminEvents(paused: boolean): LiveState {
  const queryClient = useQueryClient();
  const hidden = useSyncExternalStore(subscribeVisibility, isHidden, () => false);
  const [state, setState] = useState<Exclude<LiveState, "paused">>("connecting");
  const everOpened = useRef(false);

  useEffect(() => {
    if (paused || hidden) return;
    const throttle = createInvalidationThrottle((resources) => {
      void queryClient.invalidateQueries({ predicate: (query) => isStale(query, resources) });
    });
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | null = null;
    let attempt = 0;
    // After a pause, a hidden tab or a dropped stream, whatever happened meanwhile was not heard.
    let missedSome = everOpened.current;
    let stopped = false;

    const open = () => {
      source = new EventSource(EVENTS_PATH);
      source.onopen = () => {
        attempt = 0;
        setState("live");
        if (missedSome) throttle.request(ALL_RESOURCES);
        missedSome = true;
        everOpened.current = true;
      };
      source.onerror = () => {
        if (stopped || !source) return;
        setState("reconnecting");
        if (source.readyState !== EventSource.CLOSED) return; // the browser retries by itself
        source.close();
        retry = setTimeout(open, reconnectDelay(attempt++));
      };
      for (const type of EVENT_TYPES) source.addEventListener(type, () => throttle.request(resourcesFor(type)));
    };

    open();
    return () => {
      stopped = true;
      source?.close();
      if (retry) clearTimeout(retry);
      throttle.cancel();
    };
  }, [paused, hidden, queryClient]);

  return paused || hidden ? "paused" : state;
}
