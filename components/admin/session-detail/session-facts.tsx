import type { ReactNode } from "react";
import type { AdminSessionDetail } from "@/lib/admin-api";
import { CREATION_ESTIMATE, formatBytes } from "@/lib/admin-format";
import { RelativeTime } from "../../ui/relative-time";
import { SignatureBadge } from "./signature-badge";

function Fact({ term, wide = false, children }: { term: string; wide?: boolean; children: ReactNode }) {
  return (
    <div className={`flex flex-col gap-1 border-t border-stone-100 py-2.5 first:border-t-0 dark:border-stone-800 ${wide ? "col-span-2" : ""}`}>
      <dt className="text-xs font-medium uppercase tracking-wide text-stone-500 dark:text-stone-400">{term}</dt>
      <dd className="text-sm">{children}</dd>
    </div>
  );
}

/** The stored value's facts beside the data: signature, size, engine, times and the full user agent. */
export function SessionFacts({ session, now }: { session: AdminSessionDetail; now: number }) {
  return (
    <section aria-labelledby="facts-title" className="rounded-lg border border-stone-200 bg-white px-5 py-3 shadow-sm dark:border-stone-800 dark:bg-stone-900">
      <h2 id="facts-title" className="sr-only">Stored value</h2>
      <dl className="grid grid-cols-2 gap-x-4">
        <Fact term="Signature" wide>
          <SignatureBadge signature={session.signature} />
        </Fact>
        <Fact term="Raw size">
          <span className="tabular-nums">{formatBytes(session.rawSize)}</span>
        </Fact>
        <Fact term="Engine">
          <code className="text-xs">{session.engine}</code>
        </Fact>
        <Fact term={session.createdEstimated ? "Created (estimated)" : "Created"}>
          <RelativeTime iso={session.createdAt} since={now} estimated={session.createdEstimated ? CREATION_ESTIMATE : undefined} />
          {session.createdEstimated ? <span className="mt-0.5 block text-xs text-stone-500 dark:text-stone-400">Expiry less the cookie age: Django does not record when it made a session.</span> : null}
        </Fact>
        <Fact term="Last active">
          <RelativeTime iso={session.lastActivity} since={now} />
        </Fact>
        <Fact term="Expires" wide>
          <RelativeTime iso={session.expiresAt} since={now} />
        </Fact>
        <Fact term="User agent" wide>
          <span className="break-all font-mono text-xs text-stone-600 dark:text-stone-400">{session.userAgent ?? "not recorded"}</span>
        </Fact>
      </dl>
    </section>
  );
}
