/**
 * The admin HTTP API's JSON shapes (docs/admin-api.md), shared by the route
 * handlers, the data layer that builds them and the dashboard's client
 * components. Types only: nothing here runs. Times are ISO 8601 strings (UTC).
 * Sessions are addressed by their opaque public id: a session key never
 * appears in any of these shapes.
 */
import type { Role } from "./roles.ts";

export interface AdminUserRef {
  readonly id: number;
  readonly username: string;
}

export type SessionStatus = "active" | "expired";

/**
 * Why a row is flagged for attention: its stored data cannot be decoded, or it
 * was seen from a second IP address or device family during its life (a
 * stolen cookie replayed elsewhere looks like this).
 */
export type SessionFlag = "undecodable" | "ip_or_device_changed";

export interface DeviceInfo {
  /** "desktop" | "mobile" | "tablet" | "bot" | "unknown" */
  readonly type: "desktop" | "mobile" | "tablet" | "bot" | "unknown";
  /** "Firefox 128 on Linux" */
  readonly label: string;
  readonly browser: string | null;
  readonly os: string | null;
}

export interface AdminSessionRow {
  /** The opaque public id (never the session key). */
  readonly id: string;
  readonly userId: number | null;
  readonly user: AdminUserRef | null;
  readonly engine: string;
  readonly status: SessionStatus;
  readonly createdAt: string | null;
  /**
   * True when `createdAt` is estimated, not recorded: sessions a Django site wrote (attach mode)
   * get `expiry − SESSION_COOKIE_AGE`, exact for a session never saved again, later otherwise.
   */
  readonly createdEstimated: boolean;
  readonly lastActivity: string | null;
  readonly expiresAt: string;
  readonly ip: string | null;
  readonly device: DeviceInfo | null;
  readonly flags: readonly SessionFlag[];
}

export interface AdminSessionPage {
  readonly items: readonly AdminSessionRow[];
  readonly nextCursor: string | null;
  readonly total: number;
  /**
   * True when `total` is a floor, not the exact count: a filtered view stops counting at
   * 1,000 matches (so that counting stays a short index walk at a million sessions), and the
   * UI shows "1,000+ sessions".
   */
  readonly totalIsLowerBound: boolean;
  /** The server's clock when the page was read, so relative times and expiry bars agree. */
  readonly now: string;
  /** What this engine can list: "full" (a table or an index), or "none" (signed cookies keep nothing server-side). */
  readonly listing: "full" | "none";
}

/** GET /api/admin/sessions query parameters (all optional). */
export interface AdminSessionQuery {
  readonly status?: "active" | "expired" | "all";
  /** A username or a numeric user id; "anonymous" for sessions without a user. */
  readonly user?: string;
  /** Exact address, or a prefix ending in "." or ":" (e.g. "10.0." or "2001:db8:"). */
  readonly ip?: string;
  /** A device type or browser/OS name, matched against the parsed user agent. */
  readonly device?: string;
  readonly engine?: string;
  readonly createdFrom?: string;
  readonly createdTo?: string;
  readonly activeFrom?: string;
  readonly activeTo?: string;
  /** Free search over usernames and public ids (prefix). */
  readonly q?: string;
  /** "1": only sessions flagged because their address or device family changed. */
  readonly flagged?: "1";
  readonly sort?: "created" | "-created" | "activity" | "-activity" | "expiry" | "-expiry";
  readonly cursor?: string;
  readonly limit?: number;
}

export type SignatureStatus =
  | { readonly state: "valid" }
  | { readonly state: "valid_fallback_key" }
  | { readonly state: "legacy_format" }
  | { readonly state: "unsigned_cache_entry" }
  | { readonly state: "invalid"; readonly reason: string };

export type TimelineMarkerKind = "created" | "login" | "last_activity" | "idle_deadline" | "absolute_deadline" | "cookie_expiry" | "now";

export interface TimelineMarker {
  readonly kind: TimelineMarkerKind;
  readonly at: string;
  /** In words: "ends in 2 h 14 min: idle timeout". */
  readonly label: string;
  /** Whether the time is estimated rather than recorded. */
  readonly estimated?: boolean;
}

/**
 * A Python value JSON has no form for, as it appears inside `AdminSessionDetail.data`:
 * a datetime, date, time, timedelta or timezone a pickled cache entry holds,
 * as its text (`isoformat()`; `str()` for timedelta and timezone), with `tz`
 * for datetimes and times ("pytz.utc", "timezone.utc", "UTC+05:30", a zone's
 * name, or "naive") and `at`, the instant, for datetimes (a naive one read as
 * UTC). So that the tag is never ambiguous, a dict of the session's own that
 * has a `__python__` key comes wrapped as `{ __python__: "dict", value }`.
 */
export type PythonValueJson =
  | { readonly __python__: "datetime"; readonly text: string; readonly tz: string; readonly at: string }
  | { readonly __python__: "time"; readonly text: string; readonly tz: string }
  | { readonly __python__: "date" | "timedelta" | "timezone"; readonly text: string }
  | { readonly __python__: "dict"; readonly value: Record<string, unknown> };

export interface AdminSessionDetail extends AdminSessionRow {
  /** The decoded session data (null when it cannot be decoded); `_auth_user_hash` masked unless asked for; Python's datetimes as `PythonValueJson`. */
  readonly data: Record<string, unknown> | null;
  readonly signature: SignatureStatus;
  /** Size of the stored value in bytes. */
  readonly rawSize: number;
  readonly userAgent: string | null;
  readonly timeline: readonly TimelineMarker[];
  /** Which deadline ends the session first, in words ("idle timeout in 2 h 14 min"). */
  readonly endsBecause: string;
  /** When it was first seen from a second address or device family, or null. */
  readonly flaggedAt: string | null;
  /** Where it was seen from, oldest first: one entry per change (empty while it has been seen from one place). */
  readonly sightings: readonly SessionSighting[];
}

export interface SessionSighting {
  /** From when the session was seen from here (the first entry: its creation). */
  readonly at: string;
  readonly ip: string | null;
  readonly device: DeviceFamilyView | null;
  /** What differs from the entry before ("ip", "device"); empty for the first. */
  readonly changed: ReadonlyArray<"ip" | "device">;
}

/** A device family as the meta table keeps it ("desktop firefox linux"), with a label for people. */
export interface DeviceFamilyView {
  readonly family: string;
  readonly type: DeviceInfo["type"];
  /** "Firefox on Linux (desktop)" */
  readonly label: string;
}

/** POST /api/admin/sessions/revoke: exactly one of the three. */
export type RevokeRequest = { readonly ids: readonly string[] } | { readonly userId: number } | { readonly issuedBefore: string };

export interface RevokeResult {
  readonly revoked: number;
  readonly auditId: number;
}

export interface AuditEntryView {
  readonly id: number;
  readonly at: string;
  readonly actor: { readonly id: number | null; readonly username: string };
  readonly action: string;
  readonly target: string | null;
  readonly sessionCount: number | null;
  readonly ip: string | null;
  readonly device: string | null;
  readonly detail: Record<string, unknown> | null;
}

export interface AuditPage {
  readonly items: readonly AuditEntryView[];
  readonly nextCursor: string | null;
}

/** GET /api/admin/audit query parameters; `format=csv` answers text/csv with every matching entry. */
export interface AuditQuery {
  readonly actor?: string;
  readonly action?: string;
  readonly from?: string;
  readonly to?: string;
  readonly cursor?: string;
  readonly limit?: number;
  readonly format?: "json" | "csv";
}

export interface AdminUserView {
  readonly id: number;
  readonly username: string;
  readonly name: string;
  readonly role: Role | null;
  readonly lastLogin: string | null;
  readonly activeSessions: number;
}

/** GET /api/admin/users query parameters (all optional). */
export interface AdminUserQuery {
  /** A username prefix. */
  readonly q?: string;
  /** At most this many users (default 100, at most 500). */
  readonly limit?: number;
}

/** GET /api/admin/users: the users with a dashboard role first, then the others, each group by username. */
export interface AdminUserList {
  readonly items: readonly AdminUserView[];
}

/** PUT /api/admin/users/:id/role */
export interface RoleChangeRequest {
  readonly role: Role | null;
}

export interface RoleChangeResult {
  readonly user: AdminUserView;
  readonly previousRole: Role | null;
  /** Sessions of that user ended so that the new role starts with a fresh login. */
  readonly sessionsEnded: number;
}

/** The live session policy (GET/PUT /api/admin/policy): seconds; null turns a limit off. */
export interface PolicySettings {
  /** SESSION_COOKIE_AGE: 60 s to 10 years. */
  readonly cookieAge: number;
  /** SESSION_EXPIRE_AT_BROWSER_CLOSE. */
  readonly expireAtBrowserClose: boolean;
  /** SESSION_SAVE_EVERY_REQUEST. */
  readonly saveEveryRequest: boolean;
  /** A session unused this long ends (null: off). */
  readonly idleTimeout: number | null;
  /** A session ends this long after it began, however active (null: off). */
  readonly absoluteLifetime: number | null;
  /** SESSION_COOKIE_SECURE. */
  readonly cookieSecure: boolean;
  /** SESSION_COOKIE_SAMESITE; false: no SameSite attribute. */
  readonly cookieSameSite: "Lax" | "Strict" | "None" | false;
  /** The most sessions one user may hold; a login beyond it ends the oldest (null: no limit). */
  readonly maxSessionsPerUser: number | null;
}

/** GET /api/admin/policy: the policy in force, where it comes from, and what the engine allows. */
export interface AdminPolicyView {
  readonly policy: PolicySettings;
  /** The environment's SESSION_* values: what applies until an admin saves. */
  readonly defaults: PolicySettings;
  /** "env": never saved, the environment's values apply; "saved": an admin's save applies. */
  readonly source: "env" | "saved";
  /** The version a PUT must name (0: never saved). */
  readonly version: number;
  readonly savedAt: string | null;
  readonly savedBy: string | null;
  /** The configured engine. */
  readonly engine: string;
  /** Whether the impact preview can count this engine's sessions, and why not. */
  readonly preview: { readonly available: boolean; readonly reason: string | null };
  /** Whether the per-user limit can be enforced on this engine (it needs a per-user index), and why not. */
  readonly sessionLimit: { readonly available: boolean; readonly reason: string | null };
  /** Secure cannot be turned off here (production without TRUST_PROXY or SESSIONSCOPE_ALLOW_INSECURE_COOKIE). */
  readonly secureRequired: boolean;
  /** Whether the caller may save (`policy:edit`); others see the policy read-only. */
  readonly canEdit: boolean;
}

/** PUT /api/admin/policy: every setting, and the version the change was made from (409 when another save came first). */
export interface PolicyUpdateRequest extends PolicySettings {
  readonly version: number;
}

/** Live sessions ending by each horizon under one policy (cumulative: "within a day" includes "at once"). */
export interface ImpactBuckets {
  /** Dead at their next request. */
  readonly now: number;
  readonly hour: number;
  readonly day: number;
  readonly week: number;
  /** Distinct signed-in users with a session dead at its next request. */
  readonly usersNow: number;
}

/** POST /api/admin/policy/preview: what a candidate policy does to today's sessions, against the current one. */
export type PolicyImpact =
  | {
      readonly available: true;
      /** The instant the horizons count from. */
      readonly at: string;
      /**
       * Null when every live session was counted. Above the snapshot size (20,000 stored sessions), the
       * time of the snapshot of the live sessions the counts were estimated from (ask `?count=exact`
       * to count them all).
       */
      readonly estimatedFrom: string | null;
      /** Live sessions counted. */
      readonly total: number;
      readonly current: ImpactBuckets;
      readonly candidate: ImpactBuckets;
      /** Sessions a change would end at once that the current policy keeps (candidate.now minus those already due). */
      readonly endedByChange: number;
      /** Signed-in users the change signs out at once (on at least one device). */
      readonly usersSignedOut: number;
      /** Sessions whose stored expiry is further away than the candidate cookie age: shortened when next saved. */
      readonly shortenedAtNextSave: number;
    }
  | { readonly available: false; readonly reason: string };

/** GET /api/admin/events: what happened, as the `event:` name of a server-sent event. */
export type AdminLiveEventType = "session.login" | "session.logout" | "session.killed" | "policy.changed" | "role.changed";

/** GET /api/admin/events: the `data:` of each event. Hints to refetch; never a session key. */
export interface AdminLiveEvent {
  readonly type: AdminLiveEventType;
  readonly at: string;
  /** The user who logged in or out, whose sessions were ended or whose role changed. */
  readonly userId?: number | null;
  /** Sessions ended (kills, role changes). */
  readonly count?: number;
}

/** A count over the last 24 hours beside the same count over the 24 hours before. */
export interface StatWindow {
  readonly last24h: number;
  readonly previous24h: number;
}

/** A number shown now with what it was 24 hours ago (null when it cannot be known; `estimated` when reconstructed). */
export interface StatNow {
  readonly now: number;
  readonly dayAgo: number | null;
  readonly estimated: boolean;
}

export interface FlaggedSessionSummary {
  readonly id: string;
  readonly user: AdminUserRef | null;
  readonly ip: string | null;
  readonly device: DeviceFamilyView | null;
  readonly flaggedAt: string;
}

/** GET /api/admin/stats: the overview. Counts are of sessions unless named otherwise. */
export interface AdminStats {
  /** The server's clock when the numbers were read. */
  readonly now: string;
  /** The configured engine. */
  readonly engine: string;
  /** Plain words for each number this engine cannot give (signed cookies keep nothing server-side; Redis keeps no addresses). */
  readonly unavailable: readonly string[];
  /**
   * When the breakdowns of the live sessions (signed in and anonymous, signed-in users, per
   * engine, per device, top users, expirations) were computed: null when read with this answer;
   * above 20,000 live sessions, a snapshot's time, at most a minute old (ten after a quiet spell).
   */
  readonly breakdownsAsOf: string | null;
  /** Live sessions (not yet expired); null where the engine cannot count them (signed cookies, file, cache on Memcached). */
  readonly active: StatNow | null;
  readonly activeSignedIn: number | null;
  readonly activeAnonymous: number | null;
  /** Distinct users with at least one live session. */
  readonly signedInUsers: StatNow | null;
  readonly logins: StatWindow;
  readonly logouts: StatWindow;
  /** Sessions ended from the dashboard or the command line (the audit log's kills). */
  readonly kills: StatWindow;
  /** Sessions whose expiry fell in the window (still stored, or counted by clearsessions as it removed them). */
  readonly expiries: StatWindow | null;
  /** The last 24 hours, hour by hour, oldest first (24 entries; `hour` is the hour's start). */
  readonly hourly: ReadonlyArray<{ readonly hour: string; readonly logins: number; readonly logouts: number; readonly kills: number }>;
  /** Live sessions by the day they expire: today and the next 14 days (15 entries; `day` is YYYY-MM-DD, UTC). */
  readonly expirations: ReadonlyArray<{ readonly day: string; readonly count: number }>;
  readonly byEngine: ReadonlyArray<{ readonly engine: string; readonly count: number }>;
  /** Live sessions by device family, most first (at most 8; sessions never seen count as "unknown"). */
  readonly byDevice: ReadonlyArray<{ readonly device: DeviceFamilyView | null; readonly count: number }>;
  /** The users with the most live sessions (at most 5). */
  readonly topUsers: ReadonlyArray<{ readonly user: AdminUserRef; readonly sessions: number }>;
  readonly flagged: { readonly total: number; readonly latest: readonly FlaggedSessionSummary[] } | null;
}
