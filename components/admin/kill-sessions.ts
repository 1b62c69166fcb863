"use client";

import { type QueryClient, useMutation, useQueryClient } from "@tanstack/react-query";
import type { AdminSessionPage, AdminSessionRow, RevokeRequest, RevokeResult } from "@/lib/admin-api";
import { formatCount } from "@/lib/admin-format";
import { queryKeys } from "@/lib/query-keys";
import { apiFetch } from "../shop/api-client";
import { useToast } from "../ui/toaster";

/** One session (DELETE /api/admin/sessions/:id), or a bulk request (POST /api/admin/sessions/revoke). */
export type KillRequest = { readonly id: string } | RevokeRequest;

// Every cached page of the list, whatever its filters (a prefix of queryKeys.admin.sessions.list).
const LIST_PAGES = [...queryKeys.admin.sessions.all, "list"] as const;

function killsRow(request: KillRequest, row: AdminSessionRow): boolean {
  if ("id" in request) return row.id === request.id;
  if ("ids" in request) return request.ids.includes(row.id);
  if ("userId" in request) return row.userId === request.userId;
  return row.createdAt !== null && Date.parse(row.createdAt) < Date.parse(request.issuedBefore);
}

/** The page as it will look once the kill is done: the rows it ends are gone, the total with them. */
function withoutKilled(page: AdminSessionPage, request: KillRequest): AdminSessionPage {
  const items = page.items.filter((row) => !killsRow(request, row));
  return { ...page, items, total: Math.max(0, page.total - (page.items.length - items.length)) };
}

function sendKill(request: KillRequest): Promise<RevokeResult> {
  if ("id" in request) return apiFetch<RevokeResult>(`/api/admin/sessions/${encodeURIComponent(request.id)}`, { method: "DELETE" });
  return apiFetch<RevokeResult>("/api/admin/sessions/revoke", { method: "POST", body: request });
}

async function removeOptimistically(queryClient: QueryClient, request: KillRequest) {
  await queryClient.cancelQueries({ queryKey: LIST_PAGES });
  const snapshot = queryClient.getQueriesData<AdminSessionPage>({ queryKey: LIST_PAGES });
  queryClient.setQueriesData<AdminSessionPage>({ queryKey: LIST_PAGES }, (page) => (page ? withoutKilled(page, request) : page));
  return { snapshot };
}

/**
 * Ends sessions. The killed rows leave every cached list page at once; if
 * the server refuses, they come back and an error toast says why. Either
 * way every dashboard query is refetched afterwards (counts, audit log).
 */
export function useKillSessions() {
  const queryClient = useQueryClient();
  const toast = useToast();
  return useMutation({
    mutationFn: sendKill,
    onMutate: (request) => removeOptimistically(queryClient, request),
    onError: (error, _request, context) => {
      for (const [key, page] of context?.snapshot ?? []) queryClient.setQueryData(key, page);
      toast.error("No session was ended", `${error.message} The list shows them again.`);
    },
    onSuccess: (result) => toast.success(`Ended ${formatCount(result.revoked, "session")}`),
    // Not awaited: the caller's own onSuccess (a page marking its session ended) must not wait for the refetch.
    onSettled: () => void queryClient.invalidateQueries({ queryKey: queryKeys.admin.all }),
  });
}
