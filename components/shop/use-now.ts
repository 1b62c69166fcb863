"use client";

import { useEffect, useState } from "react";

/**
 * A clock for relative dates: `since` (e.g. when the data was fetched, the same
 * number on the server and in the browser, so hydration matches), then the
 * browser's time, refreshed every 30 seconds.
 */
export function useNow(since: number): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return Math.max(since, tick);
}
