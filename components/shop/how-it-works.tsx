import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { getQueryClient } from "@/lib/query-client";
import { queryKeys } from "@/lib/query-keys";
import { readSessionView } from "@/lib/server/shop/session-view";
import { SessionNow } from "./session-now";

/**
 * The teaching panel each shop page carries: what the session just did, and
 * the session itself as it is now (rendered with the page; a failed read is
 * left to the browser, which tries again and says so).
 */
export async function HowItWorks({ children }: { children: ReactNode }) {
  const queryClient = getQueryClient();
  await queryClient.prefetchQuery({ queryKey: queryKeys.session.current, queryFn: readSessionView });
  return (
    <aside aria-label="How this works" className="mt-10 rounded-lg border border-amber-200 bg-amber-50 p-4 text-sm text-amber-950">
      <h2 className="mb-1 font-semibold">How this works</h2>
      <div className="space-y-2">{children}</div>
      <HydrationBoundary state={dehydrate(queryClient)}>
        <SessionNow />
      </HydrationBoundary>
    </aside>
  );
}
