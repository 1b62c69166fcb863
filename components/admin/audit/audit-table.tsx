"use client";

import { Ban, KeyRound, type LucideIcon, ScrollText, SlidersHorizontal, Terminal } from "lucide-react";
import type { AuditEntryView } from "@/lib/admin-api";
import { describeAuditEntry } from "@/lib/admin-audit";
import { formatNumber } from "@/lib/admin-format";
import { RelativeTime } from "../../ui/relative-time";
import { tableBody, tableFrame, tableHead, tableRow } from "../admin-ui";
import { SkeletonRows } from "../skeleton-rows";

const KINDS: ReadonlyArray<readonly [prefix: string, icon: LucideIcon, tone: string]> = [
  ["session", Ban, "text-red-600 dark:text-red-400"],
  ["role.", KeyRound, "text-sky-600 dark:text-sky-400"],
  ["policy.", SlidersHorizontal, "text-amber-600 dark:text-amber-500"],
];

function ActionIcon({ action }: { action: string }) {
  const [, Icon, tone] = KINDS.find(([prefix]) => action.startsWith(prefix)) ?? [null, ScrollText, "text-stone-400"];
  return <Icon aria-hidden className={`mt-0.5 size-4 shrink-0 ${tone}`} />;
}

/** The entries, newest first: who, what (in words), when, how many sessions, from where; grey rows while loading. */
export function AuditTable({ entries, since, loading = false }: { entries: readonly AuditEntryView[]; since: number; loading?: boolean }) {
  return (
    <div className={tableFrame}>
      <table className="w-full min-w-[56rem] text-sm">
        <caption className="sr-only">Admin actions, newest first</caption>
        <thead className={tableHead}>
          <tr>
            <th scope="col" className="px-4 py-2.5 font-medium">Who</th>
            <th scope="col" className="px-4 py-2.5 font-medium">What</th>
            <th scope="col" className="px-4 py-2.5 font-medium">When</th>
            <th scope="col" className="px-4 py-2.5 text-right font-medium">Sessions</th>
            <th scope="col" className="px-4 py-2.5 font-medium">From where</th>
          </tr>
        </thead>
        <tbody aria-busy={loading || undefined} className={tableBody}>
          {loading ? <SkeletonRows columns={5} /> : entries.map((entry) => <AuditRow key={entry.id} entry={entry} since={since} />)}
        </tbody>
      </table>
    </div>
  );
}

function AuditRow({ entry, since }: { entry: AuditEntryView; since: number }) {
  const cli = entry.actor.id === null;
  return (
    <tr className={`${tableRow} align-top`}>
      <td className="px-4 py-2.5 whitespace-nowrap">
        {cli ? (
          <span className="inline-flex items-center gap-1.5 text-stone-600 dark:text-stone-400">
            <Terminal aria-hidden className="size-3.5" /> command line
          </span>
        ) : (
          <span className="font-medium text-stone-900 dark:text-stone-100">{entry.actor.username}</span>
        )}
      </td>
      <td className="px-4 py-2.5">
        <span className="flex gap-2" title={entry.action}>
          <ActionIcon action={entry.action} />
          <span className="text-stone-900 dark:text-stone-100">{describeAuditEntry(entry)}</span>
        </span>
      </td>
      <td className="px-4 py-2.5 whitespace-nowrap text-stone-700 dark:text-stone-300">
        <RelativeTime iso={entry.at} since={since} />
      </td>
      <td className="px-4 py-2.5 text-right text-stone-900 tabular-nums dark:text-stone-100">
        {entry.sessionCount === null ? <span className="text-stone-400 dark:text-stone-500">—</span> : formatNumber(entry.sessionCount)}
      </td>
      <td className="px-4 py-2.5 whitespace-nowrap">
        {entry.ip || entry.device ? (
          <>
            <span className="font-mono text-xs text-stone-800 tabular-nums dark:text-stone-200">{entry.ip ?? "unknown address"}</span>
            {entry.device ? <span className="block text-xs text-stone-500 dark:text-stone-400">{entry.device}</span> : null}
          </>
        ) : (
          <span className="text-xs text-stone-500 dark:text-stone-400">{cli ? "this server's shell" : "unknown"}</span>
        )}
      </td>
    </tr>
  );
}
