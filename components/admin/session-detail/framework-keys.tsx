import Link from "next/link";
import type { ReactNode } from "react";
import type { AdminUserRef } from "@/lib/admin-api";
import { formatDuration } from "@/lib/admin-format";
import { formatDateTime } from "@/lib/format";
import { pythonValue } from "./data-value";

const fromUnix = (value: unknown): string | null => (typeof value === "number" && Number.isFinite(value) ? formatDateTime(new Date(value * 1000).toISOString()) : null);

const count = (value: unknown): number => (Array.isArray(value) ? value.length : 0);

function expiry(value: unknown): ReactNode {
  const python = pythonValue(value);
  if (python?.__python__ === "datetime") {
    const naive = python.tz === "naive" ? ", naive and read as UTC" : "";
    return `Ends at ${formatDateTime(python.at)} (set_expiry with a date, kept as a Python datetime as Django 3.2 does on the cache engines${naive}).`;
  }
  if (value === 0) return "Ends when the browser closes (set_expiry(0)); the stored row still expires with the cookie age.";
  if (typeof value === "number") return `Ends ${formatDuration(value * 1000)} after its last save (set_expiry(${value})).`;
  if (typeof value === "string" && !Number.isNaN(Date.parse(value))) return `Ends at ${formatDateTime(new Date(Date.parse(value)).toISOString())} (set_expiry with a date).`;
  return "A custom expiry the framework cannot read: the session is treated as expired.";
}

/** The keys the framework and the shop write, explained in words; null for the application's own keys. */
export function explainKey(key: string, value: unknown, user: AdminUserRef | null): ReactNode | null {
  switch (key) {
    case "_auth_user_id":
      return user ? (
        <>
          Signed-in user:{" "}
          <Link href={`/admin/sessions?user=${encodeURIComponent(user.username)}`} className="font-medium text-amber-800 underline underline-offset-2 dark:text-amber-400">
            {user.username}
          </Link>
        </>
      ) : (
        "Signed-in user id, of an account that no longer exists."
      );
    case "_auth_user_backend":
      return "The authentication backend that logged the user in.";
    case "_auth_user_hash":
      return "Derived from the user's password: after a password change it no longer matches, and the session ends.";
    case "_session_expiry":
      return expiry(value);
    case "_session_created":
      return `Created ${fromUnix(value) ?? "at an unreadable time"}; the absolute lifetime counts from here.`;
    case "_session_activity":
      return `Last recorded activity ${fromUnix(value) ?? "at an unreadable time"}; the idle timeout counts from here.`;
    case "cart": {
      const lines = count((value as { items?: unknown } | null)?.items);
      return `The shop cart: ${lines} product${lines === 1 ? "" : "s"}.`;
    }
    case "_flash":
      return `Flash messages waiting for the next page: ${count(value)}.`;
    case "_messages":
      return "Messages of django.contrib.messages waiting to be shown.";
    case "_csrftoken":
      return "The CSRF token, kept in the session (CSRF_USE_SESSIONS).";
    default:
      return null;
  }
}
