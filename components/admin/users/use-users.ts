"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { AdminUserList, AdminUserView, RoleChangeRequest, RoleChangeResult } from "@/lib/admin-api";
import { announceRoleChange, usersQueryString } from "@/lib/admin-users";
import { queryKeys } from "@/lib/query-keys";
import type { Role } from "@/lib/roles";
import { apiFetch } from "../../shop/api-client";
import { useToast } from "../../ui/toaster";

/** GET /api/admin/users: role holders first, then everyone else; `q` narrows to usernames that start with it. */
export function useUsers(q: string) {
  return useQuery({
    queryKey: queryKeys.admin.users.list(q),
    queryFn: () => apiFetch<AdminUserList>(`/api/admin/users${usersQueryString(q)}`),
  });
}

export interface RoleChoice {
  readonly user: AdminUserView;
  readonly role: Role | null;
}

/**
 * PUT /api/admin/users/:id/role. The server ends the user's sessions and
 * writes the audit entry; afterwards everything the dashboard shows is stale
 * (sessions, audit log, users). An admin who ended their own session logs in again.
 */
export function useRoleChange(currentUserId: number) {
  const queryClient = useQueryClient();
  const toast = useToast();
  return useMutation({
    mutationFn: ({ user, role }: RoleChoice) =>
      apiFetch<RoleChangeResult>(`/api/admin/users/${user.id}/role`, { method: "PUT", body: { role } satisfies RoleChangeRequest }),
    onSuccess: (result) => {
      const { title, description } = announceRoleChange(result);
      toast.success(title, description);
      if (result.user.id === currentUserId && result.sessionsEnded > 0) {
        queryClient.clear();
        // A full load on purpose: this browser's session has just ended, and the whole frame was drawn for it.
        // eslint-disable-next-line @next/next/no-location-assign-relative-destination
        window.location.assign("/login?next=%2Fadmin");
        return;
      }
      void queryClient.invalidateQueries({ queryKey: queryKeys.admin.all });
    },
    onError: (error, { user }) => toast.error(`The role of ${user.username} was not changed`, error.message),
  });
}
