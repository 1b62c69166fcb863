/**
 * The dashboard's formatting and time arithmetic, shared by the sessions list
 * and the session detail. Pure and isomorphic, with `now` always passed in, so
 * the server's render and the browser's agree.
 */

/** Below this a live session counts as "expiring soon". */
export const EXPIRING_SOON_MS = 60 * 60 * 1000;

const numbers = new Intl.NumberFormat("en-US");

/** "1,024": fixed locale, so server and browser render the same digits. */
export const formatNumber = (value: number): string => numbers.format(value);

/** "1 session", "1,024 sessions". */
export function formatCount(count: number, singular: string, plural = `${singular}s`): string {
  return `${formatNumber(count)} ${count === 1 ? singular : plural}`;
}

const UNITS: ReadonlyArray<readonly [string, number]> = [
  ["day", 86_400_000],
  ["h", 3_600_000],
  ["min", 60_000],
  ["s", 1000],
];

/** A length of time in at most two units, rounded down: "2 h 14 min", "3 days 4 h", "45 s". */
export function formatDuration(ms: number): string {
  let rest = Math.floor(Math.abs(ms) / 1000) * 1000;
  const parts: string[] = [];
  for (const [unit, size] of UNITS) {
    if (parts.length === 2) break;
    const amount = Math.floor(rest / size);
    rest -= amount * size;
    if (amount > 0) parts.push(unit === "day" ? `${amount} day${amount === 1 ? "" : "s"}` : `${amount} ${unit}`);
    else if (parts.length > 0) break;
  }
  return parts.length > 0 ? parts.join(" ") : "0 s";
}

/** "312 B", "4.1 kB", "1.2 MB" (decimal units, as file managers show them). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${formatNumber(bytes)} B`;
  const [value, unit] = bytes < 1_000_000 ? [bytes / 1000, "kB"] : [bytes / 1_000_000, "MB"];
  return `${value.toFixed(value < 10 ? 1 : 0)} ${unit}`;
}

/** How a session reads in the dashboard: the stored status, with "expiring soon" split out of "active". */
/** How a Django-written session's creation is estimated: the dashboard says so wherever it shows one. */
export const CREATION_ESTIMATE = "estimated as the expiry less SESSION_COOKIE_AGE (Django does not record when it made a session; the true time is earlier if the session was saved again)";

export type ExpiryStatus = "active" | "expiring" | "expired";

export function expiryStatus(row: { readonly status: "active" | "expired"; readonly expiresAt: string }, now: number): ExpiryStatus {
  const left = Date.parse(row.expiresAt) - now;
  if (row.status === "expired" || left <= 0) return "expired";
  return left < EXPIRING_SOON_MS ? "expiring" : "active";
}

/** One horizontal time axis: maps a moment to a fraction of its width (0 at `start`, 1 at `end`). */
export interface TimeAxis {
  readonly start: number;
  readonly end: number;
  readonly position: (at: number) => number;
}

/** The axis spanning every given moment (epoch ms); a single moment gets a one-second axis. */
export function timeAxis(moments: readonly number[]): TimeAxis {
  const finite = moments.filter(Number.isFinite);
  const start = finite.length > 0 ? Math.min(...finite) : 0;
  const end = Math.max(finite.length > 0 ? Math.max(...finite) : 0, start + 1000);
  return { start, end, position: (at) => Math.min(1, Math.max(0, (at - start) / (end - start))) };
}

/** "••••1a2b": the last four characters of a secret-derived value, enough to compare two of them. */
export function maskSecret(value: string): string {
  return `••••${value.slice(-4)}`;
}

/** The value of an `<input type="datetime-local">` showing an ISO moment in UTC ("2026-11-30T10:05"). */
export function toUtcInputValue(iso: string | null | undefined): string {
  if (!iso) return "";
  const time = Date.parse(iso);
  return Number.isNaN(time) ? "" : new Date(time).toISOString().slice(0, 16);
}

/** An ISO moment from a `datetime-local` value read as UTC; null when empty or not a date. */
export function fromUtcInputValue(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return null;
  const time = Date.parse(`${value}Z`);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

const dayMonth = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
const hourMinute = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: "UTC" });

/** A short label for a moment on an axis: "14 Dec" when the axis spans days, "18:40" (UTC) within one. */
export function formatAxisLabel(at: number, span: number): string {
  return span >= 86_400_000 ? dayMonth.format(at) : hourMinute.format(at);
}

/** The question a kill dialog asks: "End 37 sessions of alice?", "End 1 session?". */
export function killQuestion(count: number, username?: string | null): string {
  return `End ${formatCount(count, "session")}${username ? ` of ${username}` : ""}?`;
}

/**
 * Lanes for labels along an axis, so that none overlaps: each label (at a
 * position 0..1, in order) takes the first lane whose last label is at least
 * `gap` to its left. Returns the lane of each label.
 */
export function labelLanes(positions: readonly number[], gap: number): number[] {
  const laneEnds: number[] = [];
  return positions.map((position) => {
    let lane = laneEnds.findIndex((end) => position - end >= gap);
    if (lane === -1) lane = laneEnds.length;
    laneEnds[lane] = position;
    return lane;
  });
}

/**
 * An axis for a session's timeline, whose moments lie seconds to weeks from
 * now: distances from `now` on a logarithmic scale (in units of `unit` ms),
 * the past to the left and the future to the right, so that "17 minutes ago"
 * and "in 14 days" are both readable on one line. When both sides hold
 * moments, each gets at least a fifth of the width, so a session created a
 * few seconds ago still shows its start apart from now.
 */
export function logTimeAxis(moments: readonly number[], now: number, unit = 60_000): TimeAxis {
  const reach = (distance: number) => Math.log1p(Math.abs(distance) / unit);
  const finite = moments.filter(Number.isFinite);
  const past = Math.max(0, ...finite.filter((at) => at < now).map((at) => reach(at - now)));
  const future = Math.max(0, ...finite.filter((at) => at > now).map((at) => reach(at - now)));
  const share = past === 0 ? 0 : future === 0 ? 1 : Math.min(0.8, Math.max(0.2, past / (past + future)));
  return {
    start: Math.min(now, ...finite),
    end: Math.max(now, ...finite),
    position: (at) => {
      if (at < now) return past === 0 ? 0 : share * Math.max(0, 1 - reach(at - now) / past);
      if (at > now) return future === 0 ? 1 : share + (1 - share) * Math.min(1, reach(at - now) / future);
      return share;
    },
  };
}
