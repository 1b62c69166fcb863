/**
 * The dashboard queries the scale benchmark times: one table, name → call,
 * through the same data-layer functions the API routes use (the sessions
 * page, the overview, the policy preview), plus the preview's floor: the
 * plainest count of the live sessions it must look at.
 */
import type { Database } from "../lib/node/db/connection.ts";
import type { ExplainedPlan } from "./admin-scale-plans.ts";
import type { AdminUser } from "../lib/server/admin/access.ts";
import type { AdminContext } from "../lib/server/admin/context.ts";
import { previewPolicy, toSettings } from "../lib/server/admin/policy.ts";
import { dialectFor } from "../lib/server/admin/session-sql.ts";
import { getAdminStats } from "../lib/server/admin/stats.ts";
import { sqltag as sql } from "@prisma/client/runtime/client";
import type { PolicySettings } from "../lib/admin-api.ts";
import { parseAdminQuery, sessionQuerySchema } from "../lib/server/admin/schemas.ts";
import { getSessionDetail, listSessions } from "../lib/server/admin/sessions.ts";
import { usersFor } from "./admin-scale-seed.ts";

/** Real values picked from the seeded data (the same picks at every size). */
export interface Sample {
  /** The user with the most sessions, and one with a typical number. */
  readonly topUser: string;
  readonly typicalUser: string;
  /** An address the top user was seen at, and its /24 (or /64) prefix. */
  readonly ip: string;
  readonly ipPrefix: string;
  /** A session's public id (its detail) and its first characters (a search). */
  readonly publicId: string;
  /** A cursor ten pages into the default listing. */
  readonly deepCursor: string | null;
  /** The seed's clock (every "last 24 hours" is counted from it). */
  readonly now: Date;
}

/** The caller every query runs as: an admin (the role that may do everything). */
export const CALLER: AdminUser = { id: 0, username: "bench", firstName: "Bench", role: "admin" };

export type DashboardQuery = (caller: AdminUser, context: AdminContext, sample: Sample) => Promise<unknown>;

const list = (params: (sample: Sample) => Record<string, string>): DashboardQuery => (caller, context, sample) =>
  listSessions(caller, parseAdminQuery(sessionQuerySchema, new URLSearchParams(params(sample))), context);

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ago = (sample: Sample, ms: number) => new Date(sample.now.getTime() - ms).toISOString();

/**
 * POST /api/admin/policy/preview with the policy in force changed by `change`: above the snapshot
 * size an estimate from the stored histogram; `exact` (`?count=exact`) counts every live session.
 */
const preview = (change: () => Partial<PolicySettings>, exact = false): DashboardQuery => async (caller, context) =>
  previewPolicy(caller, { ...toSettings(await context.runtime.policy.get()), ...change() }, context, { exact });

/** Every list, filter, sort, count and detail of the sessions page (a list call also counts its matches). */
export const DASHBOARD_QUERIES: Readonly<Record<string, DashboardQuery>> = {
  "list: active, newest first (default)": list(() => ({})),
  "list: page 11 by cursor": list((s): Record<string, string> => (s.deepCursor ? { cursor: s.deepCursor } : {})),
  "list: all statuses": list(() => ({ status: "all" })),
  // The sessions page's expired view: most recently expired first (lib/admin-sessions-query.ts).
  "list: expired": list(() => ({ status: "expired", sort: "-expiry" })),
  "list: expired, newest created first": list(() => ({ status: "expired" })),
  "sort: oldest first": list(() => ({ sort: "created" })),
  "sort: last activity, recent first": list(() => ({ sort: "-activity" })),
  "sort: last activity, oldest first": list(() => ({ sort: "activity" })),
  "sort: expiry, soonest first": list(() => ({ sort: "expiry" })),
  "sort: expiry, latest first": list(() => ({ sort: "-expiry" })),
  "filter: user with the most sessions": list((s) => ({ user: s.topUser })),
  "filter: a typical user": list((s) => ({ user: s.typicalUser })),
  "filter: typical user, by expiry": list((s) => ({ user: s.typicalUser, sort: "expiry" })),
  "filter: anonymous": list(() => ({ user: "anonymous" })),
  "filter: address": list((s) => ({ ip: s.ip, status: "all" })),
  "filter: address prefix": list((s) => ({ ip: s.ipPrefix, status: "all" })),
  "filter: device (firefox)": list(() => ({ device: "firefox" })),
  "filter: device (safari ios)": list(() => ({ device: "safari ios" })),
  "filter: engine": list(() => ({ engine: "db" })),
  "filter: created in the last 24 h": list((s) => ({ createdFrom: ago(s, 24 * HOUR) })),
  "filter: active in the last hour": list((s) => ({ activeFrom: ago(s, HOUR), sort: "-activity" })),
  // The floor under the expired list sorted by creation (which reads every expired entry) and under the active list's
  // exact total (all less the expired): the expired range of django_session's expiry index, counted (in proportion to
  // the sessions expired since clearsessions last ran: 2 % of the seed). The expired list's own total stops at 1,001.
  "list floor: count the expired sessions": (_caller, context, sample) =>
    context.prisma.$queryRaw(sql`SELECT count(*) AS total FROM django_session WHERE expire_date <= ${dialectFor(context.provider).expireValue(sample.now)}`),
  "search: username prefix": list(() => ({ q: "seed-user-00" })),
  "search: public id prefix": list((s) => ({ q: s.publicId.slice(0, 10) })),
  "detail: one session": (caller, context, sample) => getSessionDetail(caller, sample.publicId, {}, context),
  "overview: GET /api/admin/stats": (caller, context) => getAdminStats(caller, context),
  "preview: cookie age 1 week": preview(() => ({ cookieAge: 7 * DAY / 1000 })),
  "preview: idle timeout 1 day, lifetime 30 days": preview(() => ({ idleTimeout: DAY / 1000, absoluteLifetime: 30 * DAY / 1000 })),
  "preview, counted exactly: idle timeout 1 day, lifetime 30 days": preview(() => ({ idleTimeout: DAY / 1000, absoluteLifetime: 30 * DAY / 1000 }), true),
  // The floor under any exact preview: every live session is looked at once (no policy test, no join).
  "preview floor: count the live sessions": (_caller, context, sample) =>
    context.prisma.$queryRaw(sql`SELECT count(*) AS total FROM django_session WHERE expire_date > ${dialectFor(context.provider).expireValue(sample.now)}`),
};

/**
 * The queries that must look at every live session, whatever the index (the preview's answer
 * depends on each one's times; its floor is the bare count). With nearly every session live,
 * reading the table they come from in table order is the right plan for them (an expiry range
 * over all of it costs more on PostgreSQL: the heap is read either way), so the plan check allows
 * that scan (django_session's, or the meta table's that holds the copy of the expiry), and only that one.
 */
export const walksLiveSet = (name: string): boolean => name.startsWith("preview");

/** A floor: no dashboard query, the least any exact answer to one must read, timed beside them for reference. */
export const isFloor = (name: string): boolean => name.includes(" floor: ");

/** A read of django_session or the meta table in table order, without an index. */
const LIVE_SET_SCAN = /^\s*SCAN (s|m|django_session|sessionscope_session_meta)$|Seq Scan on (django_session|sessionscope_session_meta)\b/;

/** The plan's scans of a big table that the query `name` has no reason for (walksLiveSet's are allowed). */
export const unexpectedScans = (name: string, plan: ExplainedPlan): string[] =>
  walksLiveSet(name) ? plan.fullScans.filter((line) => !LIVE_SET_SCAN.test(line)) : plan.fullScans;

/** Whether the plan reads the live set whole, as walksLiveSet allows. */
export const readsLiveSet = (name: string, plan: ExplainedPlan): boolean => walksLiveSet(name) && plan.fullScans.some((line) => LIVE_SET_SCAN.test(line));

/** Values for the queries, read from the seeded data (not timed). */
export async function pickSample(db: Database, context: AdminContext, sessions: number, now: Date): Promise<Sample> {
  const one = async <T>(sqlite: string, postgres: string = sqlite): Promise<T> =>
    db.provider === "sqlite" ? (db.sqlite.prepare(sqlite).get() as T) : ((await db.pool.query(postgres)).rows[0] as T);
  const top = await one<{ ip: string }>(
    "SELECT m.ip AS ip FROM sessionscope_session_meta m JOIN auth_user u ON u.id = m.user_id WHERE u.username = 'seed-user-0001' AND m.ip IS NOT NULL LIMIT 1",
  );
  const recent = await one<{ public_id: string }>("SELECT public_id FROM sessionscope_session_meta ORDER BY created_at DESC LIMIT 1 OFFSET 100");
  let deepCursor: string | null = null;
  for (let page = 0; page < 10; page++) {
    const params: Record<string, string> = deepCursor ? { cursor: deepCursor } : {};
    const page = await listSessions(CALLER, parseAdminQuery(sessionQuerySchema, new URLSearchParams(params)), context);
    deepCursor = page.nextCursor;
  }
  const users = usersFor(sessions);
  return {
    topUser: "seed-user-0001",
    typicalUser: `seed-user-${String(Math.round(users / 2)).padStart(4, "0")}`,
    ip: top.ip,
    ipPrefix: top.ip.slice(0, Math.max(top.ip.lastIndexOf("."), top.ip.lastIndexOf(":")) + 1),
    publicId: recent.public_id,
    deepCursor,
    now,
  };
}
