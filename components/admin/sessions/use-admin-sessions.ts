"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { AdminSessionPage } from "@/lib/admin-api";
import { queryKeys } from "@/lib/query-keys";
import { apiFetch } from "../../shop/api-client";

export const fetchAdminSessions = (query: Record<string, string>): Promise<AdminSessionPage> =>
  apiFetch<AdminSessionPage>(`/api/admin/sessions?${new URLSearchParams(query)}`);

/**
 * One page of GET /api/admin/sessions for the effective query. The previous
 * page stays on screen while the next one loads, so paging and filtering
 * never flash an empty table.
 */
export function useAdminSessions(query: Record<string, string>) {
  return useQuery({
    queryKey: queryKeys.admin.sessions.list(query),
    queryFn: () => fetchAdminSessions(query),
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  });
}
