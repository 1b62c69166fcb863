import type { ExpiryStatus } from "@/lib/admin-format";

export type SessionBadge = ExpiryStatus | "flagged" | "moved" | "ended";

const BADGES: Record<SessionBadge, { label: string; title: string; className: string; dot: string }> = {
  active: {
    label: "active",
    title: "The session is live.",
    className: "bg-emerald-50 text-emerald-800 ring-emerald-600/20 dark:bg-emerald-500/10 dark:text-emerald-300 dark:ring-emerald-400/20",
    dot: "bg-emerald-500",
  },
  expiring: {
    label: "expiring soon",
    title: "The session ends within the hour.",
    className: "bg-amber-50 text-amber-900 ring-amber-600/25 dark:bg-amber-500/10 dark:text-amber-300 dark:ring-amber-400/20",
    dot: "bg-amber-500",
  },
  expired: {
    label: "expired",
    title: "The session is past its expiry; the next cleanup deletes it.",
    className: "bg-stone-100 text-stone-700 ring-stone-500/20 dark:bg-stone-800 dark:text-stone-300 dark:ring-stone-400/20",
    dot: "bg-stone-400",
  },
  flagged: {
    label: "undecodable",
    title: "No configured key opens this session (SESSION_SECRET_KEY and its fallbacks), or its data is corrupt: its user and data cannot be read, and a request with its cookie starts afresh.",
    className: "bg-red-50 text-red-800 ring-red-600/20 dark:bg-red-500/10 dark:text-red-300 dark:ring-red-400/25",
    dot: "bg-red-500",
  },
  moved: {
    label: "flagged: IP/device",
    title: "The session was used from a second IP address or device family during its life: a stolen cookie replayed elsewhere looks like this.",
    className: "bg-orange-50 text-orange-900 ring-orange-600/30 dark:bg-orange-500/10 dark:text-orange-200 dark:ring-orange-400/30",
    dot: "bg-orange-500",
  },
  ended: {
    label: "ended",
    title: "The session was ended from the dashboard.",
    className: "bg-stone-900 text-white ring-stone-900 dark:bg-stone-100 dark:text-stone-900 dark:ring-stone-100",
    dot: "bg-red-500",
  },
};

/** A session's state in colour and in words (never colour alone). */
export function StatusBadge({ status }: { status: SessionBadge }) {
  const badge = BADGES[status];
  return (
    <span title={badge.title} className={`inline-flex items-center gap-1.5 whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${badge.className}`}>
      <span aria-hidden className={`size-1.5 rounded-full ${badge.dot}`} />
      {badge.label}
    </span>
  );
}
