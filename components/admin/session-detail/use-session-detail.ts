"use client";

import { useQuery } from "@tanstack/react-query";
import type { AdminSessionDetail, AdminSessionPage } from "@/lib/admin-api";
import { queryKeys } from "@/lib/query-keys";
import { ApiError, apiFetch } from "../../shop/api-client";

const detailPath = (id: string) => `/api/admin/sessions/${encodeURIComponent(id)}`;

// An unknown id is an answer, not a hiccup: do not retry a 404.
const retryUnlessMissing = (failures: number, error: Error) => !(error instanceof ApiError && error.status === 404) && failures < 1;

/** GET /api/admin/sessions/:id; stops asking once the session has been ended from this page. */
export function useSessionDetail(id: string, enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.admin.sessions.detail(id),
    queryFn: () => apiFetch<AdminSessionDetail>(detailPath(id)),
    enabled,
    retry: retryUnlessMissing,
  });
}

/** The unmasked `_auth_user_hash`, fetched only when an admin asks for it (GET …?reveal=hash). */
export function useRevealedHash(id: string, enabled: boolean) {
  return useQuery({
    queryKey: [...queryKeys.admin.sessions.detail(id), "reveal"],
    queryFn: () => apiFetch<AdminSessionDetail>(`${detailPath(id)}?reveal=hash`),
    select: (detail) => {
      const hash = detail.data?._auth_user_hash;
      return typeof hash === "string" ? hash : null;
    },
    enabled,
    retry: retryUnlessMissing,
    staleTime: 0,
    gcTime: 0,
  });
}

/**
 * How many live sessions a user has, for "End all N sessions of alice" (the total of a one-row
 * page; `atLeast` when the server stopped counting, "1,000+").
 */
export function useUserSessionCount(userId: number | null, enabled: boolean) {
  const query = { status: "active", sort: "-created", user: String(userId), limit: "1" };
  return useQuery({
    queryKey: queryKeys.admin.sessions.list(query),
    queryFn: () => apiFetch<AdminSessionPage>(`/api/admin/sessions?${new URLSearchParams(query)}`),
    enabled: enabled && userId !== null,
    select: (page) => ({ total: page.total, atLeast: page.totalIsLowerBound }),
  });
}
