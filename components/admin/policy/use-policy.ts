"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { AdminPolicyView, PolicyImpact, PolicySettings, PolicyUpdateRequest } from "@/lib/admin-api";
import { queryKeys } from "@/lib/query-keys";
import { apiFetch } from "../../shop/api-client";
import { useToast } from "../../ui/toaster";

/** GET /api/admin/policy. */
export function usePolicy() {
  return useQuery({ queryKey: queryKeys.admin.policy.view, queryFn: () => apiFetch<AdminPolicyView>("/api/admin/policy") });
}

/** `value`, once it has stopped changing for `ms`. */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/**
 * POST /api/admin/policy/preview for the candidate, redrawn as it changes (the last answer stays up
 * meanwhile). `exact`: count every live session even where the server would estimate.
 */
export function usePolicyPreview(candidate: PolicySettings, enabled: boolean, exact = false) {
  return useQuery({
    queryKey: queryKeys.admin.policy.preview({ ...candidate, count: exact ? "exact" : "default" }),
    queryFn: () => apiFetch<PolicyImpact>(`/api/admin/policy/preview${exact ? "?count=exact" : ""}`, { method: "POST", body: candidate }),
    enabled,
    placeholderData: keepPreviousData,
    retry: false,
  });
}

/** PUT /api/admin/policy; afterwards everything the dashboard shows may have changed. */
export function useSavePolicy() {
  const queryClient = useQueryClient();
  const toast = useToast();
  return useMutation({
    mutationFn: (request: PolicyUpdateRequest) => apiFetch<AdminPolicyView>("/api/admin/policy", { method: "PUT", body: request }),
    onSuccess: (view) => {
      queryClient.setQueryData(queryKeys.admin.policy.view, view);
      toast.success("Session policy saved", "In force from each session's next request, on every instance within seconds.");
      void queryClient.invalidateQueries({ queryKey: queryKeys.admin.all });
    },
    onError: (error) => {
      toast.error("The policy was not saved", error.message);
      void queryClient.invalidateQueries({ queryKey: queryKeys.admin.policy.view });
    },
  });
}
