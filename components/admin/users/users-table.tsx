"use client";

import { Users } from "lucide-react";
import { useState } from "react";
import type { AdminUserView } from "@/lib/admin-api";
import { formatNumber } from "@/lib/admin-format";
import { askRoleChange, USERS_SHOWN } from "@/lib/admin-users";
import type { Role } from "@/lib/roles";
import { ConfirmDialog } from "../../ui/confirm-dialog";
import { RelativeTime } from "../../ui/relative-time";
import { tableBody, tableFrame, tableHead, tableRow } from "../admin-ui";
import { LoadError } from "../sessions/load-error";
import { StatePanel } from "../sessions/state-panel";
import { SkeletonRows } from "../skeleton-rows";
import { RoleBadge } from "./role-badge";
import { RoleMenu } from "./role-menu";
import { type RoleChoice, useRoleChange, useUsers } from "./use-users";

/** Every user with their role, last login and live sessions; a role change is confirmed first, naming what it ends. */
export function UsersTable({ currentUserId, q }: { currentUserId: number; q: string }) {
  const users = useUsers(q);
  const change = useRoleChange(currentUserId);
  const [choice, setChoice] = useState<RoleChoice | null>(null);
  const question = choice ? askRoleChange(choice.user, choice.role, choice.user.id === currentUserId) : null;
  const items = users.data?.items ?? [];

  const dialog = (
    <ConfirmDialog
      open={choice !== null}
      onOpenChange={(open) => (open ? undefined : setChoice(null))}
      title={question?.title ?? ""}
      description={question?.consequence ?? ""}
      confirmLabel={question?.confirmLabel ?? "Confirm"}
      pending={change.isPending}
      onConfirm={() => (choice ? change.mutate(choice) : undefined)}
    />
  );

  if (users.isError) {
    return <LoadError what="the users" error={users.error} onRetry={() => void users.refetch()} retrying={users.isFetching} next="/admin/users" />;
  }
  if (!users.isPending && items.length === 0) {
    return (
      q ? (
        <StatePanel icon={Users} title={`No username starts with “${q}”`}>
          Check the spelling, or clear the search to see everyone.
        </StatePanel>
      ) : (
        <StatePanel icon={Users} title="No user accounts yet">
          Accounts appear here once people sign up or are created on the server; then give one a role.
        </StatePanel>
      )
    );
  }
  return (
    <div className={tableFrame}>
      <table className="w-full min-w-[40rem] text-sm">
        <caption className="sr-only">Users and their dashboard roles</caption>
        <thead className={tableHead}>
          <tr>
            <th scope="col" className="px-4 py-2.5 font-medium">User</th>
            <th scope="col" className="px-4 py-2.5 font-medium">Role</th>
            <th scope="col" className="px-4 py-2.5 font-medium">Last login</th>
            <th scope="col" className="px-4 py-2.5 text-right font-medium">Active sessions</th>
            <th scope="col" className="px-4 py-2.5">
              <span className="sr-only">Change role</span>
            </th>
          </tr>
        </thead>
        <tbody aria-busy={users.isPending || undefined} className={tableBody}>
          {users.isPending ? (
            <SkeletonRows columns={5} rows={5} />
          ) : (
            items.map((user) => (
              <UserRow
                key={user.id}
                user={user}
                you={user.id === currentUserId}
                since={users.dataUpdatedAt}
                busy={change.isPending && change.variables.user.id === user.id}
                onChoose={(role) => setChoice({ user, role })}
              />
            ))
          )}
        </tbody>
      </table>
      {items.length >= USERS_SHOWN ? (
        <p className="border-t border-stone-200 px-4 py-2.5 text-sm text-stone-600 dark:border-stone-800 dark:text-stone-400">
          The first {USERS_SHOWN} are listed, role holders first: search by username to find anyone else.
        </p>
      ) : null}
      {dialog}
    </div>
  );
}

function UserRow({ user, you, since, busy, onChoose }: { user: AdminUserView; you: boolean; since: number; busy: boolean; onChoose: (role: Role | null) => void }) {
  return (
    <tr className={`${tableRow} align-middle`}>
      <th scope="row" className="px-4 py-2.5 text-left font-normal">
        <span className="font-medium text-stone-900 dark:text-stone-100">{user.username}</span>
        {you ? <span className="ml-1.5 text-xs text-stone-500 dark:text-stone-400">(you)</span> : null}
        {user.name ? <span className="block text-xs text-stone-500 dark:text-stone-400">{user.name}</span> : null}
      </th>
      <td className="px-4 py-2.5">
        <RoleBadge role={user.role} />
      </td>
      <td className="px-4 py-2.5 whitespace-nowrap text-stone-700 dark:text-stone-300">
        {user.lastLogin ? <RelativeTime iso={user.lastLogin} since={since} /> : <span className="text-stone-500 dark:text-stone-400">never</span>}
      </td>
      <td className="px-4 py-2.5 text-right text-stone-900 tabular-nums dark:text-stone-100">{formatNumber(user.activeSessions)}</td>
      <td className="px-4 py-2 text-right">
        <RoleMenu user={user} busy={busy} onChoose={onChoose} />
      </td>
    </tr>
  );
}
