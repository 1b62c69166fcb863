// The dashboard at scale, in small: the seed's batches write exactly the
// sessions asked for, each decodable with its meta row beside it; the session
// counter follows every insert and delete; a filtered total stops at 1,000 and
// says so; and every query of the sessions page and the overview has an index to answer from.
import { afterEach, beforeEach, expect, it } from "vitest";
import { seedBatches } from "../../cli/seed-batches.ts";
import type { SeedPlan } from "../../cli/seed-rows.ts";
import { createBatchWriter } from "../../cli/seed-writer.ts";
import { parseEnv } from "../../lib/node/env.ts";
import { createSessionRuntime } from "../../lib/node/session/runtime.ts";
import type { AdminContext } from "../../lib/server/admin/context.ts";
import { parseAdminQuery, sessionQuerySchema } from "../../lib/server/admin/schemas.ts";
import { driverQuery } from "../../lib/server/admin/raw-query.ts";
import { listSessions } from "../../lib/server/admin/sessions.ts";
import { COUNT_CAP } from "../../lib/server/admin/session-sql.ts";
import { AUTH_USER_ID_KEY, createSessionCodec, DEFAULT_SESSION_POLICY, parseSqliteDate } from "../../lib/session/index.ts";
import { detailStatements, explain, recordingContext, type SentSql } from "../../bench/admin-scale-plans.ts";
import { CALLER, DASHBOARD_QUERIES, pickSample, unexpectedScans } from "../../bench/admin-scale-queries.ts";
import { DATABASES } from "../helpers/backends.ts";
import type { TestDatabase } from "../helpers/databases.ts";
import { describeWithServices } from "../helpers/register.ts";

const SECRET = "admin-scale-test-secret-key-0123456789-abcdefghijklmnop";
const NOW = new Date("2026-11-30T12:00:00.000Z");

const plan = (overrides: Partial<SeedPlan> = {}): SeedPlan => ({
  secretKey: SECRET,
  fallbackKeys: [],
  policy: DEFAULT_SESSION_POLICY,
  nowMs: NOW.getTime(),
  expiredPercent: 10,
  users: Array.from({ length: 30 }, (_, i) => ({ id: i + 1, authHash: "f".repeat(64) })),
  ...overrides,
});

async function rows<T>(t: TestDatabase, sql: string): Promise<T[]> {
  return t.db.provider === "sqlite" ? (t.db.sqlite.prepare(sql).all() as T[]) : ((await t.db.pool.query(sql)).rows as T[]);
}

async function counter(t: TestDatabase): Promise<number> {
  return Number((await rows<{ total: number | string }>(t, "SELECT sum(total) AS total FROM sessionscope_session_count"))[0]?.total ?? 0);
}

async function seed(t: TestDatabase, total: number, options: { workers?: number; batchSize?: number; plan?: SeedPlan } = {}): Promise<void> {
  const writer = createBatchWriter(t.db, "db");
  for await (const batch of seedBatches(options.plan ?? plan(), total, options.workers ?? 0, options.batchSize ?? 400)) await writer.write(batch);
}

function contextOf(t: TestDatabase): AdminContext {
  const env = parseEnv({ DATABASE_URL: t.url, SESSION_SECRET_KEY: SECRET, SESSION_ENGINE: "db" });
  return { prisma: t.db.prisma, provider: t.db.provider, runtime: createSessionRuntime(env, t.db, null), now: () => NOW, query: driverQuery(t.db) };
}

const list = (context: AdminContext, params: Record<string, string>) => listSessions(CALLER, parseAdminQuery(sessionQuerySchema, new URLSearchParams(params)), context);

for (const backend of DATABASES) {
  describeWithServices(`the dashboard at scale on ${backend.name}`, backend.needs, () => {
    let t: TestDatabase;
    beforeEach(async () => {
      t = await backend.open();
    });
    afterEach(async () => {
      await t.dispose();
    });

    it("seeds exactly N sessions in batches, inline and from a worker thread, each decodable with its meta row", async () => {
      await seed(t, 1_234, { batchSize: 500 });
      await seed(t, 321, { workers: 1, batchSize: 100 });
      const stored = await rows<{ session_data: string; expire_date: unknown; user_id: number | null; created_at: unknown; device: string | null; ip: string | null }>(
        t,
        `SELECT s.session_data, s.expire_date, m.user_id, m.created_at, m.device, m.ip
         FROM django_session s JOIN sessionscope_session_meta m ON m.session_key = s.session_key`,
      );
      expect(stored).toHaveLength(1_555);
      expect(await rows(t, "SELECT session_key FROM django_session")).toHaveLength(1_555);
      expect(await counter(t)).toBe(1_555);
      const codec = createSessionCodec({ secretKey: SECRET });
      const asDate = (value: unknown) => (value instanceof Date ? value : parseSqliteDate(value));
      for (const row of stored) {
        const decoded = codec.decode(row.session_data, asDate(row.created_at));
        expect(decoded.ok).toBe(true);
        if (!decoded.ok) continue;
        // The meta row names the session's own user, and the session lives the cookie age from its creation.
        expect(decoded.data.get(AUTH_USER_ID_KEY) ?? null).toBe(row.user_id === null ? null : String(row.user_id));
        expect(asDate(row.expire_date).getTime() - asDate(row.created_at).getTime()).toBe(DEFAULT_SESSION_POLICY.cookieAge * 1000);
      }
      // Spread as a site's sessions are: several device families, addresses of both kinds, some users far busier than others.
      expect(new Set(stored.map((r) => r.device)).size).toBeGreaterThan(5);
      expect(stored.some((r) => r.ip?.includes(":"))).toBe(true);
      const perUser = new Map<number, number>();
      for (const { user_id } of stored) if (user_id !== null) perUser.set(user_id, (perUser.get(user_id) ?? 0) + 1);
      expect(Math.max(...perUser.values())).toBeGreaterThan(5 * Math.min(...perUser.values()));
    });

    it("keeps the session counter through inserts and deletes, and counts active sessions as total minus expired", async () => {
      await seed(t, 600);
      const context = contextOf(t);
      expect(await counter(t)).toBe(600);
      // 10% expired: exactly 60, spread evenly.
      expect(await list(context, { status: "all" })).toMatchObject({ total: 600, totalIsLowerBound: false });
      expect(await list(context, { status: "expired" })).toMatchObject({ total: 60, totalIsLowerBound: false });
      expect(await list(context, {})).toMatchObject({ total: 540, totalIsLowerBound: false });
      // A Django site deleting rows of the shared table: the counter follows.
      await rows(t, "DELETE FROM django_session WHERE session_key IN (SELECT session_key FROM django_session LIMIT 100) RETURNING session_key");
      expect(await counter(t)).toBe(500);
      expect((await list(context, { status: "all" })).total).toBe(500);
    });

    it(`stops a filtered total at ${COUNT_CAP.toLocaleString("en-US")} and says the total is a floor`, async () => {
      const anonymous = plan({ users: [], expiredPercent: 0 });
      await seed(t, COUNT_CAP, { plan: anonymous });
      const context = contextOf(t);
      expect(await list(context, { user: "anonymous", limit: "5" })).toMatchObject({ total: COUNT_CAP, totalIsLowerBound: false });
      await seed(t, 1, { plan: anonymous });
      const over = await list(context, { user: "anonymous", limit: "5" });
      expect(over).toMatchObject({ total: COUNT_CAP, totalIsLowerBound: true });
      expect(over.items).toHaveLength(5);
      // Unfiltered totals are exact at any size.
      expect(await list(context, {})).toMatchObject({ total: COUNT_CAP + 1, totalIsLowerBound: false });
    });

    it(`stops the expired list's total at ${COUNT_CAP.toLocaleString("en-US")}, and still counts the active sessions exactly`, async () => {
      await seed(t, COUNT_CAP, { plan: plan({ users: [], expiredPercent: 100 }) });
      const context = contextOf(t);
      expect(await list(context, { status: "expired", limit: "5" })).toMatchObject({ total: COUNT_CAP, totalIsLowerBound: false });
      await seed(t, 2, { plan: plan({ users: [], expiredPercent: 100 }) });
      await seed(t, 3, { plan: plan({ users: [], expiredPercent: 0 }) });
      const expired = await list(context, { status: "expired", limit: "5" });
      expect(expired).toMatchObject({ total: COUNT_CAP, totalIsLowerBound: true });
      expect(expired.items).toHaveLength(5);
      expect(await list(context, {})).toMatchObject({ total: 3, totalIsLowerBound: false });
      expect(await list(context, { status: "all" })).toMatchObject({ total: COUNT_CAP + 5, totalIsLowerBound: false });
    });

    it("lists an address prefix newest first, page after page, whether it matches a few sessions or more than the cap", async () => {
      await seed(t, COUNT_CAP + 60);
      // A busy network's 1,001 sessions and a quiet one's 7, both of addresses the seed never draws.
      const readdress = (ip: string, skip: number, take: number) =>
        rows(t, `UPDATE sessionscope_session_meta SET ip = '${ip}' WHERE public_id IN
          (SELECT public_id FROM sessionscope_session_meta ORDER BY public_id LIMIT ${take} OFFSET ${skip}) RETURNING public_id`);
      await readdress("10.9.1.1", 0, COUNT_CAP + 1);
      await readdress("172.16.5.9", COUNT_CAP + 1, 7);
      const context = contextOf(t);
      for (const [prefix, like, total, totalIsLowerBound] of [["10.9.", "10.9.%", COUNT_CAP, true], ["172.16.5.", "172.16.5.%", 7, false]] as const) {
        const expected = await rows<{ public_id: string; username: string | null }>(
          t,
          `SELECT m.public_id, u.username FROM sessionscope_session_meta m LEFT JOIN auth_user u ON u.id = m.user_id
           WHERE m.ip LIKE '${like}' ORDER BY m.created_at DESC, m.public_id DESC LIMIT 8`,
        );
        const first = await list(context, { ip: prefix, status: "all", limit: "4" });
        expect(first).toMatchObject({ total, totalIsLowerBound });
        const second = await list(context, { ip: prefix, status: "all", limit: "4", cursor: first.nextCursor! });
        expect([...first.items, ...second.items].map((row) => [row.id, row.user?.username ?? null])).toEqual(expected.map((row) => [row.public_id, row.username]));
      }
    });

    it("lists several device families as one list, in either creation order, page after page, live or all", async () => {
      await seed(t, 600);
      const refamily = (device: string, skip: number, take: number) =>
        rows(t, `UPDATE sessionscope_session_meta SET device = '${device}' WHERE public_id IN
          (SELECT public_id FROM sessionscope_session_meta ORDER BY public_id LIMIT ${take} OFFSET ${skip}) RETURNING public_id`);
      await refamily("desktop firefox linux", 0, 13);
      await refamily("desktop firefox windows", 13, 9);
      await refamily("mobile firefox android", 22, 4);
      // Two whose session rows disagree with their meta rows: one deleted (a Django site's clearsessions), one
      // expired early; each drops out of the page read from the device index, which is then read again.
      const newest = (offset: number) =>
        `(SELECT session_key FROM sessionscope_session_meta WHERE device LIKE '%firefox%' ORDER BY created_at DESC, public_id DESC LIMIT 1 OFFSET ${offset})`;
      await rows(t, `UPDATE django_session SET expire_date = ${t.db.provider === "sqlite" ? "'2020-01-01 00:00:00'" : "'2020-01-01T00:00:00Z'"} WHERE session_key = ${newest(2)} RETURNING session_key`);
      await rows(t, `DELETE FROM django_session WHERE session_key = ${newest(0)} RETURNING session_key`);
      const context = contextOf(t);
      const all = await rows<{ public_id: string; created_at: unknown; expire_date: unknown; meta_expire_date: unknown; username: string | null }>(
        t,
        `SELECT m.public_id, m.created_at, s.expire_date, m.expire_date AS meta_expire_date, u.username FROM sessionscope_session_meta m
         LEFT JOIN django_session s ON s.session_key = m.session_key LEFT JOIN auth_user u ON u.id = m.user_id WHERE m.device LIKE '%firefox%'`,
      );
      const time = (value: unknown) => (value instanceof Date ? value : parseSqliteDate(value)).getTime();
      for (const status of ["active", "all"] as const) {
        const matching = all.filter((row) => row.expire_date !== null && (status === "all" || time(row.expire_date) > NOW.getTime()));
        // The total counts the meta table alone (countQuery): the two rows that disagree are in it.
        const counted = all.filter((row) => status === "all" || time(row.meta_expire_date) > NOW.getTime()).length;
        expect(counted).toBe(matching.length + (status === "all" ? 1 : 2));
        expect(matching.length).toBeGreaterThan(12);
        for (const sort of ["-created", "created"] as const) {
          const sign = sort === "created" ? 1 : -1;
          const expected = [...matching].sort((a, b) => sign * (time(a.created_at) - time(b.created_at) || (a.public_id < b.public_id ? -1 : 1)));
          const seen: Array<[string, string | null]> = [];
          let cursor: string | null = null;
          do {
            const page = await list(context, { device: "firefox", status, sort, limit: "5", ...(cursor && { cursor }) });
            expect(page.total).toBe(counted);
            seen.push(...page.items.map((row): [string, string | null] => [row.id, row.user?.username ?? null]));
            cursor = page.nextCursor;
          } while (cursor);
          expect(seen, `${status} ${sort}`).toEqual(expected.map((row) => [row.public_id, row.username]));
        }
      }
    });

    it("answers every query of the sessions page and the overview from an index (the preview reads the live sessions, nothing more)", async () => {
      const users = 40;
      await seed(t, 2_000, { plan: plan({ users: Array.from({ length: users }, (_, i) => ({ id: i + 1, authHash: "f".repeat(64) })), expiredPercent: 2 }) });
      await createSeedUsers(t, users);
      if (t.db.provider === "sqlite") t.db.sqlite.exec("ANALYZE");
      else await t.db.pool.query("ANALYZE");
      const context = contextOf(t);
      const sample = await pickSample(t.db, context, 2_000, NOW);
      for (const [name, run] of Object.entries(DASHBOARD_QUERIES)) {
        const sent: SentSql[] = [];
        await run(CALLER, recordingContext(context, sent), sample);
        if (name.startsWith("detail")) sent.push(...detailStatements(sample.publicId, "any-key"));
        expect(sent.length, name).toBeGreaterThan(0);
        for (const statement of sent) {
          // At two thousand rows PostgreSQL rightly prefers reading a small table whole; with sequential
          // scans priced out, a plan that still has one has no index to use.
          const plan = await explain(t.db, statement, { avoidSeqScan: true });
          // The preview reads every live session by definition: a read of their table alone is its floor.
          const scans = unexpectedScans(name, plan);
          expect(scans, `${name}: ${statement.sql}\n${plan.lines.join("\n")}`).toEqual([]);
        }
      }
    });
  });
}

/** auth_user rows named as the seed names them (seed-user-0001, …), ids 1…n. */
async function createSeedUsers(t: TestDatabase, count: number): Promise<void> {
  const names = Array.from({ length: count }, (_, i) => `seed-user-${String(i + 1).padStart(4, "0")}`);
  await t.db.prisma.authUser.createMany({
    data: names.map((username, i) => ({
      id: i + 1, username, password: "!", firstName: "", lastName: "", email: "", isStaff: false, isSuperuser: false, isActive: true, dateJoined: NOW,
    })),
  });
}
