"use client";

import * as AlertDialog from "@radix-ui/react-alert-dialog";
import { type ReactNode, useRef } from "react";

/**
 * An accessible confirmation for a destructive action (Radix AlertDialog:
 * focus trapped, Escape cancels, the safe button has focus first). The title
 * names what happens and how much ("End 37 sessions of alice?").
 */
export function ConfirmDialog({
  trigger,
  title,
  description,
  confirmLabel,
  pending = false,
  onConfirm,
  open,
  onOpenChange,
}: {
  trigger?: ReactNode;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  pending?: boolean;
  onConfirm: () => void;
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
}) {
  // Without a trigger (opened from a menu, say), Radix has nowhere to return the focus: go back to where it was.
  const returnFocus = useRef<HTMLElement | null>(null);
  return (
    <AlertDialog.Root open={open} onOpenChange={onOpenChange}>
      {trigger ? <AlertDialog.Trigger asChild>{trigger}</AlertDialog.Trigger> : null}
      {/* Inside the dashboard's root, so its colour scheme (the `dark` class there) reaches the dialog. */}
      <AlertDialog.Portal container={typeof document === "undefined" ? undefined : (document.getElementById("admin-root") ?? undefined)}>
        <AlertDialog.Overlay className="fixed inset-0 z-40 bg-stone-950/40 backdrop-blur-[1px]" />
        <AlertDialog.Content
          onOpenAutoFocus={() => {
            returnFocus.current = trigger ? null : (document.activeElement as HTMLElement | null);
          }}
          onCloseAutoFocus={(event) => {
            if (!returnFocus.current?.isConnected) return;
            event.preventDefault();
            returnFocus.current.focus();
          }}
          className="fixed left-1/2 top-1/2 z-50 w-[min(28rem,calc(100vw-2rem))] -translate-x-1/2 -translate-y-1/2 rounded-lg border border-stone-200 bg-white p-6 text-stone-900 shadow-xl focus:outline-none dark:border-stone-700 dark:bg-stone-900 dark:text-stone-100">
          <AlertDialog.Title className="text-base font-semibold">{title}</AlertDialog.Title>
          <AlertDialog.Description asChild>
            <div className="mt-2 text-sm text-stone-600 dark:text-stone-400">{description}</div>
          </AlertDialog.Description>
          <div className="mt-6 flex justify-end gap-2">
            <AlertDialog.Cancel className="rounded-md border border-stone-300 bg-white px-3 py-2 text-sm font-medium hover:bg-stone-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-amber-600 dark:border-stone-600 dark:bg-stone-800 dark:hover:bg-stone-700">
              Cancel
            </AlertDialog.Cancel>
            <AlertDialog.Action
              disabled={pending}
              onClick={onConfirm}
              className="rounded-md bg-red-700 px-3 py-2 text-sm font-medium text-white hover:bg-red-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-600 disabled:opacity-50"
            >
              {confirmLabel}
            </AlertDialog.Action>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
