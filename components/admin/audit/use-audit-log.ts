"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import type { AuditPage } from "@/lib/admin-api";
import { type AuditFilters, auditQueryRecord, auditQueryString } from "@/lib/admin-audit";
import { queryKeys } from "@/lib/query-keys";
import { apiFetch } from "../../shop/api-client";

/** GET /api/admin/audit, newest first; "Older entries" appends the next page (cursor paging, never an offset). */
export function useAuditLog(filters: AuditFilters) {
  return useInfiniteQuery({
    queryKey: queryKeys.admin.audit.list(auditQueryRecord(filters)),
    queryFn: ({ pageParam }) => apiFetch<AuditPage>(`/api/admin/audit${auditQueryString(filters, pageParam ? { cursor: pageParam } : {})}`),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
}
