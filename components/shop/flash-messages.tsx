"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { queryKeys } from "@/lib/query-keys";
import type { FlashLevel, FlashMessage } from "@/lib/server/shop/flash";
import { apiFetch } from "./api-client";

const STYLES: Record<FlashLevel, string> = {
  info: "border-sky-200 bg-sky-50 text-sky-900",
  success: "border-green-200 bg-green-50 text-green-900",
  warning: "border-amber-200 bg-amber-50 text-amber-900",
  error: "border-red-200 bg-red-50 text-red-900",
};

/**
 * Shows the flash messages the layout found in the session, then tells the
 * server they were seen (POST /api/messages/ack), which removes them from the
 * session: a reload no longer shows them. Only the shown ids are removed, so a
 * message added meanwhile by another tab survives.
 */
export function FlashMessages({ messages }: { messages: readonly FlashMessage[] }) {
  const [dismissed, setDismissed] = useState<string[]>([]);
  const acknowledged = useRef(new Set<string>());
  const queryClient = useQueryClient();

  useEffect(() => {
    const ids = messages.map((m) => m.id).filter((id) => !acknowledged.current.has(id));
    if (ids.length === 0) return;
    ids.forEach((id) => acknowledged.current.add(id));
    apiFetch("/api/messages/ack", { method: "POST", body: { ids } }).then(
      () => queryClient.invalidateQueries({ queryKey: queryKeys.session.current }), // the panels showed them still stored
      () => ids.forEach((id) => acknowledged.current.delete(id)), // shown again next time
    );
  }, [messages, queryClient]);

  const visible = messages.filter((m) => !dismissed.includes(m.id));
  if (visible.length === 0) return null;
  return (
    <ul aria-label="Messages" className="mb-6 flex flex-col gap-2">
      {visible.map((message) => (
        <li key={message.id} role={message.level === "error" ? "alert" : "status"} className={`flex items-start justify-between gap-4 rounded-md border px-4 py-3 text-sm ${STYLES[message.level]}`}>
          <span>{message.text}</span>
          <button type="button" aria-label="Dismiss message" className="text-current opacity-60 hover:opacity-100" onClick={() => setDismissed((ids) => [...ids, message.id])}>
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}
