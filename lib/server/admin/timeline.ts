import "server-only";
/**
 * A session's life on one axis, in words: when it began, when it was last
 * used, and each deadline that can end it (the idle timeout, the absolute
 * lifetime, the stored expiry behind the cookie). The arithmetic is the
 * framework's (lib/session/expiry.ts); this only names and orders it.
 */
import type { TimelineMarker } from "@/lib/admin-api";
import { CREATION_ESTIMATE } from "@/lib/admin-format";
import { ACTIVITY_KEY, AUTH_USER_ID_KEY, getCreatedAt, getDeadlines, getExpireAtBrowserClose, type SessionPolicy } from "@/lib/session";

export interface TimelineInput {
  readonly now: Date;
  /** The decoded data (null when it cannot be decoded: only stored times are shown). */
  readonly data: ReadonlyMap<string, unknown> | null;
  readonly policy: SessionPolicy;
  /** From the meta table (or the engine's index), when kept. */
  readonly createdAt: Date | null;
  /** Whether createdAt is estimated (a Django-written session: its expiry less SESSION_COOKIE_AGE). */
  readonly createdEstimated?: boolean;
  readonly lastActivity: Date | null;
  /** The stored expiry: what the engine enforces and the cookie's lifetime follows. */
  readonly expireDate: Date;
  readonly username: string | null;
}

/** "45 s", "14 min", "2 h 14 min", "3 days 4 h", "21 days": to the nearest second under a minute, else the nearest minute. */
export function formatDuration(ms: number): string {
  const seconds = Math.round(Math.abs(ms) / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  const dayText = days === 1 ? "1 day" : `${days} days`;
  return days < 7 && hours % 24 ? `${dayText} ${hours % 24} h` : dayText;
}

const ago = (at: Date, now: Date) => (now.getTime() - at.getTime() < 1000 ? "just now" : `${formatDuration(now.getTime() - at.getTime())} ago`);

/** "ends in 2 h 14 min: idle timeout", or "ended 5 min ago: idle timeout". */
function deadlineLabel(at: Date, now: Date, reason: string): string {
  return at > now ? `ends in ${formatDuration(at.getTime() - now.getTime())}: ${reason}` : `ended ${ago(at, now)}: ${reason}`;
}

function activityFromData(data: ReadonlyMap<string, unknown> | null): Date | null {
  const raw = data?.get(ACTIVITY_KEY);
  const seconds = typeof raw === "number" ? raw : typeof raw === "bigint" ? Number(raw) : Number((raw as { valueOf?: () => unknown })?.valueOf?.());
  return Number.isFinite(seconds) ? new Date(seconds * 1000) : null;
}

const later = (a: Date | null, b: Date | null) => (a && b ? (a > b ? a : b) : (a ?? b));

export function buildTimeline(input: TimelineInput): { timeline: TimelineMarker[]; endsBecause: string } {
  const { now, data, policy } = input;
  const markers: TimelineMarker[] = [];
  const created = input.createdAt ?? (data ? getCreatedAt(data) : null);
  if (created && input.createdAt && input.createdEstimated) {
    markers.push({ kind: "created", at: created.toISOString(), label: `created ≈ ${ago(created, now)}: ${CREATION_ESTIMATE}`, estimated: true });
  } else if (created) markers.push({ kind: "created", at: created.toISOString(), label: `created ${ago(created, now)}` });
  if (created && data?.has(AUTH_USER_ID_KEY)) {
    // A login keeps the session's creation time (the key changes, the data stays): the login is at or after it.
    const who = input.username ?? `user ${String(data.get(AUTH_USER_ID_KEY))}`;
    markers.push({ kind: "login", at: created.toISOString(), label: `signed in as ${who}, at or after creation (logins are not timed separately)`, estimated: true });
  }
  const lastUse = later(input.lastActivity, activityFromData(data));
  if (lastUse) markers.push({ kind: "last_activity", at: lastUse.toISOString(), label: `last used ${ago(lastUse, now)}` });

  const deadlines: Array<{ kind: TimelineMarker["kind"]; at: Date; reason: string }> = [];
  const { idle, absolute } = data ? getDeadlines({ data, policy }) : { idle: null, absolute: null };
  if (idle) deadlines.push({ kind: "idle_deadline", at: idle, reason: "idle timeout" });
  if (absolute) deadlines.push({ kind: "absolute_deadline", at: absolute, reason: "absolute lifetime" });
  const browserClose = data !== null && getExpireAtBrowserClose({ data, policy });
  deadlines.push({ kind: "cookie_expiry", at: input.expireDate, reason: browserClose ? "stored expiry (the cookie itself ends with the browser)" : "cookie expiry" });
  for (const d of deadlines) markers.push({ kind: d.kind, at: d.at.toISOString(), label: deadlineLabel(d.at, now, d.reason) });
  markers.push({ kind: "now", at: now.toISOString(), label: "now" });

  const first = deadlines.reduce((a, b) => (b.at < a.at ? b : a));
  const endsBecause = first.at > now ? `${first.reason} in ${formatDuration(first.at.getTime() - now.getTime())}` : `ended ${ago(first.at, now)}: ${first.reason}`;
  return { timeline: markers.sort((a, b) => a.at.localeCompare(b.at)), endsBecause };
}
