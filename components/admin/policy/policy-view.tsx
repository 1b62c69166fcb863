"use client";

import { LoadError } from "../sessions/load-error";
import { PolicyEditor } from "./policy-editor";
import { usePolicy } from "./use-policy";

/** The policy page's body: the form once the policy is loaded (prefetched on the server), else its loading or error state. */
export function PolicyView() {
  const policy = usePolicy();
  if (policy.error) return <LoadError what="the session policy" error={policy.error} onRetry={() => void policy.refetch()} retrying={policy.isFetching} next="/admin/policy" />;
  if (!policy.data) {
    return (
      <div className="grid gap-5 xl:grid-cols-[minmax(0,1fr)_24rem]" aria-label="Loading the policy">
        <div className="h-[32rem] animate-pulse rounded-lg bg-stone-200/60 dark:bg-stone-800/60" />
        <div className="h-80 animate-pulse rounded-lg bg-stone-200/60 dark:bg-stone-800/60" />
      </div>
    );
  }
  // A new version (a save here or elsewhere) starts the form again from the server's values.
  return <PolicyEditor key={policy.data.version} view={policy.data} />;
}
