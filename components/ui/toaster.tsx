"use client";

import * as Toast from "@radix-ui/react-toast";
import { X } from "lucide-react";
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from "react";

type Tone = "success" | "error" | "info";
interface ToastItem {
  readonly id: number;
  readonly tone: Tone;
  readonly title: string;
  readonly description?: string;
}

const ToastContext = createContext<((toast: Omit<ToastItem, "id">) => void) | null>(null);

const TONES: Record<Tone, string> = {
  success: "border-emerald-300 dark:border-emerald-700",
  error: "border-red-300 dark:border-red-700",
  info: "border-stone-300 dark:border-stone-600",
};

/** Radix toasts (announced politely to screen readers; errors assertively), one provider per dashboard. */
export function Toaster({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<ToastItem[]>([]);
  const push = useCallback((toast: Omit<ToastItem, "id">) => {
    setToasts((current) => [...current.slice(-3), { ...toast, id: Date.now() + Math.random() }]);
  }, []);
  const remove = (id: number) => setToasts((current) => current.filter((toast) => toast.id !== id));
  return (
    <ToastContext.Provider value={push}>
      <Toast.Provider swipeDirection="right" duration={6000}>
        {children}
        {toasts.map((toast) => (
          <Toast.Root
            key={toast.id}
            type={toast.tone === "error" ? "foreground" : "background"}
            onOpenChange={(open) => (open ? undefined : remove(toast.id))}
            className={`flex items-start gap-3 rounded-md border bg-white p-3 text-sm text-stone-900 shadow-lg dark:bg-stone-900 dark:text-stone-100 ${TONES[toast.tone]}`}
          >
            <div className="flex-1">
              <Toast.Title className="font-medium">{toast.title}</Toast.Title>
              {toast.description ? <Toast.Description className="mt-0.5 text-stone-600 dark:text-stone-400">{toast.description}</Toast.Description> : null}
            </div>
            <Toast.Close aria-label="Dismiss" className="rounded p-0.5 text-stone-500 hover:text-stone-900 dark:hover:text-stone-100">
              <X aria-hidden className="size-4" />
            </Toast.Close>
          </Toast.Root>
        ))}
        <Toast.Viewport className="fixed bottom-4 right-4 z-50 flex w-96 max-w-[calc(100vw-2rem)] flex-col gap-2 outline-none" />
      </Toast.Provider>
    </ToastContext.Provider>
  );
}

export function useToast() {
  const push = useContext(ToastContext);
  if (!push) throw new Error("useToast needs <Toaster> above it");
  return useMemo(
    () => ({
      success: (title: string, description?: string) => push({ tone: "success", title, description }),
      error: (title: string, description?: string) => push({ tone: "error", title, description }),
      info: (title: string, description?: string) => push({ tone: "info", title, description }),
    }),
    [push],
  );
}
