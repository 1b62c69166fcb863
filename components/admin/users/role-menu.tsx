"use client";

import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { Check, ChevronDown } from "lucide-react";
import { useRef } from "react";
import type { AdminUserView } from "@/lib/admin-api";
import { ROLE_DESCRIPTIONS, ROLES, type Role } from "@/lib/roles";
import { adminPortal } from "../admin-ui";
import { adminButton } from "../sessions/admin-buttons";

const NO_ROLE = "none";
const OPTIONS = [
  ...ROLES.map((role) => ({ value: role, label: role[0]!.toUpperCase() + role.slice(1), description: ROLE_DESCRIPTIONS[role] })),
  { value: NO_ROLE, label: "No role", description: "A shopper: no access to the dashboard." },
];

/**
 * Picks a new role for a user; choosing one only asks for confirmation (the
 * caller's dialog). The dialog opens once the menu has closed and given the
 * focus back to its button, so that closing the dialog returns it there.
 */
export function RoleMenu({ user, busy, onChoose }: { user: AdminUserView; busy: boolean; onChoose: (role: Role | null) => void }) {
  const chosen = useRef<{ role: Role | null } | null>(null);
  const choose = (value: string) => {
    const role = value === NO_ROLE ? null : (value as Role);
    chosen.current = role === user.role ? null : { role };
  };
  const openDialog = () => {
    if (chosen.current && !busy) onChoose(chosen.current.role);
    chosen.current = null;
  };
  return (
    <DropdownMenu.Root modal={false}>
      {/* Never disabled while saving: the focus comes back here when the dialog closes. */}
      <DropdownMenu.Trigger aria-busy={busy || undefined} className={adminButton.secondary}>
        {busy ? "Saving…" : "Change role"}
        <span className="sr-only"> of {user.username}</span>
        <ChevronDown aria-hidden className="size-3.5" />
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal container={adminPortal()}>
        <DropdownMenu.Content
          align="end"
          sideOffset={4}
          onCloseAutoFocus={() => setTimeout(openDialog)}
          className="z-50 w-72 rounded-md border border-stone-200 bg-white p-1 text-sm text-stone-900 shadow-lg dark:border-stone-700 dark:bg-stone-900 dark:text-stone-100"
        >
          <DropdownMenu.Label className="px-2 py-1.5 text-xs font-medium text-stone-500 dark:text-stone-400">Role of {user.username}</DropdownMenu.Label>
          <DropdownMenu.RadioGroup value={user.role ?? NO_ROLE} onValueChange={choose}>
            {OPTIONS.map((option) => (
              <DropdownMenu.RadioItem
                key={option.value}
                value={option.value}
                className="flex cursor-default gap-2 rounded px-2 py-1.5 outline-none data-[highlighted]:bg-stone-100 dark:data-[highlighted]:bg-stone-800"
              >
                <span className="mt-0.5 size-4 shrink-0">
                  <DropdownMenu.ItemIndicator>
                    <Check aria-hidden className="size-4 text-amber-700 dark:text-amber-500" />
                  </DropdownMenu.ItemIndicator>
                </span>
                <span>
                  <span className="block font-medium">{option.label}</span>
                  <span className="block text-xs text-stone-500 dark:text-stone-400">{option.description}</span>
                </span>
              </DropdownMenu.RadioItem>
            ))}
          </DropdownMenu.RadioGroup>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
