"use client";

import type { ReactNode } from "react";
import { ConfirmDialog } from "../ui/confirm-dialog";

/**
 * The confirmation in front of every kill: the title names the count ("End 37
 * sessions of alice?"), the text says what ending means on every engine.
 */
export function KillDialog({
  trigger,
  title,
  confirmLabel,
  onConfirm,
  children,
  open,
  onOpenChange,
  disabled = false,
}: {
  trigger?: ReactNode;
  title: string;
  confirmLabel: string;
  onConfirm: () => void;
  children?: ReactNode;
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
  disabled?: boolean;
}) {
  return (
    <ConfirmDialog
      trigger={trigger}
      title={title}
      confirmLabel={confirmLabel}
      onConfirm={onConfirm}
      pending={disabled}
      open={open}
      onOpenChange={onOpenChange}
      description={
        <div className="flex flex-col gap-3">
          {children}
          <p>
            Ending a session deletes it from the store and from any cache in front of it, at once; its browser is signed out on its next request.
            The audit log records who did it, when and from where.
          </p>
        </div>
      }
    />
  );
}
