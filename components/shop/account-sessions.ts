"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { queryKeys } from "@/lib/query-keys";
import { apiFetch } from "./api-client";

/** One row of GET /api/account/sessions: an opaque id, never the session key. */
export interface AccountSessionRow {
  id: string;
  current: boolean;
  device: string;
  ip: string | null;
  createdAt: string | null;
  lastActivity: string | null;
  expiresAt: string;
}

export const fetchMySessions = async (): Promise<AccountSessionRow[]> =>
  (await apiFetch<{ items: AccountSessionRow[] }>("/api/account/sessions")).items;

export function useMySessions() {
  return useQuery({ queryKey: queryKeys.account.sessions, queryFn: fetchMySessions });
}

/** DELETE /api/account/sessions/:id deletes that session row; `current: true` means it was this one (a logout). */
export function useSignOutSession() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiFetch<{ current: boolean }>(`/api/account/sessions/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSuccess: ({ current }) => {
      if (current) {
        queryClient.clear();
        // A full load on purpose: the session cookie changed, and a client-side navigation would keep the
        // root layout (header, flash messages) as rendered for the old session.
        // eslint-disable-next-line @next/next/no-location-assign-relative-destination
        window.location.assign("/login?next=%2Faccount");
        return;
      }
      void queryClient.invalidateQueries({ queryKey: queryKeys.account.sessions });
    },
  });
}

/** POST /api/account/sessions/revoke-others deletes every session of the user but this one. */
export function useSignOutOtherSessions() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiFetch<{ revoked: number }>("/api/account/sessions/revoke-others", { method: "POST" }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.account.sessions }),
  });
}
