import "server-only";
/**
 * The overview's numbers (GET /api/admin/stats), read in a handful of
 * queries. Sources, one per number (docs/dashboard.md):
 * - expiries still stored: django_session's expire_date index (the expired range);
 * - live sessions now: the trigger-kept row total less the expired range (no walk);
 * - signed in, per engine, per device, top users, distinct users, expirations: the meta table
 *   joined to the live sessions (these walk every live session: read live up to 20,000 of
 *   them, above that from a snapshot at most a minute old, stats-snapshot.ts);
 * - logins, logouts, expiries cleared by clearsessions: the activity record (its (kind, at) and (at) indexes);
 * - kills: the audit log's kill entries and their session counts (its (action, at) index);
 * - flagged: the meta table's flagged_at index.
 * The Redis cache engine answers through its own listing; signed cookies, the file engine and the
 * cache engine on Memcached keep nothing to count: their live sessions are unknown (null), not 0.
 */
import type { AdminStats, AdminUserRef, FlaggedSessionSummary, StatWindow } from "@/lib/admin-api";
import { join, sqltag as sql, type Sql } from "@prisma/client/runtime/client";
import { AUDIT_ACTIONS } from "../../node/admin/audit.ts";
import { assertPermission, type AdminUser } from "./access.ts";
import { appAdminContext, type AdminContext } from "./context.ts";
import { heavyQuery } from "./heavy-read.ts";
import { sessionIndex } from "./session-keys.ts";
import { countQuery, dialectFor } from "./session-sql.ts";
import { breakdownsFor, SNAPSHOT_ABOVE, type ReadBreakdowns } from "./stats-snapshot.ts";
import { familyView } from "./sightings.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const KILL_ACTIONS = [AUDIT_ACTIONS.SESSION_KILL, AUDIT_ACTIONS.SESSIONS_KILL_SELECTED, AUDIT_ACTIONS.SESSIONS_KILL_USER, AUDIT_ACTIONS.SESSIONS_KILL_ISSUED_BEFORE];
/** How many sessions the cache engine's listing is walked for (its index has no aggregates). */
export const LISTING_WALK_LIMIT = 50_000;

type Count = number | bigint | null;
const n = (value: Count | undefined): number => Number(value ?? 0);
const window = (last: Count | undefined, previous: Count | undefined): StatWindow => ({ last24h: n(last), previous24h: n(previous) });

/** The 24 clock hours ending with the current one, oldest first, as ISO strings. */
function hoursOf(now: Date): string[] {
  const current = Math.floor(now.getTime() / HOUR) * HOUR;
  return Array.from({ length: 24 }, (_, i) => new Date(current - (23 - i) * HOUR).toISOString());
}

/** Today and the next 14 UTC days, as YYYY-MM-DD (a session begun now with the default two-week cookie ends on the last). */
export const EXPIRATION_DAYS = 15;
function daysOf(now: Date): string[] {
  const today = Math.floor(now.getTime() / DAY) * DAY;
  return Array.from({ length: EXPIRATION_DAYS }, (_, i) => new Date(today + i * DAY).toISOString().slice(0, 10));
}

/** Logins, logouts and kills per window and per hour: the activity record and the audit log. */
async function readActivity(context: AdminContext, now: Date) {
  const d = dialectFor(context.provider);
  const dayAgo = d.metaValue(new Date(now.getTime() - DAY));
  const twoDaysAgo = d.metaValue(new Date(now.getTime() - 2 * DAY));
  const end = d.metaValue(now);
  const hourOf = (column: Sql) =>
    context.provider === "sqlite" ? sql`substr(${column}, 1, 13)` : sql`to_char(date_trunc('hour', ${column} AT TIME ZONE 'UTC'), 'YYYY-MM-DD"T"HH24')`;
  const windows = (from: Sql, where: Sql) =>
    sql`SELECT SUM(CASE WHEN at >= ${dayAgo} THEN session_count ELSE 0 END) AS last, SUM(CASE WHEN at < ${dayAgo} THEN session_count ELSE 0 END) AS previous
      FROM ${from} WHERE ${where} AND at >= ${twoDaysAgo} AND at <= ${end}`;
  const kinds = ["login", "logout", "expire"] as const;
  const kills = sql`action IN (${join(KILL_ACTIONS)})`;
  type Windows = Array<{ last: Count; previous: Count }>;
  const [[login, logout, expire, killed], activityHours, killHours] = await Promise.all([
    Promise.all([
      ...kinds.map((kind) => context.prisma.$queryRaw<Windows>(windows(sql`sessionscope_activity`, sql`kind = ${kind}`))),
      context.prisma.$queryRaw<Windows>(windows(sql`sessionscope_audit`, kills)),
    ]),
    context.prisma.$queryRaw<Array<{ hour: string; kind: string; total: Count }>>(
      sql`SELECT ${hourOf(sql`at`)} AS hour, kind, SUM(session_count) AS total FROM sessionscope_activity
        WHERE kind IN ('login', 'logout') AND at >= ${dayAgo} AND at <= ${end} GROUP BY 1, 2`,
    ),
    context.prisma.$queryRaw<Array<{ hour: string; total: Count }>>(
      sql`SELECT ${hourOf(sql`at`)} AS hour, SUM(session_count) AS total FROM sessionscope_audit WHERE ${kills} AND at >= ${dayAgo} AND at <= ${end} GROUP BY 1`,
    ),
  ]);
  const series = new Map(hoursOf(now).map((hour) => [hour.slice(0, 13), { hour, logins: 0, logouts: 0, kills: 0 }]));
  for (const row of activityHours) {
    const slot = series.get(row.hour);
    if (slot) slot[row.kind === "login" ? "logins" : "logouts"] += n(row.total);
  }
  for (const row of killHours) {
    const slot = series.get(row.hour);
    if (slot) slot.kills += n(row.total);
  }
  return {
    logins: window(login![0]?.last, login![0]?.previous),
    logouts: window(logout![0]?.last, logout![0]?.previous),
    kills: window(killed![0]?.last, killed![0]?.previous),
    cleared: window(expire![0]?.last, expire![0]?.previous),
    hourly: [...series.values()],
  };
}

async function usernames(context: AdminContext, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await context.prisma.authUser.findMany({ where: { id: { in: [...new Set(ids)] } }, select: { id: true, username: true } });
  return new Map(rows.map((row) => [row.id, row.username]));
}

const ref = (id: number | null, names: ReadonlyMap<number, string>): AdminUserRef | null => {
  const username = id === null ? undefined : names.get(id);
  return id !== null && username !== undefined ? { id, username } : null;
};

type Activity = Awaited<ReturnType<typeof readActivity>>;

/** Sessions live 24 hours ago, reconstructed: live now, less those created since, plus those ended since. */
const activeDayAgo = (activeNow: number, createdSince: number, activity: Activity, expired: number) =>
  Math.max(0, activeNow - createdSince + activity.logouts.last24h + activity.kills.last24h + expired);

/**
 * The breakdowns of the live sessions: each walks the live range of django_session joined to
 * the meta table (bounded by the live set; above a size, read through the snapshot).
 */
const readBreakdowns: ReadBreakdowns = async (context, now) => {
  const d = dialectFor(context.provider);
  const live = sql`s.expire_date > ${d.expireValue(now)}`;
  const dayAgo = new Date(now.getTime() - DAY);
  const joined = sql`sessionscope_session_meta m JOIN django_session s ON s.session_key = m.session_key`;
  const dayOf = context.provider === "sqlite" ? sql`substr(expire_date, 1, 10)` : sql`to_char(expire_date AT TIME ZONE 'UTC', 'YYYY-MM-DD')`;
  // On SQLite, off the request thread and in one read transaction (heavy-read.ts).
  const q = heavyQuery(context);
  const [active, perEngine, users, usersDayAgo, perDevice, top, perDay, created] = await Promise.all([
    q<{ total: Count }>(sql`SELECT count(*) AS total FROM django_session s WHERE ${live}`),
    q<{ engine: string; total: Count; signed_in: Count }>(sql`SELECT m.engine AS engine, count(*) AS total, count(m.user_id) AS signed_in FROM ${joined} WHERE ${live} GROUP BY m.engine`),
    q<{ total: Count }>(sql`SELECT count(DISTINCT m.user_id) AS total FROM ${joined} WHERE ${live}`),
    q<{ total: Count }>(
      sql`SELECT count(DISTINCT m.user_id) AS total FROM ${joined}
        WHERE m.created_at <= ${d.metaValue(dayAgo)} AND s.expire_date > ${d.expireValue(dayAgo)}`,
    ),
    q<{ device: string | null; total: Count }>(sql`SELECT m.device AS device, count(*) AS total FROM ${joined} WHERE ${live} GROUP BY m.device ORDER BY total DESC, m.device LIMIT 8`),
    q<{ user_id: Count; total: Count }>(
      sql`SELECT m.user_id AS user_id, count(*) AS total FROM ${joined} WHERE m.user_id IS NOT NULL AND ${live} GROUP BY m.user_id ORDER BY total DESC, m.user_id LIMIT 5`,
    ),
    q<{ day: string; total: Count }>(
      sql`SELECT ${dayOf} AS day, count(*) AS total FROM django_session WHERE expire_date > ${d.expireValue(now)}
        AND expire_date < ${d.expireValue(new Date(Math.floor(now.getTime() / DAY) * DAY + EXPIRATION_DAYS * DAY))} GROUP BY 1`,
    ),
    q<{ total: Count }>(sql`SELECT count(*) AS total FROM sessionscope_session_meta WHERE created_at > ${d.metaValue(dayAgo)}`),
  ]);
  return {
    total: n(active[0]?.total),
    perEngine: perEngine.map((row) => ({ engine: row.engine, total: n(row.total), signedIn: n(row.signed_in) })),
    users: n(users[0]?.total),
    usersDayAgo: n(usersDayAgo[0]?.total),
    perDevice: perDevice.map((row) => ({ device: row.device, total: n(row.total) })),
    top: top.map((row) => ({ userId: n(row.user_id), total: n(row.total) })),
    perDay: perDay.map((row) => ({ day: row.day, total: n(row.total) })),
    createdDay: n(created[0]?.total),
  };
};

/**
 * The SQL engines: the headline numbers live at every size (index ranges bounded by the day's
 * activity and the expired set), the breakdowns live or from the snapshot (stats-snapshot.ts).
 */
async function sqlStats(context: AdminContext, now: Date, activity: Activity, snapshotAbove: number): Promise<AdminStats> {
  const d = dialectFor(context.provider);
  const live = sql`s.expire_date > ${d.expireValue(now)}`;
  const dayAgo = new Date(now.getTime() - DAY);
  const joined = sql`sessionscope_session_meta m JOIN django_session s ON s.session_key = m.session_key`;
  const q = <T,>(query: Sql) => context.prisma.$queryRaw<T[]>(query);
  const flagged = d.rare(sql`m.flagged_at IS NOT NULL`);
  const [active, expiredStored, flaggedTotal, flaggedLatest] = await Promise.all([
    // The trigger-kept row total less the expired range: no walk of the live set.
    q<{ total: Count }>(countQuery(context.provider, { status: "active" }, now)),
    q<{ last: Count; previous: Count }>(
      sql`SELECT SUM(CASE WHEN expire_date >= ${d.expireValue(dayAgo)} THEN 1 ELSE 0 END) AS last,
        SUM(CASE WHEN expire_date < ${d.expireValue(dayAgo)} THEN 1 ELSE 0 END) AS previous
        FROM django_session WHERE expire_date >= ${d.expireValue(new Date(now.getTime() - 2 * DAY))} AND expire_date <= ${d.expireValue(now)}`,
    ),
    q<{ total: Count }>(sql`SELECT count(*) AS total FROM ${joined} WHERE ${flagged} AND ${live}`),
    q<{ public_id: string; user_id: Count; ip: string | null; device: string | null; flagged_at: unknown }>(
      sql`SELECT m.public_id AS public_id, m.user_id AS user_id, m.ip AS ip, m.device AS device, ${d.exactText(sql`m.flagged_at`)} AS flagged_at
        FROM ${joined} WHERE ${flagged} AND ${live} ORDER BY m.flagged_at DESC LIMIT 5`,
    ),
  ]);
  const activeNow = n(active[0]?.total);
  const { breakdowns: b, asOf } = await breakdownsFor(context, now, activeNow, readBreakdowns, snapshotAbove);
  const signedIn = b.perEngine.reduce((sum, row) => sum + row.signedIn, 0);
  const expiredLast = n(expiredStored[0]?.last) + activity.cleared.last24h;
  const names = await usernames(context, [...b.top.map((row) => row.userId), ...flaggedLatest.map((row) => row.user_id).filter((id) => id !== null).map(Number)]);
  const counts = new Map(b.perDay.map((row) => [row.day, row.total]));
  return {
    now: now.toISOString(),
    engine: context.runtime.engine,
    unavailable: [],
    breakdownsAsOf: asOf?.toISOString() ?? null,
    active: { now: activeNow, dayAgo: activeDayAgo(activeNow, b.createdDay, activity, expiredLast), estimated: true },
    activeSignedIn: signedIn,
    activeAnonymous: Math.max(0, b.total - signedIn),
    signedInUsers: { now: b.users, dayAgo: b.usersDayAgo, estimated: true },
    logins: activity.logins,
    logouts: activity.logouts,
    kills: activity.kills,
    expiries: { last24h: expiredLast, previous24h: n(expiredStored[0]?.previous) + activity.cleared.previous24h },
    hourly: activity.hourly,
    expirations: daysOf(now).map((day) => ({ day, count: counts.get(day) ?? 0 })),
    byEngine: b.perEngine.map((row) => ({ engine: row.engine, count: row.total })).sort((a, b) => b.count - a.count),
    byDevice: b.perDevice.map((row) => ({ device: familyView(row.device), count: row.total })),
    topUsers: b.top.flatMap((row) => {
      const user = ref(row.userId, names);
      return user ? [{ user, sessions: row.total }] : [];
    }),
    flagged: {
      total: n(flaggedTotal[0]?.total),
      latest: flaggedLatest.map(
        (row): FlaggedSessionSummary => ({
          id: row.public_id,
          user: ref(row.user_id === null ? null : Number(row.user_id), names),
          ip: row.ip,
          device: familyView(row.device),
          flaggedAt: new Date(String(row.flagged_at)).toISOString(),
        }),
      ),
    },
  };
}

/** The cache engine: its count, and a walk of its listing (owner, creation and expiry only: no address or device). */
async function listingStats(context: AdminContext, store: Extract<ReturnType<typeof sessionIndex>, { kind: "listing" }>["store"], now: Date, activity: Activity): Promise<AdminStats> {
  const activeNow = await store.count({ status: "active" }, now);
  const perUser = new Map<number, number>();
  const perDay = new Map<string, number>();
  let walked = 0;
  let signedIn = 0;
  let cursor: string | null = null;
  do {
    const page = await store.list({ status: "active" }, { cursor, limit: 500 }, now);
    for (const item of page.items) {
      walked++;
      const day = item.expireDate.toISOString().slice(0, 10);
      perDay.set(day, (perDay.get(day) ?? 0) + 1);
      const id = item.userId === null || item.userId === undefined ? NaN : Number(item.userId);
      if (Number.isSafeInteger(id)) {
        signedIn++;
        perUser.set(id, (perUser.get(id) ?? 0) + 1);
      }
    }
    cursor = walked < LISTING_WALK_LIMIT ? page.nextCursor : null;
  } while (cursor !== null);
  const top = [...perUser].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, 5);
  const names = await usernames(context, top.map(([id]) => id));
  const complete = walked >= activeNow;
  return {
    now: now.toISOString(),
    engine: context.runtime.engine,
    unavailable: [
      `the ${store.engine} engine keeps no address or device: no device breakdown and no flagged sessions`,
      "Redis drops a session when it expires: no expiries, and no trend for live sessions",
      ...(complete ? [] : [`signed-in, per-day and per-user counts are from the first ${walked.toLocaleString("en-US")} live sessions`]),
    ],
    breakdownsAsOf: null,
    active: { now: activeNow, dayAgo: null, estimated: false },
    activeSignedIn: signedIn,
    activeAnonymous: complete ? Math.max(0, activeNow - signedIn) : null,
    signedInUsers: { now: perUser.size, dayAgo: null, estimated: false },
    logins: activity.logins,
    logouts: activity.logouts,
    kills: activity.kills,
    expiries: null,
    hourly: activity.hourly,
    expirations: daysOf(now).map((day) => ({ day, count: perDay.get(day) ?? 0 })),
    byEngine: [{ engine: store.engine, count: activeNow }],
    byDevice: [],
    topUsers: top.flatMap(([id, sessions]) => {
      const user = ref(id, names);
      return user ? [{ user, sessions }] : [];
    }),
    flagged: null,
  };
}

/** Why the configured engine's sessions cannot be counted, in words (the overview's note). */
function uncountable(context: AdminContext): string {
  const { engine } = context.runtime;
  if (engine === "signed_cookies") return "signed-cookie sessions live in each browser: the server cannot count, list or flag them";
  if (engine === "cache" && context.cacheBackend === "memcached") {
    return "Memcached cannot list its keys: the cache engine's sessions there cannot be counted or listed (cached_db keeps them listed in the database)";
  }
  return `the ${engine} engine keeps no index of its sessions: they cannot be counted or listed`;
}

/**
 * Signed cookies, the file engine and the cache engine on Memcached: nothing lists the sessions,
 * so how many are live is unknown (null, never 0); only the activity record counts.
 */
function activityOnly(context: AdminContext, now: Date, activity: Activity): AdminStats {
  return {
    now: now.toISOString(),
    engine: context.runtime.engine,
    unavailable: [uncountable(context)],
    breakdownsAsOf: null,
    active: null,
    activeSignedIn: null,
    activeAnonymous: null,
    signedInUsers: null,
    logins: activity.logins,
    logouts: activity.logouts,
    kills: activity.kills,
    expiries: null,
    hourly: activity.hourly,
    expirations: [],
    byEngine: [],
    byDevice: [],
    topUsers: [],
    flagged: null,
  };
}

/**
 * The overview: every dashboard role may read it. Above `snapshotAbove` live sessions the
 * breakdowns come from the snapshot (stats-snapshot.ts).
 */
export async function getAdminStats(caller: AdminUser, context: AdminContext = appAdminContext(), snapshotAbove = SNAPSHOT_ABOVE): Promise<AdminStats> {
  assertPermission(caller, "sessions:view");
  const now = context.now();
  const activity = await readActivity(context, now);
  const index = sessionIndex(context);
  if (index.kind === "sql") return sqlStats(context, now, activity, snapshotAbove);
  if (index.kind === "listing") return listingStats(context, index.store, now, activity);
  return activityOnly(context, now, activity);
}

