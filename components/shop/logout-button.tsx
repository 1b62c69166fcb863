"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { apiFetch } from "./api-client";

/** POST /api/auth/logout flushes the session (Django's logout()): data gone, cookie deleted. */
export function LogoutButton() {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);

  const logOut = () =>
    startTransition(async () => {
      try {
        await apiFetch("/api/auth/logout", { method: "POST" });
        queryClient.clear(); // nothing cached for the old session may outlive it
        router.refresh();
      } catch (caught) {
        setError(caught instanceof Error ? caught.message : "Logging out failed.");
      }
    });

  return (
    <button type="button" onClick={logOut} disabled={pending} title={error ?? undefined} className="hover:text-stone-900 disabled:opacity-50">
      {pending ? "Logging out…" : "Log out"}
    </button>
  );
}
