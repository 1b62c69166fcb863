import type { AdminSessionDetail } from "@/lib/admin-api";
import { formatBytes } from "@/lib/admin-format";
import { RelativeTime } from "../../ui/relative-time";
import { SignatureBadge } from "./signature-badge";

/** The stored value's facts beside the data: signature, size, engine, times and the full user agent. */
export function SessionFacts({ session, now }: { session: AdminSessionDetail; now: number }) {
  const row = "flex flex-col gap-1 py-2.5";
  const term = "text-xs font-medium uppercase tracking-wide text-stone-500 dark:text-stone-400";
  return (
    <section aria-labelledby="facts-title" className="rounded-lg border border-stone-200 bg-white px-5 py-3 shadow-sm dark:border-stone-800 dark:bg-stone-900">
      <h2 id="facts-title" className="sr-only">Stored value</h2>
      <dl className="divide-y divide-stone-100 text-sm dark:divide-stone-800">
        <div className={row}>
          <dt className={term}>Signature</dt>
          <dd><SignatureBadge signature={session.signature} /></dd>
        </div>
        <div className="grid grid-cols-2 gap-4 py-2.5">
          <div className="flex flex-col gap-1">
            <dt className={term}>Raw size</dt>
            <dd className="tabular-nums">{formatBytes(session.rawSize)}</dd>
          </div>
          <div className="flex flex-col gap-1">
            <dt className={term}>Engine</dt>
            <dd><code className="text-xs">{session.engine}</code></dd>
          </div>
        </div>
        <div className="grid grid-cols-2 gap-4 py-2.5">
          <div className="flex flex-col gap-1">
            <dt className={term}>Created</dt>
            <dd><RelativeTime iso={session.createdAt} since={now} /></dd>
          </div>
          <div className="flex flex-col gap-1">
            <dt className={term}>Last active</dt>
            <dd><RelativeTime iso={session.lastActivity} since={now} /></dd>
          </div>
        </div>
        <div className={row}>
          <dt className={term}>Expires</dt>
          <dd><RelativeTime iso={session.expiresAt} since={now} /></dd>
        </div>
        <div className={row}>
          <dt className={term}>User agent</dt>
          <dd className="break-all font-mono text-xs text-stone-600 dark:text-stone-400">{session.userAgent ?? "not recorded"}</dd>
        </div>
      </dl>
    </section>
  );
}
