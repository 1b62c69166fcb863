import "server-only";
/**
 * The dashboard's sessions: one page of the list (filters, sorts, keyset
 * cursor, total) and one session's detail. Sessions are addressed by their
 * opaque public id; a session key never leaves this module's results.
 */
import type { AdminSessionDetail, AdminSessionPage, AdminSessionRow, AdminUserRef, SessionFlag, SessionSighting, SignatureStatus } from "@/lib/admin-api";
import {
  AUTH_USER_ID_KEY, type ListableStore, parseSqliteDate, type SessionCodec, type SessionListFilter, type SessionListItem, type SessionStore,
  type SessionStringCodec,
} from "@/lib/session";
import { deviceFilterWords, parseDevice } from "../../node/device.ts";
import { catchUpDjangoSessions } from "../../node/admin/backfill.ts";
import { createSessionCodecFromConfig } from "../../node/session/engines.ts";
import { API_ERRORS, HttpError } from "../http.ts";
import { assertPermission, type AdminUser } from "./access.ts";
import { appAdminContext, type AdminContext } from "./context.ts";
import { openCursor, sealCursor } from "./cursor.ts";
import type { SessionQuery } from "./schemas.ts";
import { rawQuery } from "./raw-query.ts";
import { presentData } from "./session-data.ts";
import { scanForPublicIds, sessionIndex } from "./session-keys.ts";
import { readSightings } from "./sightings.ts";
import {
  canPreselect, canReadByFamily, COUNT_CAP, countIsCapped, countQuery, deviceFamiliesQuery, expirySource, isAddressPrefix, pageQuery, usernamePrefixQuery, type ListedRow, type PageRead,
  type SqlFilter, type SqlPosition,
} from "./session-sql.ts";
import { buildTimeline } from "./timeline.ts";

type IndexedStore = SessionStore & ListableStore;

const notFound = () => new HttpError(404, API_ERRORS.NOT_FOUND, "No such session: it may have ended or been killed.");

const toDate = (value: unknown): Date => (value instanceof Date ? value : parseSqliteDate(value));
const toDateOrNull = (value: unknown): Date | null => (value === null || value === undefined ? null : toDate(value));

/** The `user` filter as an id: null for "anonymous", "nobody" for a username no one has. */
async function resolveUser(context: AdminContext, user: string | undefined): Promise<number | null | undefined | "nobody"> {
  if (user === undefined) return undefined;
  if (user === "anonymous") return null;
  if (/^\d{1,10}$/.test(user)) return Number(user) <= 2_147_483_647 ? Number(user) : "nobody";
  const found = await context.prisma.authUser.findUnique({ where: { username: user }, select: { id: true } });
  return found ? found.id : "nobody";
}

async function usernames(context: AdminContext, ids: Iterable<number>): Promise<Map<number, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await context.prisma.authUser.findMany({ where: { id: { in: unique } }, select: { id: true, username: true } });
  return new Map(rows.map((row) => [row.id, row.username]));
}

const userRef = (id: number | null, names: ReadonlyMap<number, string>): AdminUserRef | null => {
  const username = id === null ? undefined : names.get(id);
  return id !== null && username !== undefined ? { id, username } : null;
};

const parseUserId = (value: string | number | bigint | null | undefined): number | null => {
  if (value === null || value === undefined) return null;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : null;
};

function emptyPage(now: Date, listing: AdminSessionPage["listing"]): AdminSessionPage {
  return { items: [], nextCursor: null, total: 0, totalIsLowerBound: false, now: now.toISOString(), listing };
}

/** One page of sessions, filtered and sorted on the server. */
export async function listSessions(caller: AdminUser, query: SessionQuery, context: AdminContext = appAdminContext()): Promise<AdminSessionPage> {
  assertPermission(caller, "sessions:view");
  const now = context.now();
  const index = sessionIndex(context);
  if (index.kind === "none") {
    if (query.cursor) throw new HttpError(400, API_ERRORS.BAD_REQUEST, "invalid cursor: start again from the first page.");
    return emptyPage(now, "none");
  }
  const userId = await resolveUser(context, query.user);
  if (index.kind === "listing") return listFromIndex(context, index.store, query, userId, now);
  // Attach mode: sessions Django wrote since the last backfill pass get their metadata first (docs/django.md).
  if (!query.cursor) await catchUpDjangoSessions();
  const scope = `sessions:sql:${query.sort}`;
  const after = query.cursor ? toPosition(openCursor(context.runtime.config.secretKey, scope, query.cursor)) : null;
  if (userId === "nobody") return emptyPage(now, "full");
  const filter = await sqlFilter(context, query, userId);
  const source = expirySource(context);
  const page = (read: PageRead = {}) => pageQuery(context.provider, filter, query.sort, after, query.limit, now, source, read);
  const run = rawQuery(context);
  const count = async () => Number((await run<{ total: number | bigint | string }>(countQuery(context.provider, filter, now, COUNT_CAP, source)))[0]?.total ?? 0);
  let rows: ListedRow[];
  let total: number;
  if (context.provider === "sqlite" && isAddressPrefix(filter.ip)) {
    // How many sessions an address prefix matches decides the plan, and SQLite's planner cannot know it:
    // count first (capped, along the ip index: under a millisecond at a million sessions), then read (AddressPlan).
    total = await count();
    rows = await run<ListedRow>(page({ address: total <= COUNT_CAP ? "range" : "walk" }));
  } else {
    const read = (preselect = 0) => run<ListedRow>(page({ preselect }));
    const rowsRead = canPreselect(filter, query.sort, source)
      ? preselected(read, query.limit + 1 + PRESELECT_MARGIN, query.limit)
      : canReadByFamily(filter, query.sort, source)
        ? byFamily(() => run<ListedRow>(page({ byFamily: true })), () => read(), query.limit)
        : read();
    [rows, total] = await Promise.all([rowsRead, count()]);
  }
  const overCap = countIsCapped(filter) && total > COUNT_CAP;
  const shown = rows.slice(0, query.limit);
  const last = shown.at(-1);
  const nextCursor = rows.length > query.limit && last ? sealCursor(context.runtime.config.secretKey, scope, [String(last.sort_key), last.public_id]) : null;
  return {
    items: shown.map((row) => sqlRow(row, context.runtime.codec, now)),
    nextCursor,
    total: overCap ? COUNT_CAP : total,
    totalIsLowerBound: overCap,
    now: now.toISOString(),
    listing: "full",
  };
}

/**
 * Expired sessions in creation or activity order: a page first sorts its own size and this many more
 * from the expiry index alone, and reads every expired session only when that comes back short. A
 * preselected session drops out of the page only when its session row is live after all (the meta
 * table's copy of the expiry trails it by at most the copy's slack): a few, at the edge of expiring.
 * What the preselection costs grows with its size on SQLite, whose bounded sort keeps that many
 * rows in a b-tree while it reads every expired entry (at a million sessions, 20,000 expired: 37 ms
 * for four pages' worth, 12 ms for one and this margin).
 */
const PRESELECT_MARGIN = 16;

/** A page read through a preselection of `size`, or read again without when that may have left sessions out. */
async function preselected(page: (preselect?: number) => Promise<ListedRow[]>, size: number, limit: number): Promise<ListedRow[]> {
  const rows = await page(size);
  const sorted = Number(rows[0]?.preselected ?? size);
  return rows.length > limit || sorted < size ? rows : page();
}

/**
 * A page read family by family (session-sql.ts, canReadByFamily): its kept rows, or the page read
 * again the ordinary way when a row dropped out of a full merge (its session row gone, or expired
 * after all), where the merge's next entries may belong on the page.
 */
async function byFamily(merged: () => Promise<ListedRow[]>, walk: () => Promise<ListedRow[]>, limit: number): Promise<ListedRow[]> {
  const rows = await merged();
  const kept = rows.filter((row) => Number(row.kept) === 1);
  return kept.length === rows.length || rows.length <= limit ? kept : walk();
}

/** Most users a free search lists sessions of: the first ones by name (type more to narrow). */
export const SEARCH_USERS = 100;

/** The query with its lookups done: device words to families, the free search to a public-id prefix and user ids. */
async function sqlFilter(context: AdminContext, query: SessionQuery, userId: number | null | undefined): Promise<SqlFilter> {
  const { device, q, ...rest } = query;
  const [devices, search] = await Promise.all([
    device === undefined ? undefined : matchingFamilies(context, device),
    q === undefined ? undefined : resolveSearch(context, q),
  ]);
  return { ...rest, userId, ...(devices && { devices }), ...(search && { search }) };
}

/** The device families containing every word of the filter ("firefox linux" → ["desktop firefox linux"]). */
async function matchingFamilies(context: AdminContext, device: string): Promise<string[]> {
  const words = deviceFilterWords(device);
  const rows = await rawQuery(context)<{ device: string }>(deviceFamiliesQuery());
  return rows.map((row) => row.device).filter((family) => words.every((word) => family.includes(word)));
}

async function resolveSearch(context: AdminContext, q: string): Promise<NonNullable<SqlFilter["search"]>> {
  const users = await rawQuery(context)<{ id: number | bigint }>(usernamePrefixQuery(context.provider, q.toLowerCase(), SEARCH_USERS));
  return { publicIdPrefix: /^[A-Za-z0-9_-]+$/.test(q) ? q : null, userIds: users.map((user) => Number(user.id)) };
}

function toPosition(value: unknown): SqlPosition {
  // The cursor opened, so the server sealed it: anything else is a bug, not bad input.
  if (!Array.isArray(value) || value.length !== 2 || !value.every((part) => typeof part === "string")) throw new TypeError("SessionScope: unexpected cursor position");
  return value as unknown as SqlPosition;
}

function sqlRow(row: ListedRow, codec: SessionCodec, now: Date): AdminSessionRow {
  const expireDate = toDate(row.expire_date);
  const userId = parseUserId(row.user_id);
  const flags: SessionFlag[] = codec.decode(row.session_data, now).ok ? [] : ["undecodable"];
  if (row.flagged_at !== null && row.flagged_at !== undefined) flags.push("ip_or_device_changed");
  return {
    id: row.public_id,
    userId,
    user: userId !== null && row.username !== null ? { id: userId, username: row.username } : null,
    engine: row.engine,
    status: expireDate > now ? "active" : "expired",
    createdAt: toDateOrNull(row.created_at)?.toISOString() ?? null,
    createdEstimated: Boolean(row.created_estimated),
    lastActivity: toDateOrNull(row.last_activity)?.toISOString() ?? null,
    expiresAt: expireDate.toISOString(),
    ip: row.ip,
    device: parseDevice(row.user_agent),
    flags,
  };
}

/**
 * The Redis cache engine: its index knows each session's creation time, owner
 * and public id, nothing more. The filters it cannot answer are refused
 * rather than silently ignored.
 */
async function listFromIndex(
  context: AdminContext,
  store: IndexedStore,
  query: SessionQuery,
  userId: number | null | undefined | "nobody",
  now: Date,
): Promise<AdminSessionPage> {
  const filters: string[] = (["ip", "device", "flagged", "createdFrom", "createdTo", "activeFrom", "activeTo"] as const).filter((name) => query[name] !== undefined);
  if (userId === null) filters.push("user=anonymous");
  const cannot = [...(filters.length ? [`filter by ${filters.join(", ")}`] : []), ...(query.sort !== "-created" ? ["sort other than newest first"] : [])];
  if (cannot.length) {
    throw new HttpError(400, API_ERRORS.BAD_REQUEST, `The ${store.engine} engine keeps only each session's owner, creation time and public id: it cannot ${cannot.join(", nor ")}.`);
  }
  const scope = `sessions:${store.engine}:${query.sort}`;
  const cursor = query.cursor ? openCursor(context.runtime.config.secretKey, scope, query.cursor) : null;
  if (cursor !== null && typeof cursor !== "string") throw new TypeError("SessionScope: unexpected cursor position");
  if (userId === "nobody" || (query.engine !== undefined && query.engine !== store.engine)) return emptyPage(now, "full");
  const filter: SessionListFilter = { status: query.status, ...(userId !== undefined && { userId: String(userId) }), ...(query.q && { query: query.q }) };
  await context.refreshCacheIndex?.();
  const [page, total] = await Promise.all([store.list(filter, { cursor, limit: query.limit }, now), store.count(filter, now)]);
  const names = await usernames(context, page.items.map((item) => parseUserId(item.userId)).filter((id): id is number => id !== null));
  const items = await Promise.all(page.items.map((item) => indexedRow(store, item, names, now)));
  return {
    // An entry without a public id was written by a Django site: it cannot be addressed, so it is not shown.
    items: items.filter((row): row is AdminSessionRow => row !== null),
    nextCursor: page.nextCursor ? sealCursor(context.runtime.config.secretKey, scope, page.nextCursor) : null,
    total,
    totalIsLowerBound: false,
    now: now.toISOString(),
    listing: "full",
  };
}

async function indexedRow(
  store: IndexedStore,
  item: SessionListItem,
  names: ReadonlyMap<number, string>,
  now: Date,
): Promise<AdminSessionRow | null> {
  if (!item.publicId) return null;
  const userId = parseUserId(item.userId);
  // The engine reads an entry it cannot unpickle as absent: one that still exists is undecodable.
  const undecodable = item.expireDate > now && (await store.load(item.key, now)) === null && (await store.exists(item.key));
  return {
    id: item.publicId,
    userId,
    user: userRef(userId, names),
    engine: store.engine,
    status: item.expireDate > now ? "active" : "expired",
    createdAt: item.createdAt?.toISOString() ?? null,
    createdEstimated: false,
    lastActivity: item.lastActivity?.toISOString() ?? null,
    expiresAt: item.expireDate.toISOString(),
    ip: item.ip ?? null,
    device: parseDevice(item.userAgent),
    flags: undecodable ? ["undecodable"] : [],
  };
}

// ---------------------------------------------------------------- detail

const inspectors = new WeakMap<object, SessionStringCodec>();

/** The runtime's keys as a codec that can say which key verified a value. */
function inspectorFor(context: AdminContext): SessionStringCodec {
  const config = context.runtime.config;
  let codec = inspectors.get(config);
  // The runtime's own keys and formats (SESSION_ACCEPT_LEGACY), so the detail accepts exactly what a request does.
  if (!codec) inspectors.set(config, (codec = createSessionCodecFromConfig(config)));
  return codec;
}

const SIGNED_WITH: Record<string, SignatureStatus> = {
  secret_key: { state: "valid" },
  fallback_key: { state: "valid_fallback_key" },
  legacy_sha1: { state: "legacy_format" },
  legacy_format: { state: "legacy_format" },
};

interface StoredDetail {
  readonly row: Omit<AdminSessionRow, "flags" | "status" | "device">;
  readonly flaggedAt: Date | null;
  readonly sightings: readonly SessionSighting[];
  readonly userAgent: string | null;
  readonly expireDate: Date;
  readonly createdAt: Date | null;
  readonly lastActivity: Date | null;
  readonly data: ReadonlyMap<string, unknown> | null;
  readonly signature: SignatureStatus;
  readonly rawSize: number;
}

/** One session: decoded data (login hash masked unless an admin asks), signature, size, timeline. */
export async function getSessionDetail(
  caller: AdminUser,
  publicId: string,
  options: { readonly revealHash?: boolean } = {},
  context: AdminContext = appAdminContext(),
): Promise<AdminSessionDetail> {
  assertPermission(caller, "sessions:view");
  // Why admins only: with the hash and the user's password hash's secret gone, nothing is forged; but the
  // hash is the one value in a session that proves a login, so only the role that can do everything sees it.
  if (options.revealHash && caller.role !== "admin") throw new HttpError(403, API_ERRORS.FORBIDDEN, "Only an admin can reveal the login hash.");
  const now = context.now();
  const index = sessionIndex(context);
  const stored = index.kind === "sql" ? await readSqlSession(context, publicId) : index.kind === "listing" ? await readIndexedSession(context, index.store, publicId, now) : null;
  if (!stored) throw notFound();
  const policy = await context.runtime.policy.get();
  const username = stored.row.user?.username ?? null;
  const { timeline, endsBecause } = buildTimeline({
    now,
    data: stored.data,
    policy,
    createdAt: stored.createdAt,
    createdEstimated: stored.row.createdEstimated,
    lastActivity: stored.lastActivity,
    expireDate: stored.expireDate,
    username,
  });
  return {
    ...stored.row,
    status: stored.expireDate > now ? "active" : "expired",
    device: parseDevice(stored.userAgent),
    flags: [...(stored.data ? [] : (["undecodable"] as const)), ...(stored.flaggedAt ? (["ip_or_device_changed"] as const) : [])],
    data: stored.data ? presentData(stored.data, options.revealHash === true) : null,
    signature: stored.signature,
    rawSize: stored.rawSize,
    userAgent: stored.userAgent,
    timeline,
    endsBecause,
    flaggedAt: stored.flaggedAt?.toISOString() ?? null,
    sightings: stored.sightings,
  };
}

async function readSqlSession(context: AdminContext, publicId: string): Promise<StoredDetail | null> {
  const meta = await context.prisma.sessionMeta.findUnique({ where: { publicId } });
  const session = meta && (await context.prisma.djangoSession.findUnique({ where: { sessionKey: meta.sessionKey } }));
  if (!meta || !session) return null;
  const inspected = inspectorFor(context).inspect(session.sessionData);
  const names = await usernames(context, meta.userId === null ? [] : [meta.userId]);
  return {
    row: {
      id: meta.publicId,
      userId: meta.userId,
      user: userRef(meta.userId, names),
      engine: meta.engine,
      createdAt: meta.createdAt.toISOString(),
      createdEstimated: meta.createdEstimated,
      lastActivity: meta.lastActivity?.toISOString() ?? null,
      expiresAt: session.expireDate.toISOString(),
      ip: meta.ip,
    },
    userAgent: meta.userAgent,
    flaggedAt: meta.flaggedAt,
    sightings: meta.flaggedAt ? await readSightings(context, meta.sessionKey) : [],
    expireDate: session.expireDate,
    createdAt: meta.createdAt,
    lastActivity: meta.lastActivity,
    data: inspected.ok ? inspected.data : null,
    signature: inspected.ok ? SIGNED_WITH[inspected.signedWith]! : { state: "invalid", reason: inspected.reason },
    rawSize: Buffer.byteLength(session.sessionData, "utf8"),
  };
}

async function readIndexedSession(
  context: AdminContext,
  store: IndexedStore,
  publicId: string,
  now: Date,
): Promise<StoredDetail | null> {
  const item = (await scanForPublicIds(store, new Set([publicId]), now)).get(publicId);
  if (!item) return null;
  const loaded = await store.load(item.key, now);
  const userId = parseUserId(item.userId ?? (loaded?.data?.get(AUTH_USER_ID_KEY) as string | undefined));
  const names = await usernames(context, userId === null ? [] : [userId]);
  return {
    row: {
      id: publicId,
      userId,
      user: userRef(userId, names),
      engine: store.engine,
      createdAt: item.createdAt?.toISOString() ?? null,
      createdEstimated: false,
      lastActivity: null,
      expiresAt: item.expireDate.toISOString(),
      ip: null,
    },
    userAgent: null,
    // The cache engine keeps no address or device: nothing to compare, so nothing is flagged.
    flaggedAt: null,
    sightings: [],
    expireDate: item.expireDate,
    createdAt: item.createdAt,
    lastActivity: null,
    data: loaded?.data ?? null,
    // Django's cache engine keeps a trusted pickle, with no signature to check.
    signature: loaded?.data ? { state: "unsigned_cache_entry" } : { state: "invalid", reason: "the cache entry is not a readable pickle of a dict" },
    rawSize: loaded ? Buffer.byteLength(loaded.version, "latin1") : 0,
  };
}
