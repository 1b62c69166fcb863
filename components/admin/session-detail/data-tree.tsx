import type { AdminUserRef } from "@/lib/admin-api";
import { maskSecret } from "@/lib/admin-format";
import { DataValue, TypeTag } from "./data-value";
import { explainKey } from "./framework-keys";
import { HashValue } from "./hash-value";

/** The decoded session dictionary: one row per key, the framework's keys explained, values as a tree. */
export function DataTree({ sessionId, data, user, canReveal }: { sessionId: string; data: Record<string, unknown>; user: AdminUserRef | null; canReveal: boolean }) {
  const entries = Object.entries(data);
  if (entries.length === 0) {
    return <p className="text-sm text-stone-600 dark:text-stone-400">The session is empty: a visitor who has not logged in or put anything in it yet.</p>;
  }
  return (
    <dl className="divide-y divide-stone-100 dark:divide-stone-800">
      {entries.map(([key, value]) => {
        const explanation = explainKey(key, value, user);
        return (
          <div key={key} className="grid gap-1 py-2.5 sm:grid-cols-[minmax(9rem,14rem)_1fr] sm:gap-4">
            <dt className="break-all font-mono text-xs font-medium text-stone-800 dark:text-stone-200">{key}</dt>
            <dd className="flex min-w-0 flex-col gap-1">
              {explanation ? <span className="text-sm text-stone-700 dark:text-stone-300">{explanation}</span> : null}
              {key === "_auth_user_hash" && typeof value === "string" ? (
                <span>
                  <HashValue sessionId={sessionId} value={value} canReveal={canReveal} />
                  <TypeTag value={value} />
                </span>
              ) : key === "_csrftoken" && typeof value === "string" ? (
                <code className="font-mono text-xs">{maskSecret(value)}</code>
              ) : (
                <DataValue value={value} />
              )}
            </dd>
          </div>
        );
      })}
    </dl>
  );
}
