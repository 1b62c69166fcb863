/**
 * The audit log page's words and URL: each action described in a sentence,
 * and the filters (actor, action, time range) as URL parameters, shared by
 * the page, its React Query key, GET /api/admin/audit and the CSV export.
 * Isomorphic: the server page reads the URL with it, the browser writes it.
 */
import type { AuditEntryView } from "./admin-api.ts";
import { formatCount } from "./admin-format.ts";
import { formatDateTime } from "./format.ts";
import type { AuditAction } from "./node/admin/audit.ts";

/**
 * Groups of actions the filter offers first: the API reads a prefix ending in
 * "." as every action under it. (Kills have none: "session.kill" and
 * "sessions.*" share no such prefix.)
 */
export const AUDIT_ACTION_GROUPS = {
  "role.": "Any role change",
} as const;

/** The known actions, as the filter's select offers them. */
export const AUDIT_ACTION_LABELS: Readonly<Record<AuditAction, string>> = {
  "session.kill": "Ended a session",
  "sessions.kill_selected": "Ended selected sessions",
  "sessions.kill_user": "Ended a user's sessions",
  "sessions.kill_issued_before": "Ended sessions issued before a moment",
  "role.grant": "Granted or changed a role",
  "role.revoke": "Withdrew a role",
  "policy.update": "Changed the session policy",
  "session.limit": "Ended sessions over the per-user limit",
};

const isActionFilter = (value: string): boolean => Object.hasOwn(AUDIT_ACTION_LABELS, value) || Object.hasOwn(AUDIT_ACTION_GROUPS, value);

const text = (value: unknown): string | null => (typeof value === "string" && value.trim() ? value : null);

/** Whom an action concerned: the username the entry recorded, else the `user:<id>` target. */
function subject(entry: AuditEntryView): string | null {
  const username = text(entry.detail?.username);
  if (username) return username;
  const id = /^user:(\d+)$/.exec(entry.target ?? "")?.[1];
  return id ? `user #${id}` : null;
}

/**
 * One entry in words: "Ended 37 sessions of alice", "Granted security to bob",
 * "Ended every session issued before 12 Nov 2026, 14:00 UTC". Reads the
 * entry's `detail` (`username`, `role`, `previousRole`, `issuedBefore`,
 * `reason`) and falls back on its `target` where the detail says nothing.
 */
export function describeAuditEntry(entry: AuditEntryView): string {
  const who = subject(entry);
  const count = entry.sessionCount ?? 0;
  const role = text(entry.detail?.role);
  const previousRole = text(entry.detail?.previousRole);
  switch (entry.action) {
    case "session.kill":
      return who ? `Ended a session of ${who}` : "Ended one session";
    case "sessions.kill_selected":
      return `Ended ${formatCount(count, "selected session")}`;
    case "sessions.kill_user": {
      const reason = text(entry.detail?.reason);
      return `Ended ${formatCount(count, "session")} of ${who ?? "a user"}${reason ? ` (${reason})` : ""}`;
    }
    case "sessions.kill_issued_before": {
      const before = text(entry.detail?.issuedBefore) ?? entry.target;
      return before && !Number.isNaN(Date.parse(before)) ? `Ended every session issued before ${formatDateTime(before)}` : "Ended every session issued before a moment";
    }
    case "role.grant":
      if (previousRole && role) return `Changed ${who ?? "a user"} from ${previousRole} to ${role}`;
      return `Granted ${role ?? "a role"} to ${who ?? "a user"}`;
    case "role.revoke":
      return previousRole ? `Withdrew the ${previousRole} role of ${who ?? "a user"}` : `Withdrew the dashboard role of ${who ?? "a user"}`;
    case "policy.update": {
      const changed = Array.isArray(entry.detail?.changed) ? entry.detail.changed.filter((name): name is string => typeof name === "string") : [];
      return changed.length ? `Changed the session policy (${changed.join(", ")})` : "Changed the session policy";
    }
    case "session.limit":
      return `Ended ${formatCount(count, "session")} of ${who ?? "a user"} over the limit of ${String(entry.detail?.limit ?? "sessions per user")}`;
    default:
      return entry.action;
  }
}

export const AUDIT_FILTER_KEYS = ["actor", "action", "from", "to"] as const;
export type AuditFilterKey = (typeof AUDIT_FILTER_KEYS)[number];
/** Only the filters that are set. `from` and `to` are ISO instants. */
export type AuditFilters = Partial<Record<AuditFilterKey, string>>;

function validFilter(key: AuditFilterKey, value: string): boolean {
  if (key === "action") return isActionFilter(value);
  if (key === "from" || key === "to") return !Number.isNaN(Date.parse(value));
  return true;
}

/** The known, valid, non-empty filters of a URL's parameters (Next's searchParams record or URLSearchParams). */
export function readAuditFilters(params: URLSearchParams | Record<string, string | string[] | undefined>): AuditFilters {
  const filters: AuditFilters = {};
  for (const key of AUDIT_FILTER_KEYS) {
    const raw = params instanceof URLSearchParams ? params.get(key) : params[key];
    const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
    if (value && validFilter(key, value)) filters[key] = value;
  }
  return filters;
}

/** The filters (and any extra parameters, such as a cursor or `format=csv`) as a plain record: a query key, a query string. */
export function auditQueryRecord(filters: AuditFilters, extra: Record<string, string> = {}): Record<string, string> {
  const record: Record<string, string> = {};
  for (const key of AUDIT_FILTER_KEYS) {
    const value = filters[key];
    if (value) record[key] = value;
  }
  return { ...record, ...extra };
}

/** "?actor=alice&action=role.grant", keys in a fixed order, or "" without filters. */
export function auditQueryString(filters: AuditFilters, extra: Record<string, string> = {}): string {
  const search = new URLSearchParams(auditQueryRecord(filters, extra)).toString();
  return search ? `?${search}` : "";
}

/** The CSV export of exactly the entries the page shows (every page of them). */
export const auditCsvHref = (filters: AuditFilters): string => `/api/admin/audit${auditQueryString(filters, { format: "csv" })}`;
