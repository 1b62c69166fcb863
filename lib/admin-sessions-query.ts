/**
 * The sessions list's view as URL parameters: which keys exist, their
 * defaults, and how a change of filter resets the paging. The URL is the
 * state (a link reproduces the view); the same plain record is the React
 * Query key and the query string of GET /api/admin/sessions.
 */
import type { AdminSessionQuery } from "./admin-api.ts";

export const SESSION_FILTER_KEYS = ["q", "status", "user", "ip", "device", "engine", "flagged", "createdFrom", "createdTo", "activeFrom", "activeTo"] as const;
const QUERY_KEYS = [...SESSION_FILTER_KEYS, "sort", "cursor"] as const;

export type SessionQueryKey = (typeof QUERY_KEYS)[number];
/** Only the parameters that are set, as strings. */
export type SessionQueryParams = Partial<Record<SessionQueryKey, string>>;

export const SESSION_STATUSES = ["active", "expired", "all"] as const satisfies ReadonlyArray<NonNullable<AdminSessionQuery["status"]>>;
export const SESSION_SORTS = ["created", "-created", "activity", "-activity", "expiry", "-expiry"] as const satisfies ReadonlyArray<
  NonNullable<AdminSessionQuery["sort"]>
>;
export type SessionSort = (typeof SESSION_SORTS)[number];
export type SessionSortField = "created" | "activity" | "expiry";

/** What the list shows when the URL says nothing: live sessions, newest first. */
export const DEFAULT_STATUS = "active";
export const DEFAULT_SORT: SessionSort = "-created";
/** The expired list: most recently expired first, a walk of the expiry index (newest created first sorts every expired session). */
export const DEFAULT_EXPIRED_SORT: SessionSort = "-expiry";

const ENUMS: Partial<Record<SessionQueryKey, readonly string[]>> = { status: SESSION_STATUSES, sort: SESSION_SORTS, flagged: ["1"] };

type RawParams = URLSearchParams | Record<string, string | string[] | undefined>;

function read(params: RawParams, key: string): string | undefined {
  if (params instanceof URLSearchParams) return params.get(key) ?? undefined;
  const value = params[key];
  return Array.isArray(value) ? value[0] : value;
}

/** The known, non-empty parameters of a URL (unknown keys and invalid enum values are dropped). */
export function readSessionQuery(params: RawParams): SessionQueryParams {
  const query: SessionQueryParams = {};
  for (const key of QUERY_KEYS) {
    const value = read(params, key)?.trim();
    if (!value) continue;
    const allowed = ENUMS[key];
    if (allowed && !allowed.includes(value)) continue;
    query[key] = value;
  }
  return query;
}

/** The query as the server is asked it: status and sort always explicit, so the page never depends on the API's defaults. */
export function effectiveSessionQuery(query: SessionQueryParams): Record<string, string> {
  const effective: Record<string, string> = { status: DEFAULT_STATUS, sort: query.status === "expired" ? DEFAULT_EXPIRED_SORT : DEFAULT_SORT };
  for (const key of QUERY_KEYS) {
    const value = query[key];
    if (value !== undefined) effective[key] = value;
  }
  return effective;
}

/**
 * The query after a change (null or "" removes a key). Any change other than
 * the cursor itself starts again at the first page: a cursor belongs to the
 * filters and order it was issued for.
 */
export function changeSessionQuery(query: SessionQueryParams, changes: Partial<Record<SessionQueryKey, string | null>>): SessionQueryParams {
  const next: SessionQueryParams = { ...query };
  if (!("cursor" in changes)) delete next.cursor;
  for (const [key, value] of Object.entries(changes) as Array<[SessionQueryKey, string | null | undefined]>) {
    if (value) next[key] = value;
    else delete next[key];
  }
  return readSessionQuery(next);
}

/** "?status=all&user=alice", keys in a fixed order (so equal views have equal URLs), or "" for the default view. */
export function sessionQueryString(query: SessionQueryParams): string {
  const params = new URLSearchParams();
  for (const key of QUERY_KEYS) {
    const value = query[key];
    if (value !== undefined) params.set(key, value);
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** Whether any filter narrows the list (the order and the page do not). */
export function hasSessionFilters(query: SessionQueryParams): boolean {
  return SESSION_FILTER_KEYS.some((key) => query[key] !== undefined && !(key === "status" && query[key] === DEFAULT_STATUS));
}

/** The current sort as a field and a direction. */
export function parseSessionSort(sort: string | undefined): { readonly field: SessionSortField; readonly desc: boolean } {
  const value = (SESSION_SORTS as readonly string[]).includes(sort ?? "") ? (sort as SessionSort) : DEFAULT_SORT;
  return { field: value.replace("-", "") as SessionSortField, desc: value.startsWith("-") };
}

export function formatSessionSort(field: SessionSortField, desc: boolean): SessionSort {
  return desc ? `-${field}` : field;
}
