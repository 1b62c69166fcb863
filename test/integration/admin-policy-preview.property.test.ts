// The impact preview's one SQL statement (policy-impact-sql.ts) against the
// rule in JavaScript (policy-impact.ts's tallyImpact), on random small sets of
// sessions and random pairs of policies, on real SQLite and PostgreSQL, in
// SessionScope's own database (the meta table's copy of the expiry) and in
// attach mode (django_session's expiry; sessions a Django site wrote have no
// meta row). Times are drawn around the horizons' and limits' edges (to the
// millisecond either side, and exactly on them), where a < against a <= or
// a lost fraction of a second would show.
//
// A fresh random seed each run; a failure prints the seed and the shrunk case
// (`fc.assert(..., { seed })` replays it).
import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { PolicySettings } from "../../lib/admin-api.ts";
import { HORIZONS, tallyImpact, type SessionTimes } from "../../lib/server/admin/policy-impact.ts";
import { impactQuery, readImpactRow, type ImpactRow } from "../../lib/server/admin/policy-impact-sql.ts";
import type { ExpirySource } from "../../lib/server/admin/session-sql.ts";
import { formatPrismaSqliteDate, formatSqliteDate } from "../../lib/session/index.ts";
import { DATABASES } from "../helpers/backends.ts";
import type { TestDatabase } from "../helpers/databases.ts";
import { describeWithServices } from "../helpers/register.ts";
import { DEFAULT_POLICY_SETTINGS } from "./admin-fixtures.ts";

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86_400;
/** Limits and cookie ages the policies take, in seconds: the times below are drawn from the same set, so edges meet. */
const DURATIONS = [90, HOUR, 25 * HOUR, DAY, 7 * DAY, 14 * DAY, 30 * DAY] as const;
const EDGES = [0, ...Object.values(HORIZONS)];

const BASE = DEFAULT_POLICY_SETTINGS;

const limit = fc.option(fc.constantFrom(...DURATIONS), { nil: null, freq: 3 });
const policy: fc.Arbitrary<PolicySettings> = fc.record({ idleTimeout: limit, absoluteLifetime: limit, cookieAge: fc.constantFrom(...DURATIONS) }).map((p) => ({ ...BASE, ...p }));

/**
 * An instant as milliseconds from now: on or beside an edge (a horizon plus or minus a limit,
 * give or take a millisecond), or anywhere within ±40 days.
 */
const offset: fc.Arbitrary<number> = fc.oneof(
  fc.tuple(fc.constantFrom(...EDGES), fc.constantFrom(0, ...DURATIONS), fc.constantFrom(1, -1), fc.constantFrom(-1, 0, 0, 1))
    .map(([edge, duration, sign, jitter]) => (edge + sign * duration) * 1000 + jitter),
  fc.integer({ min: -40 * DAY * 1000, max: 40 * DAY * 1000 }),
);

interface Drawn {
  /** django_session's expiry, and the meta row's copy (attach mode reads the first; a Django site may have changed it). */
  readonly expiry: number;
  readonly copy: number;
  readonly created: number;
  readonly activity: number | null;
  readonly user: number | null;
  /** False: a session a Django site wrote, with no meta row yet (attach mode only). */
  readonly meta: boolean;
}

const session: fc.Arbitrary<Drawn> = fc.record({
  expiry: offset,
  copy: offset,
  created: offset.map((ms) => -Math.abs(ms)),
  activity: fc.option(offset.map((ms) => -Math.abs(ms)), { nil: null }),
  user: fc.option(fc.integer({ min: 1, max: 4 }), { nil: null, freq: 3 }),
  meta: fc.boolean(),
});

/** Now: on a whole second (Django's text then has no fraction) or not. */
const nowArb = fc.constantFrom(Date.UTC(2026, 10, 30, 12, 0, 0), Date.UTC(2026, 10, 30, 12, 0, 0, 457));

async function store(t: TestDatabase, sessions: readonly Drawn[], now: number, source: ExpirySource): Promise<void> {
  const at = (ms: number) => new Date(now + ms);
  const rows = sessions.map((s, i) => ({ ...s, key: `k${i}`.padEnd(32, "x"), publicId: `p${i}`, meta: s.meta || source === "meta" }));
  const { db } = t;
  if (db.provider === "sqlite") {
    db.sqlite.exec("DELETE FROM sessionscope_session_meta; DELETE FROM django_session");
    const session = db.sqlite.prepare("INSERT INTO django_session (session_key, session_data, expire_date) VALUES (?, '', ?)");
    const meta = db.sqlite.prepare("INSERT INTO sessionscope_session_meta (session_key, public_id, user_id, created_at, last_activity, engine, expire_date) VALUES (?, ?, ?, ?, ?, 'db', ?)");
    for (const s of rows) {
      session.run(s.key, formatSqliteDate(at(s.expiry)));
      if (s.meta) meta.run(s.key, s.publicId, s.user, formatPrismaSqliteDate(at(s.created)), s.activity === null ? null : formatPrismaSqliteDate(at(s.activity)), formatSqliteDate(at(s.copy)));
    }
    return;
  }
  await db.pool.query("DELETE FROM sessionscope_session_meta; DELETE FROM django_session");
  for (const s of rows) {
    await db.pool.query("INSERT INTO django_session (session_key, session_data, expire_date) VALUES ($1, '', $2)", [s.key, at(s.expiry)]);
    if (s.meta) {
      await db.pool.query("INSERT INTO sessionscope_session_meta (session_key, public_id, user_id, created_at, last_activity, engine, expire_date) VALUES ($1, $2, $3, $4, $5, 'db', $6)", [
        s.key, s.publicId, s.user, at(s.created), s.activity === null ? null : at(s.activity), at(s.copy),
      ]);
    }
  }
}

/** What the rule reads of each session, from where the statement reads it. */
function asRead(sessions: readonly Drawn[], now: number, source: ExpirySource): SessionTimes[] {
  const at = (ms: number) => new Date(now + ms);
  return sessions.map((s) => {
    if (source === "meta") return { expireDate: at(s.copy), createdAt: at(s.created), lastActivity: s.activity === null ? null : at(s.activity), userId: s.user === null ? null : String(s.user) };
    if (!s.meta) return { expireDate: at(s.expiry), createdAt: null, lastActivity: null, userId: null };
    return { expireDate: at(s.expiry), createdAt: at(s.created), lastActivity: s.activity === null ? null : at(s.activity), userId: s.user === null ? null : String(s.user) };
  });
}

for (const database of DATABASES) {
  describeWithServices(`the policy preview's SQL against the rule in JavaScript on ${database.name}`, database.needs, () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await database.open();
    });
    afterAll(async () => {
      await t?.dispose();
    });

    for (const source of ["meta", "session"] as const) {
      it(`counts what tallyImpact counts, ${source === "meta" ? "from the meta table's copy of the expiry" : "in attach mode (django_session's expiry)"}`, async () => {
        await fc.assert(
          fc.asyncProperty(fc.array(session, { maxLength: 10 }), policy, policy, nowArb, async (sessions, current, candidate, now) => {
            await store(t, sessions, now, source);
            const [row] = await t.db.prisma.$queryRaw<ImpactRow[]>(impactQuery(t.db.provider, current, candidate, new Date(now), source));
            expect(readImpactRow(row ?? {})).toEqual(tallyImpact(asRead(sessions, now, source), current, candidate, new Date(now)));
          }),
          { numRuns: 60 },
        );
      });
    }

    it("counts a session on each edge as the rule does: ends by T when its limit reaches T exactly", async () => {
      const now = Date.UTC(2026, 10, 30, 12, 0, 0, 250);
      const lifetime = { ...BASE, absoluteLifetime: DAY };
      // Created exactly a day, a day less a millisecond, and a day less an hour ago; one idle exactly an hour.
      const sessions: Drawn[] = [
        { expiry: 14 * DAY * 1000, copy: 14 * DAY * 1000, created: -DAY * 1000, activity: null, user: 1, meta: true },
        { expiry: 14 * DAY * 1000, copy: 14 * DAY * 1000, created: -DAY * 1000 + 1, activity: null, user: 2, meta: true },
        { expiry: 14 * DAY * 1000, copy: 14 * DAY * 1000, created: -(DAY - HOUR) * 1000, activity: -MINUTE * 1000, user: null, meta: true },
      ];
      await store(t, sessions, now, "meta");
      const [row] = await t.db.prisma.$queryRaw<ImpactRow[]>(impactQuery(t.db.provider, BASE, lifetime, new Date(now)));
      expect(readImpactRow(row ?? {})).toMatchObject({ total: 3, candidate: { now: 1, hour: 3, day: 3, week: 3, usersNow: 1 }, endedByChange: 1, usersSignedOut: 1 });
    });
  });
}
