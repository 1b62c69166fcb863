import { ArrowLeft, CircleSlash } from "lucide-react";
import Link from "next/link";
import { adminButton } from "../sessions/admin-buttons";

/** After a kill from this page: the session is gone; say what happens next and offer the way back. */
export function SessionEnded({ count }: { count: number }) {
  return (
    <div role="status" className="flex flex-wrap items-center justify-between gap-3 rounded-lg border border-stone-300 bg-stone-100 px-4 py-3 text-sm dark:border-stone-700 dark:bg-stone-800/60">
      <p className="flex items-center gap-2">
        <CircleSlash aria-hidden className="size-4 text-red-600 dark:text-red-400" />
        <span>
          <strong className="font-semibold">This session has ended</strong>
          {count > 1 ? `, with ${count - 1} other${count === 2 ? "" : "s"} of the same user` : ""}. Its browser is signed out on its next request; what you
          see below is how it was.
        </span>
      </p>
      <Link href="/admin/sessions" className={adminButton.secondary}>
        <ArrowLeft aria-hidden className="size-4" /> Back to sessions
      </Link>
    </div>
  );
}
