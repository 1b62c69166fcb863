/**
 * The policy form's words and units: each setting with its Django name, and
 * durations in the largest unit that divides them (entered as days, hours or
 * minutes; stored as seconds). Pure, so the server's render and the
 * browser's agree.
 */
import type { ImpactBuckets, PolicySettings } from "@/lib/admin-api";

export const DURATION_UNITS = [
  { unit: "days", seconds: 86_400 },
  { unit: "hours", seconds: 3_600 },
  { unit: "minutes", seconds: 60 },
] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number]["unit"];

export const unitSeconds = (unit: DurationUnit): number => DURATION_UNITS.find((u) => u.unit === unit)!.seconds;

/** The largest unit that shows `seconds` as a whole number (minutes at least). */
export function bestUnit(seconds: number): DurationUnit {
  return (DURATION_UNITS.find((u) => seconds % u.seconds === 0) ?? DURATION_UNITS[2]).unit;
}

export type DurationKey = "cookieAge" | "idleTimeout" | "absoluteLifetime";

export interface FieldText {
  readonly label: string;
  /** Django's setting, or SessionScope's own. */
  readonly setting: string;
  readonly help: string;
}

export const FIELD_TEXT: Readonly<Record<keyof PolicySettings, FieldText>> = {
  cookieAge: { label: "Cookie age", setting: "SESSION_COOKIE_AGE", help: "How long a session lasts after it was last saved. Applies to each session at its next save." },
  idleTimeout: { label: "Idle timeout", setting: "SessionScope", help: "A session unused this long ends at its next request." },
  absoluteLifetime: { label: "Absolute lifetime", setting: "SessionScope", help: "A session ends this long after sign-in, however active." },
  maxSessionsPerUser: { label: "Sessions per user", setting: "SessionScope", help: "A login beyond this ends the user's oldest sessions." },
  expireAtBrowserClose: { label: "Expire at browser close", setting: "SESSION_EXPIRE_AT_BROWSER_CLOSE", help: "The cookie has no Max-Age: it goes when the browser closes." },
  saveEveryRequest: { label: "Save every request", setting: "SESSION_SAVE_EVERY_REQUEST", help: "Every request saves the session, so its expiry slides with use." },
  cookieSecure: { label: "Secure cookie", setting: "SESSION_COOKIE_SECURE", help: "The cookie is only sent over HTTPS." },
  cookieSameSite: { label: "SameSite", setting: "SESSION_COOKIE_SAMESITE", help: "Which cross-site requests carry the cookie. None needs Secure." },
};

/** The preview's horizons: `label` in the table, `short` under the chart's bars. */
export const BUCKETS: ReadonlyArray<{ readonly key: keyof Omit<ImpactBuckets, "usersNow">; readonly label: string; readonly short: string }> = [
  { key: "now", label: "At once", short: "At once" },
  { key: "hour", label: "Within 1 hour", short: "≤ 1 hour" },
  { key: "day", label: "Within 1 day", short: "≤ 1 day" },
  { key: "week", label: "Within 1 week", short: "≤ 1 week" },
];

/** The settings that differ between two policies, by label. */
export function changedFields(from: PolicySettings, to: PolicySettings): string[] {
  return (Object.keys(FIELD_TEXT) as Array<keyof PolicySettings>).filter((key) => from[key] !== to[key]).map((key) => FIELD_TEXT[key].label);
}

/** The field a server message names ("idleTimeout: must not be…"), if it is one of the form's. */
export function fieldOfMessage(message: string): keyof PolicySettings | null {
  const name = /^(\w+):/.exec(message)?.[1];
  return name && Object.hasOwn(FIELD_TEXT, name) ? (name as keyof PolicySettings) : null;
}
