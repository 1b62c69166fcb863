import { LogIn, RotateCw, TriangleAlert } from "lucide-react";
import Link from "next/link";
import { ApiError } from "../../shop/api-client";
import { adminButton } from "./admin-buttons";
import { StatePanel } from "./state-panel";

/**
 * What failed and what to try. A 401 here usually means the admin's own
 * session has just been ended (by them or a colleague): offer the login page.
 */
export function LoadError({
  what,
  error,
  onRetry,
  retrying,
  heading,
  next = "/admin/sessions",
}: {
  what: string;
  error: Error;
  onRetry: () => void;
  retrying: boolean;
  heading?: "h1" | "h2";
  /** Where the login page brings the admin back to. */
  next?: string;
}) {
  if (error instanceof ApiError && error.status === 401) {
    return (
      <StatePanel
        icon={LogIn}
        title="You are signed out"
        role="alert"
        heading={heading}
        actions={
          <Link href={`/login?next=${encodeURIComponent(next)}`} className={adminButton.primary}>
            Log in again
          </Link>
        }
      >
        Your session has ended, perhaps by a kill that included it. Log in again to continue.
      </StatePanel>
    );
  }
  const forbidden = error instanceof ApiError && error.status === 403;
  return (
    <StatePanel
      icon={TriangleAlert}
      tone="error"
      title={`Could not load ${what}`}
      role="alert"
      heading={heading}
      actions={
        forbidden ? null : (
          <button type="button" onClick={onRetry} disabled={retrying} className={adminButton.secondary}>
            <RotateCw aria-hidden className={`size-4 ${retrying ? "animate-spin" : ""}`} /> Try again
          </button>
        )
      }
    >
      <p>{error.message}</p>
      <p className="mt-1">
        {forbidden
          ? "Your dashboard role may have changed; reload the page to see what you can open now."
          : "The server or its database may be unreachable for a moment. Try again; if it persists, check the server's log."}
      </p>
    </StatePanel>
  );
}
