"use client";

import { useState, type FormEvent } from "react";
import { primaryButton, textInput } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-error";
import { ApiError, apiFetch } from "./api-client";
import { safeNextPath } from "./safe-next-path";

/**
 * POST /api/auth/login. On success the response carries a NEW session cookie
 * (the key was rotated), so we load the next page in full: every server
 * component, the header included, then renders with the logged-in session.
 */
export function LoginForm({ next }: { next: string }) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    try {
      await apiFetch("/api/auth/login", { method: "POST", body: { username: String(form.get("username") ?? ""), password: String(form.get("password") ?? "") } });
      // A full load on purpose: the session cookie changed, and a client-side navigation would keep the
      // root layout (header, flash messages) as rendered for the old session.
      // Checked again here, against the page's real origin: only a path on this site.
      window.location.assign(safeNextPath(next, window.location.origin));
    } catch (caught) {
      // 401 says "Invalid username or password." whatever was wrong; 429 says how long to wait.
      setError(caught instanceof ApiError ? caught.message : "Could not reach the server. Try again.");
      setPending(false);
    }
  };

  return (
    <form onSubmit={submit} className="flex flex-col gap-4" aria-label="Log in">
      <label className="flex flex-col gap-1 text-sm font-medium">
        Username
        <input name="username" autoComplete="username" required maxLength={150} className={textInput} />
      </label>
      <label className="flex flex-col gap-1 text-sm font-medium">
        Password
        <input name="password" type="password" autoComplete="current-password" required className={textInput} />
      </label>
      <FormError message={error} />
      <button type="submit" className={primaryButton} disabled={pending}>
        {pending ? "Logging in…" : "Log in"}
      </button>
    </form>
  );
}
