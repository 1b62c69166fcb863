"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { AccountSession, RevokeOthersResult, RevokeResult } from "@/lib/server/account/sessions";
import { queryKeys } from "@/lib/query-keys";
import { apiFetch } from "./api-client";

/** GET /api/account/sessions: each row has an opaque id, never the session key. */
export const fetchMySessions = async (): Promise<AccountSession[]> =>
  (await apiFetch<{ items: AccountSession[] }>("/api/account/sessions")).items;

export function useMySessions() {
  return useQuery({ queryKey: queryKeys.account.sessions, queryFn: fetchMySessions });
}

/** DELETE /api/account/sessions/:id deletes that session row; `current: true` means it was this one (a logout). */
export function useSignOutSession() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiFetch<RevokeResult>(`/api/account/sessions/${encodeURIComponent(id)}`, { method: "DELETE" }),
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
    mutationFn: () => apiFetch<RevokeOthersResult>("/api/account/sessions/revoke-others", { method: "POST" }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.account.sessions }),
  });
}
