"use client";

import { useQuery } from "@tanstack/react-query";
import type { AdminStats } from "@/lib/admin-api";
import { queryKeys } from "@/lib/query-keys";
import { apiFetch } from "../../shop/api-client";

export const fetchAdminStats = (): Promise<AdminStats> => apiFetch<AdminStats>("/api/admin/stats");

/** GET /api/admin/stats: prefetched with the page, refreshed when the dashboard's data is invalidated. */
export function useAdminStats() {
  return useQuery({ queryKey: queryKeys.admin.stats(), queryFn: fetchAdminStats, staleTime: 10_000 });
}
