import { TriangleAlert } from "lucide-react";
import type { ReactNode } from "react";
import type { AdminSessionDetail } from "@/lib/admin-api";
import { formatDateTime } from "@/lib/format";
import { tableBody, tableHead } from "../admin-ui";
import { RelativeTime } from "../../ui/relative-time";

/** A value that differs from the row before: highlighted, and said in words (not by colour alone). */
function Cell({ changed, children }: { changed: boolean; children: ReactNode }) {
  return (
    <td className={`px-3 py-2 ${changed ? "bg-orange-50 dark:bg-orange-500/10" : ""}`}>
      <span className={changed ? "font-medium text-orange-950 dark:text-orange-100" : ""}>{children}</span>
      {changed ? (
        <span className="ml-2 rounded bg-orange-100 px-1.5 py-0.5 text-[11px] font-semibold uppercase tracking-wide text-orange-900 dark:bg-orange-400/20 dark:text-orange-200">
          changed
        </span>
      ) : null}
    </td>
  );
}

/**
 * Where a flagged session was seen from, oldest first: one row per change of
 * IP address or device family, the change highlighted. Shown only for
 * flagged sessions (an unflagged one was only ever seen from one place).
 */
export function SeenFrom({ session, now }: { session: AdminSessionDetail; now: number }) {
  if (!session.flaggedAt || session.sightings.length === 0) return null;
  return (
    <section aria-labelledby="seen-from-title" className="rounded-lg border border-orange-200 bg-white shadow-sm dark:border-orange-400/30 dark:bg-stone-900">
      <div className="flex flex-wrap items-start gap-3 px-5 pt-4 pb-3">
        <TriangleAlert aria-hidden className="mt-0.5 size-5 shrink-0 text-orange-600 dark:text-orange-400" />
        <div>
          <h2 id="seen-from-title" className="text-sm font-semibold">Seen from</h2>
          <p className="mt-0.5 max-w-3xl text-sm text-stone-600 dark:text-stone-400">
            This session was used from a second IP address or device family, first at{" "}
            <span className="tabular-nums">{formatDateTime(session.flaggedAt)}</span>. A stolen cookie replayed elsewhere looks like this; so does a phone moving
            from Wi-Fi to mobile data. If the change is not the owner&apos;s, end the session.
          </p>
        </div>
      </div>
      <div className="overflow-x-auto border-t border-stone-200 dark:border-stone-800">
        <table className="w-full text-sm">
          <caption className="sr-only">Where the session was seen from, oldest first; changed values are marked “changed”.</caption>
          <thead className={tableHead}>
            <tr>
              <th scope="col" className="px-3 py-2 font-medium">From</th>
              <th scope="col" className="px-3 py-2 font-medium">IP address</th>
              <th scope="col" className="px-3 py-2 font-medium">Device</th>
            </tr>
          </thead>
          <tbody className={tableBody}>
            {session.sightings.map((sighting, index) => (
              <tr key={`${sighting.at}-${index}`}>
                <td className="whitespace-nowrap px-3 py-2">
                  <RelativeTime iso={sighting.at} since={now} />
                  {index === 0 ? <span className="ml-2 text-xs text-stone-500 dark:text-stone-400">(since it began)</span> : null}
                </td>
                <Cell changed={sighting.changed.includes("ip")}>
                  <span className="font-mono text-xs">{sighting.ip ?? "not recorded"}</span>
                </Cell>
                <Cell changed={sighting.changed.includes("device")}>{sighting.device?.label ?? "not recorded"}</Cell>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
