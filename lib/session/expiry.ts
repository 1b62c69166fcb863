/**
 * All expiry arithmetic, with the clock injected: Django's `_session_expiry`
 * semantics (docs/django-format.md §6) plus SessionScope's idle timeout and absolute
 * lifetime, which live in the data so they hold on every engine.
 */
import { PyDatetime, PyFloat } from "./python-values.ts";

/** Where the framework takes "now": sessions and engines take one injected, so tests and replays control time. */
export type Clock = () => Date;

/** The clock everything uses unless given another. */
export const systemClock: Clock = () => new Date();

/** The largest instant a Date can hold (ms since the epoch): the expiry of a stored entry without a TTL. */
export const NEVER_EXPIRES = 8.64e15;

export interface SessionPolicy {
  /** SESSION_COOKIE_AGE, seconds. */
  readonly cookieAge: number;
  readonly expireAtBrowserClose: boolean;
  readonly saveEveryRequest: boolean;
  /** A session not used for this many seconds dies (null: off). */
  readonly idleTimeoutSeconds: number | null;
  /** A session dies this many seconds after it was created, however active (null: off). */
  readonly absoluteLifetimeSeconds: number | null;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = Object.freeze({
  cookieAge: 1_209_600,
  expireAtBrowserClose: false,
  saveEveryRequest: false,
  idleTimeoutSeconds: null,
  absoluteLifetimeSeconds: null,
});

export const EXPIRY_KEY = "_session_expiry";
/** Integer Unix seconds of creation, for the absolute lifetime. */
export const CREATED_KEY = "_session_created";
/** Integer Unix seconds of the last recorded use, for the idle timeout. */
export const ACTIVITY_KEY = "_session_activity";

type Data = ReadonlyMap<string, unknown>;
export interface ExpiryInput {
  readonly data: Data;
  readonly policy: SessionPolicy;
  readonly now: Date;
}

type Expiry = { kind: "policy" } | { kind: "seconds"; seconds: number } | { kind: "date"; date: Date } | { kind: "invalid" };

/**
 * `_session_expiry` as Django reads it: absent/None/0 → the policy, a number
 * → seconds, a `datetime` → that date. Django 4.2+ stores the datetime as its
 * isoformat text; Django 3.2 keeps the `datetime` object itself, which only
 * the pickled cache engines can hold (`PyDatetime`; a naive one is read as
 * UTC, like a naive string).
 */
function readExpiry(data: Data): Expiry {
  const raw = data.get(EXPIRY_KEY);
  if (raw instanceof PyDatetime) return { kind: "date", date: raw.toDate() };
  const value = raw instanceof PyFloat ? raw.value : typeof raw === "bigint" ? Number(raw) : raw;
  if (value === undefined || value === null || value === 0 || value === false) return { kind: "policy" };
  if (typeof value === "number" && Number.isFinite(value)) return { kind: "seconds", seconds: value };
  const date = typeof value === "string" ? parseIsoDate(value) : null;
  return date ? { kind: "date", date } : { kind: "invalid" };
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(Z|[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?)?$/;

/** Python's `datetime.fromisoformat` for the forms Django writes; a naive time is UTC (USE_TZ). */
export function parseIsoDate(text: string): Date | null {
  const m = ISO.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s = "0", frac = "", zone = "Z"] = m;
  const ms = Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s, Math.floor(+frac.padEnd(3, "0").slice(0, 3)));
  if (Number.isNaN(ms)) return null;
  if (zone === "Z") return new Date(ms);
  const digits = zone.replace(/:/g, "");
  const offset = (+digits.slice(1, 3) * 3600 + +(digits.slice(3, 5) || 0) * 60 + +(digits.slice(5, 7) || 0)) * 1000;
  return new Date(zone.startsWith("-") ? ms + offset : ms - offset);
}

/** `datetime.isoformat()` of an aware UTC datetime, as Django 4.2+ stores `set_expiry(datetime)`. */
export function formatIsoDate(date: Date): string {
  const iso = date.toISOString();
  const ms = date.getUTCMilliseconds();
  return `${iso.slice(0, 19)}${ms ? `.${String(ms).padStart(3, "0")}000` : ""}+00:00`;
}

/** Django's `get_expiry_age()`: whole seconds (floor, as timedelta.days*86400 + .seconds). */
export function getExpiryAge({ data, policy, now }: ExpiryInput): number {
  const expiry = readExpiry(data);
  switch (expiry.kind) {
    case "policy":
      return policy.cookieAge;
    case "seconds":
      return expiry.seconds;
    case "date":
      return Math.floor((expiry.date.getTime() - now.getTime()) / 1000);
    case "invalid":
      return 0;
  }
}

/** Django's `get_expiry_date()`. */
export function getExpiryDate(input: ExpiryInput): Date {
  const expiry = readExpiry(input.data);
  if (expiry.kind === "date") return expiry.date;
  return new Date(input.now.getTime() + getExpiryAge(input) * 1000);
}

/** Django's `get_expire_at_browser_close()`. */
export function getExpireAtBrowserClose({ data, policy }: { readonly data: Data; readonly policy: SessionPolicy }): boolean {
  const raw = data.get(EXPIRY_KEY);
  if (raw === undefined || raw === null) return policy.expireAtBrowserClose;
  return raw === 0 || (raw instanceof PyFloat && raw.value === 0);
}

function readSeconds(data: Data, key: string): number | null {
  const raw = data.get(key);
  const n = raw instanceof PyFloat ? raw.value : typeof raw === "bigint" ? Number(raw) : raw;
  return typeof n === "number" && Number.isFinite(n) ? n : null;
}

export function getCreatedAt(data: Data): Date | null {
  const s = readSeconds(data, CREATED_KEY);
  return s === null ? null : new Date(s * 1000);
}

/** The hard limits SessionScope adds, as a date (null when neither applies). */
function limitDate({ data, policy, now }: ExpiryInput): Date | null {
  const limits: number[] = [];
  const created = readSeconds(data, CREATED_KEY);
  if (policy.absoluteLifetimeSeconds !== null && created !== null) limits.push((created + policy.absoluteLifetimeSeconds) * 1000);
  if (policy.idleTimeoutSeconds !== null) limits.push(now.getTime() + policy.idleTimeoutSeconds * 1000);
  return limits.length ? new Date(Math.min(...limits)) : null;
}

/** The expire date an engine stores at save time: Django's date, capped by the idle and absolute limits. */
export function computeStoredExpiry(input: ExpiryInput): Date {
  const django = getExpiryDate(input);
  const limit = limitDate(input);
  return limit && limit < django ? limit : django;
}

/** Max-Age for the cookie (null: a browser-session cookie), never outliving the stored session. */
export function getCookieMaxAge(input: ExpiryInput): number | null {
  if (getExpireAtBrowserClose(input)) return null;
  const age = getExpiryAge(input);
  const limit = limitDate(input);
  return limit ? Math.min(age, Math.floor((limit.getTime() - input.now.getTime()) / 1000)) : age;
}

export interface SessionDeadlines {
  /** When the idle timeout ends the session: last recorded use (or creation) + timeout; null when off or unknown. */
  readonly idle: Date | null;
  /** When the absolute lifetime ends it: creation + lifetime; null when off or unknown. */
  readonly absolute: Date | null;
}

/** The deadlines SessionScope's own limits set for a session, from its data (what every load checks). */
export function getDeadlines({ data, policy }: { readonly data: Data; readonly policy: SessionPolicy }): SessionDeadlines {
  const created = readSeconds(data, CREATED_KEY);
  const activity = readSeconds(data, ACTIVITY_KEY) ?? created;
  return {
    idle: policy.idleTimeoutSeconds !== null && activity !== null ? new Date((activity + policy.idleTimeoutSeconds) * 1000) : null,
    absolute: policy.absoluteLifetimeSeconds !== null && created !== null ? new Date((created + policy.absoluteLifetimeSeconds) * 1000) : null,
  };
}

/** Why a loaded session is already dead, or null. These checks hold on every engine, signed cookies included. */
export function getExpiredReason({ data, policy, now }: ExpiryInput): string | null {
  const expiry = readExpiry(data);
  if (expiry.kind === "invalid") return "invalid _session_expiry value";
  if (expiry.kind === "seconds" && expiry.seconds < 0) return "session expiry is negative";
  if (expiry.kind === "date" && expiry.date <= now) return "session expiry date has passed";
  const deadlines = getDeadlines({ data, policy });
  if (deadlines.absolute && now >= deadlines.absolute) return "absolute session lifetime exceeded";
  if (deadlines.idle && now >= deadlines.idle) return "idle timeout exceeded";
  return null;
}

/** With an idle timeout, a used session is re-saved to record activity, at most every min(60 s, timeout/10). */
export function shouldRefreshActivity({ data, policy, now }: ExpiryInput): boolean {
  if (policy.idleTimeoutSeconds === null) return false;
  const last = readSeconds(data, ACTIVITY_KEY) ?? readSeconds(data, CREATED_KEY);
  if (last === null) return true;
  return now.getTime() / 1000 - last >= Math.min(60, policy.idleTimeoutSeconds / 10);
}

export function toUnixSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/** What ends a session: Django's cookie age, an explicit `set_expiry`, or one of SessionScope's limits. */
export type DeadlineReason = "cookie_age" | "set_expiry" | "idle_timeout" | "absolute_lifetime";

export interface SessionDeadline {
  readonly reason: DeadlineReason;
  readonly at: Date;
}

export interface SessionEnd extends SessionDeadline {
  /** Every deadline that applies; `at`/`reason` are the earliest (a limit wins a tie: it is why the store's date was capped). */
  readonly deadlines: readonly SessionDeadline[];
  /** The cookie lives only until the browser closes, which may end the session before `at`. */
  readonly atBrowserClose: boolean;
}

/**
 * When and why a loaded session ends. `storedExpiry` is the date its store
 * holds (set at the last save); without it, the date a save now would store.
 */
export function getSessionEnd(input: ExpiryInput & { readonly storedExpiry?: Date | null }): SessionEnd {
  const { idle, absolute } = getDeadlines(input);
  const deadlines: SessionDeadline[] = [];
  if (idle) deadlines.push({ reason: "idle_timeout", at: idle });
  if (absolute) deadlines.push({ reason: "absolute_lifetime", at: absolute });
  const expiry = readExpiry(input.data);
  const django = expiry.kind === "date" ? expiry.date : (input.storedExpiry ?? getExpiryDate(input));
  deadlines.push({ reason: expiry.kind === "policy" ? "cookie_age" : "set_expiry", at: django });
  const first = deadlines.reduce((earliest, deadline) => (deadline.at < earliest.at ? deadline : earliest));
  return { reason: first.reason, at: first.at, deadlines, atBrowserClose: getExpireAtBrowserClose(input) };
}
