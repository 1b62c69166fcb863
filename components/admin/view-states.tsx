import { AlertTriangle, type LucideIcon } from "lucide-react";
import type { ReactNode } from "react";
import { ApiError } from "../shop/api-client";
import { secondaryButton } from "./admin-ui";

/** What a view shows with nothing in it: what would fill it, and what to do. */
export function EmptyState({ icon: Icon, title, children }: { icon: LucideIcon; title: string; children?: ReactNode }) {
  return (
    <div className="flex flex-col items-center px-6 py-14 text-center">
      <Icon aria-hidden className="size-8 text-stone-400 dark:text-stone-500" />
      <p className="mt-3 font-medium text-stone-900 dark:text-stone-100">{title}</p>
      {children ? <div className="mt-1 max-w-md text-sm text-stone-600 dark:text-stone-400">{children}</div> : null}
    </div>
  );
}

/** What to try after a failed read, by what went wrong. */
export function loadErrorHint(error: Error): string {
  if (error instanceof ApiError && error.status === 401) return "Your session has ended: log in again to continue.";
  if (error instanceof ApiError && error.status === 403) return `${error.message} An admin can change your role on the Users page.`;
  if (error instanceof ApiError) return `${error.message} Try again in a moment.`;
  return "The server could not be reached. Check your connection, then try again.";
}

/** A view that could not load: what went wrong, what to try, and a retry. */
export function ErrorState({ title, message, onRetry }: { title: string; message: string; onRetry?: () => void }) {
  return (
    <div role="alert" className="flex flex-col items-center px-6 py-12 text-center">
      <AlertTriangle aria-hidden className="size-8 text-red-600 dark:text-red-400" />
      <p className="mt-3 font-medium text-stone-900 dark:text-stone-100">{title}</p>
      <p className="mt-1 max-w-md text-sm text-stone-600 dark:text-stone-400">{message}</p>
      {onRetry ? (
        <button type="button" onClick={onRetry} className={`${secondaryButton} mt-4`}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

/** Table rows of grey bars while the first page loads (the table keeps its header, so nothing jumps). */
export function SkeletonRows({ columns, rows = 8 }: { columns: number; rows?: number }) {
  return (
    <>
      {Array.from({ length: rows }, (_, row) => (
        <tr key={row} className="border-t border-stone-100 first:border-t-0 dark:border-stone-800">
          {Array.from({ length: columns }, (_, column) => (
            <td key={column} className="px-4 py-3">
              <div className={`h-3.5 animate-pulse rounded bg-stone-200 dark:bg-stone-800 ${column === 1 ? "w-48" : "w-20"}`} />
            </td>
          ))}
        </tr>
      ))}
    </>
  );
}
