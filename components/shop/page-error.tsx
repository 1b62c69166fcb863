"use client";
import Link from "next/link";
import { primaryButton } from "@/components/ui/button";
import { SERVICE_UNAVAILABLE_DIGEST } from "@/lib/service-unavailable";

/**
 * The site's error page (app/error.tsx). An outage of the session store or the database says so
 * and asks for a retry in a few seconds; any other failure says something went wrong and gives
 * the reference that finds it in the server's log.
 */
export function PageError({ error, retry }: { error: unknown; retry: () => void }) {
  const digest = error instanceof Error ? (error as Error & { digest?: string }).digest : undefined;
  const unavailable = digest === SERVICE_UNAVAILABLE_DIGEST;
  return (
    <main className="mx-auto max-w-5xl px-4 py-8">
      <div role="alert" className="py-16 text-center">
        <h1 className="text-2xl font-semibold">{unavailable ? "Temporarily unavailable" : "Something went wrong"}</h1>
        <p className="mx-auto mt-2 max-w-prose text-stone-600">
          {unavailable
            ? "The shop cannot reach its session store right now. Nothing was changed. Please try again in a few seconds."
            : "This page could not be shown. Nothing was changed. Please try again in a moment."}
        </p>
        {!unavailable && digest && <p className="mt-2 text-xs text-stone-500">Reference: {digest}</p>}
        <div className="mt-6 flex items-center justify-center gap-4">
          <button type="button" className={primaryButton} onClick={() => retry()}>
            Try again
          </button>
          <Link href="/" className="text-sm underline">
            Back to the catalogue
          </Link>
        </div>
      </div>
    </main>
  );
}
