"use client";

import { QueryClientProvider } from "@tanstack/react-query";
import { setNonce } from "get-nonce";
import type { ReactNode } from "react";
import { getQueryClient } from "@/lib/query-client";

/**
 * `nonce` is this response's Content-Security-Policy nonce. Radix's dialogs
 * and menus lock scrolling with a <style> element they add at run time; the
 * policy admits <style> only with the nonce, so they are handed it here,
 * before any of them can open.
 */
export function Providers({ children, nonce }: { children: ReactNode; nonce?: string }) {
  if (nonce && typeof window !== "undefined") setNonce(nonce);
  const queryClient = getQueryClient();
  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}
