"use client";

import { createContext, useContext } from "react";
import type { TimeAxis } from "@/lib/admin-format";
import type { SessionQueryKey } from "@/lib/admin-sessions-query";

/** What every row of one page shares: the server's clock, the expiry axis, and links that keep the current view. */
export interface SessionsListContextValue {
  readonly now: number;
  readonly axis: TimeAxis;
  readonly hrefWith: (changes: Partial<Record<SessionQueryKey, string | null>>) => string;
}

export const SessionsListContext = createContext<SessionsListContextValue | null>(null);

export function useSessionsList(): SessionsListContextValue {
  const value = useContext(SessionsListContext);
  if (!value) throw new Error("useSessionsList needs <SessionsListContext> above it");
  return value;
}
