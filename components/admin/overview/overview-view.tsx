"use client";

import { Info, Inbox } from "lucide-react";
import Link from "next/link";
import type { AdminStats } from "@/lib/admin-api";
import { adminButton } from "../sessions/admin-buttons";
import { RelativeTime } from "@/components/ui/relative-time";
import { LoadError } from "../sessions/load-error";
import { StatePanel } from "../sessions/state-panel";
import { ActivityChart } from "./activity-chart";
import { Breakdown } from "./breakdown";
import { ExpirationsChart } from "./expirations-chart";
import { FlaggedList } from "./flagged-list";
import { OverviewSkeleton } from "./overview-skeleton";
import { Panel } from "./panel";
import { StatCard } from "./stat-card";
import { TopUsers } from "./top-users";
import { Trend } from "./trend";
import { useAdminStats } from "./use-admin-stats";

const count = (n: number | null | undefined) => (n === null || n === undefined ? "—" : n.toLocaleString("en-US"));

function Numbers({ stats }: { stats: AdminStats }) {
  return (
    <dl className="grid grid-cols-1 gap-4 sm:grid-cols-2 xl:grid-cols-4">
      <StatCard
        label="Active now"
        value={stats.active?.now ?? null}
        detail={
          stats.active === null
            ? "unknown: this setup keeps no list of its sessions"
            : stats.activeSignedIn === null
              ? null
              : `${count(stats.activeSignedIn)} signed in · ${count(stats.activeAnonymous)} anonymous`
        }
        trend={<Trend now={stats.active?.now ?? 0} before={stats.active?.dayAgo ?? null} estimated={stats.active?.estimated} unit="24 h ago" />}
      />
      <StatCard
        label="Signed-in users"
        value={stats.signedInUsers?.now ?? null}
        detail="distinct users with a live session"
        trend={<Trend now={stats.signedInUsers?.now ?? 0} before={stats.signedInUsers?.dayAgo ?? null} estimated={stats.signedInUsers?.estimated} unit="24 h ago" />}
      />
      <StatCard
        label="Logins in 24 h"
        value={stats.logins.last24h}
        detail={`${count(stats.logouts.last24h)} logouts`}
        trend={<Trend now={stats.logins.last24h} before={stats.logins.previous24h} />}
      />
      <StatCard
        label="Kills in 24 h"
        value={stats.kills.last24h}
        detail={stats.expiries ? `${count(stats.expiries.last24h)} expired` : "sessions ended from the dashboard or CLI"}
        trend={<Trend now={stats.kills.last24h} before={stats.kills.previous24h} />}
      />
    </dl>
  );
}

function Unavailable({ notes }: { notes: readonly string[] }) {
  if (notes.length === 0) return null;
  return (
    <div role="note" className="flex gap-2.5 rounded-lg border border-stone-200 bg-stone-100/70 px-4 py-3 text-sm text-stone-700 dark:border-stone-800 dark:bg-stone-900/70 dark:text-stone-300">
      <Info aria-hidden className="mt-0.5 size-4 shrink-0" />
      <ul className="flex flex-col gap-0.5">
        {notes.map((note) => (
          <li key={note}>{note.charAt(0).toUpperCase() + note.slice(1)}.</li>
        ))}
      </ul>
    </div>
  );
}

function ActivityPanel({ hourly }: { hourly: AdminStats["hourly"] }) {
  return (
    <Panel id="activity-title" title="Logins and kills, last 24 hours" description="Per hour (UTC), with logouts for comparison.">
      <ActivityChart hourly={hourly} />
    </Panel>
  );
}

/** Above 20,000 live sessions the breakdowns come from a snapshot: say how old it is (in words, not colour). */
function BreakdownsAge({ asOf, now }: { asOf: string | null; now: number }) {
  if (asOf === null) return null;
  return (
    <p className="flex items-center gap-2 text-sm text-stone-600 dark:text-stone-300">
      <Info aria-hidden className="size-4 shrink-0 text-amber-600 dark:text-amber-500" />
      <span>
        The charts and breakdowns below count the live sessions as of <RelativeTime iso={asOf} since={now} />, refreshed once a minute at this size; the numbers above are
        live.
      </span>
    </p>
  );
}

/**
 * The overview: four numbers with their trend, what ends over the next two
 * weeks, the last day's logins and kills, where sessions come from, who
 * holds the most, and the sessions flagged for a changed address or device.
 */
export function OverviewView() {
  const stats = useAdminStats();
  if (stats.isPending) return <OverviewSkeleton />;
  if (stats.isError) {
    return <LoadError what="the overview" error={stats.error} onRetry={() => void stats.refetch()} retrying={stats.isFetching} next="/admin" />;
  }
  const data = stats.data;
  const now = Date.parse(data.now);
  const empty = data.active?.now === 0 && data.logins.last24h === 0 && data.kills.last24h === 0 && data.unavailable.length === 0;
  // Nothing lists the sessions (signed cookies, file, cache on Memcached): only the activity record is real.
  const uncounted = data.active === null;
  const sessionsTotal = data.byEngine.reduce((sum, row) => sum + row.count, 0);
  return (
    <div className="flex flex-col gap-5">
      <Numbers stats={data} />
      <Unavailable notes={data.unavailable} />
      {empty ? (
        <StatePanel
          icon={Inbox}
          title="No sessions yet"
          actions={
            <Link href="/" className={adminButton.secondary}>
              Open the shop
            </Link>
          }
        >
          No sessions yet: sign in to the shop, or add something to a cart, and the numbers and charts fill in here.
        </StatePanel>
      ) : uncounted ? (
        <ActivityPanel hourly={data.hourly} />
      ) : (
        <>
          <BreakdownsAge asOf={data.breakdownsAsOf} now={now} />
          <div className="grid gap-5 xl:grid-cols-2">
            <Panel
              id="expirations-title"
              title="Expirations, next 14 days"
              description={`Live sessions by the day they end (UTC)${data.expiries ? `; ${count(data.expiries.last24h)} ended by expiry in the last 24 h` : ""}.`}
            >
              <ExpirationsChart days={data.expirations} />
            </Panel>
            <ActivityPanel hourly={data.hourly} />
          </div>
          <div className="grid items-start gap-5 lg:grid-cols-2">
            <Panel id="devices-title" title="By device" description="Live sessions by device family, as last seen.">
              <Breakdown
                label="Live sessions by device"
                total={sessionsTotal}
                rows={data.byDevice.map((row) => ({ key: row.device?.family ?? "unknown", label: row.device?.label ?? "Not seen yet", count: row.count }))}
              />
            </Panel>
            <div className="flex flex-col gap-5">
              <Panel id="engines-title" title="By engine" description="Where the live sessions are stored.">
                <Breakdown label="Live sessions by engine" total={sessionsTotal} rows={data.byEngine.map((row) => ({ key: row.engine, label: row.engine, count: row.count }))} />
              </Panel>
              <Panel id="top-users-title" title="Most sessions" description="Users holding the most live sessions.">
                <TopUsers users={data.topUsers} />
              </Panel>
            </div>
          </div>
          {data.flagged ? (
            <Panel id="flagged-title" title="Flagged sessions" description="Live sessions seen from a second IP address or device family, latest first.">
              <FlaggedList flagged={data.flagged} now={now} />
            </Panel>
          ) : null}
        </>
      )}
    </div>
  );
}
