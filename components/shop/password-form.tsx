"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { queryKeys } from "@/lib/query-keys";
import { primaryButton, textInput } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-error";
import { MIN_PASSWORD_LENGTH } from "@/lib/password-rules";
import { apiFetch } from "./api-client";

/** POST /api/account/password: the server checks the current password and applies update_session_auth_hash. */
export function PasswordForm() {
  const queryClient = useQueryClient();
  const [mismatch, setMismatch] = useState<string | null>(null);
  const change = useMutation({
    mutationFn: (body: { currentPassword: string; newPassword: string }) => apiFetch("/api/account/password", { method: "POST", body }),
    onSuccess: () => {
      // A new key and a new _auth_user_hash: the list of sessions and this session's panel both changed.
      void queryClient.invalidateQueries({ queryKey: queryKeys.account.sessions });
      void queryClient.invalidateQueries({ queryKey: queryKeys.session.current });
    },
  });

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const newPassword = String(form.get("newPassword") ?? "");
    if (newPassword !== String(form.get("confirmPassword") ?? "")) {
      setMismatch("The two new passwords do not match.");
      return;
    }
    setMismatch(null);
    change.mutate({ currentPassword: String(form.get("currentPassword") ?? ""), newPassword }, { onSuccess: () => formElement.reset() });
  };

  return (
    <form onSubmit={submit} className="flex max-w-md flex-col gap-4" aria-label="Change password">
      <label className="flex flex-col gap-1 text-sm font-medium">
        Current password
        <input name="currentPassword" type="password" autoComplete="current-password" required className={textInput} />
      </label>
      <div className="flex flex-col gap-1">
        <label htmlFor="new-password" className="text-sm font-medium">New password</label>
        <input id="new-password" name="newPassword" type="password" autoComplete="new-password" required minLength={MIN_PASSWORD_LENGTH} aria-describedby="new-password-hint" className={textInput} />
        <p id="new-password-hint" className="text-xs text-stone-500">At least {MIN_PASSWORD_LENGTH} characters, not only digits.</p>
      </div>
      <label className="flex flex-col gap-1 text-sm font-medium">
        Confirm new password
        <input name="confirmPassword" type="password" autoComplete="new-password" required minLength={MIN_PASSWORD_LENGTH} className={textInput} />
      </label>
      <FormError message={mismatch ?? (change.isError ? change.error.message : null)} />
      {change.isSuccess ? (
        <p role="status" className="rounded-md border border-green-200 bg-green-50 px-3 py-2 text-sm text-green-800">
          Password changed. Your other sessions were signed out; this one was kept, with a new session key.
        </p>
      ) : null}
      <button type="submit" className={primaryButton} disabled={change.isPending}>
        {change.isPending ? "Changing…" : "Change password"}
      </button>
    </form>
  );
}
