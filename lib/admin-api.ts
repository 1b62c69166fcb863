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

/** Why a row is flagged for attention (more reasons arrive with anomaly detection). */
export type SessionFlag = "undecodable";

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

export interface AdminSessionDetail extends AdminSessionRow {
  /** The decoded session data (null when it cannot be decoded); `_auth_user_hash` masked unless asked for. */
  readonly data: Record<string, unknown> | null;
  readonly signature: SignatureStatus;
  /** Size of the stored value in bytes. */
  readonly rawSize: number;
  readonly userAgent: string | null;
  readonly timeline: readonly TimelineMarker[];
  /** Which deadline ends the session first, in words ("idle timeout in 2 h 14 min"). */
  readonly endsBecause: string;
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
