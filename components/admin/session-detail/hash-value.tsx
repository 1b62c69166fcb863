"use client";

import { Eye, EyeOff } from "lucide-react";
import { useState } from "react";
import { maskSecret } from "@/lib/admin-format";
import { useRevealedHash } from "./use-session-detail";

/**
 * `_auth_user_hash` is derived from the user's password: shown as "••••1a2b"
 * (enough to compare two sessions); admins may reveal it, which asks the
 * server again with ?reveal=hash (and only then does it leave the server).
 */
export function HashValue({ sessionId, value, canReveal }: { sessionId: string; value: string; canReveal: boolean }) {
  const [reveal, setReveal] = useState(false);
  const revealed = useRevealedHash(sessionId, reveal);
  const shown = reveal && revealed.data ? revealed.data : maskSecret(value);
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <code className="break-all font-mono text-xs">{shown}</code>
      {canReveal ? (
        <button
          type="button"
          onClick={() => setReveal((current) => !current)}
          aria-pressed={reveal}
          className="inline-flex items-center gap-1 rounded px-1 text-xs font-medium text-amber-800 hover:underline focus-visible:outline-2 focus-visible:outline-amber-600 dark:text-amber-400"
        >
          {reveal ? <EyeOff aria-hidden className="size-3.5" /> : <Eye aria-hidden className="size-3.5" />}
          {!reveal ? "Reveal" : revealed.isFetching ? "Revealing…" : "Hide"}
        </button>
      ) : null}
      {revealed.isError ? <span role="alert" className="text-xs text-red-700 dark:text-red-400">{revealed.error.message}</span> : null}
    </span>
  );
}
