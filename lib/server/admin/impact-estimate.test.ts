// The estimated impact preview against the exact count (tallyImpact, the rule
// the SQL statement follows) on generated populations of sessions: exact where
// every threshold falls on a bucket edge, close everywhere else.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { PolicySettings } from "@/lib/admin-api";
import { seededRandom } from "../../../cli/seed-rows.ts";
import { EDGES, sinceBucketOf, untilBucketOf, estimateImpact, type HistogramCell, type ImpactHistogram, usableHistogram, usersReached } from "./impact-estimate.ts";
import { type ImpactTally, type SessionTimes, tallyImpact } from "./policy-impact.ts";

const MINUTE = 60;
const HOUR = 3_600;
const DAY = 86_400;
const SNAPSHOT = new Date("2026-11-30T12:00:00Z");

const POLICY: PolicySettings = {
  cookieAge: 14 * DAY,
  expireAtBrowserClose: false,
  saveEveryRequest: false,
  idleTimeout: null,
  absoluteLifetime: null,
  cookieSecure: false,
  cookieSameSite: "Lax",
  maxSessionsPerUser: null,
};

/** What the SQL histogram query returns for these sessions at `at`, bucketed the same way. */
function histogramOf(sessions: readonly SessionTimes[], at: Date): ImpactHistogram {
  const cells = new Map<string, [number, number, number, number, number]>();
  const since = (time: Date | null) => (time === null ? -1 : sinceBucketOf((at.getTime() - time.getTime()) / 1000));
  const users = new Map<string, number>();
  for (const s of sessions) {
    if (s.expireDate.getTime() <= at.getTime()) continue;
    const e = untilBucketOf((s.expireDate.getTime() - at.getTime()) / 1000);
    const c = since(s.createdAt);
    const a = since(s.lastActivity ?? s.createdAt);
    const key = `${e},${c},${a}`;
    const cell = cells.get(key) ?? [e, c, a, 0, 0];
    cell[3]++;
    if (s.userId !== null) {
      cell[4]++;
      users.set(s.userId, (users.get(s.userId) ?? 0) + 1);
    }
    cells.set(key, cell);
  }
  const bySessions = new Map<number, number>();
  for (const held of users.values()) bySessions.set(held, (bySessions.get(held) ?? 0) + 1);
  return { at: at.toISOString(), edges: EDGES, cells: [...cells.values()] as HistogramCell[], usersBySessions: [...bySessions] };
}

/**
 * Sessions as a site makes them: created up to `maxAge` ago, last active some time after, saved then
 * under a cookie age (so the stored expiry is the last activity plus it); users with one to six sessions.
 */
const sessionsArb = (maxAge: number) =>
  fc.array(
    fc.record({
      age: fc.integer({ min: 0, max: maxAge }),
      idleShare: fc.double({ min: 0, max: 1, noNaN: true }),
      cookieAge: fc.constantFrom(14 * DAY, 7 * DAY, 30 * DAY),
      user: fc.option(fc.integer({ min: 1, max: 400 }), { nil: null }),
      recorded: fc.boolean(),
    }),
    { minLength: 1, maxLength: 1500 },
  ).map((rows) =>
    rows.map(({ age, idleShare, cookieAge, user, recorded }): SessionTimes => {
      const created = SNAPSHOT.getTime() - age * 1000;
      const idle = Math.floor(age * idleShare);
      const active = SNAPSHOT.getTime() - idle * 1000;
      return { createdAt: new Date(created), lastActivity: recorded ? new Date(active) : null, expireDate: new Date(active + cookieAge * 1000), userId: user === null ? null : String(user) };
    }),
  );

/** `count` sessions spread as `sessionscope seed` spreads them: created over `maxAge`, 60 % signed in among count / 5 users. */
function spreadSessions(seed: number, count: number, maxAge: number): SessionTimes[] {
  const next = seededRandom(seed);
  return Array.from({ length: count }, (): SessionTimes => {
    const age = Math.floor(next() * maxAge);
    const idle = Math.floor(age * next());
    const active = SNAPSHOT.getTime() - idle * 1000;
    const cookieAge = [14 * DAY, 7 * DAY, 30 * DAY][Math.floor(next() * 3)]!;
    const user = next() < 0.6 ? String(1 + Math.floor(next() * (count / 5))) : null;
    return { createdAt: new Date(SNAPSHOT.getTime() - age * 1000), lastActivity: next() < 0.5 ? new Date(active) : null, expireDate: new Date(active + cookieAge * 1000), userId: user };
  });
}

const limitArb = fc.option(fc.integer({ min: MINUTE, max: 60 * DAY }), { nil: null });
const policyArb = fc.record({ idleTimeout: limitArb, absoluteLifetime: limitArb, cookieAge: fc.integer({ min: HOUR, max: 60 * DAY }) }).map((p) => ({ ...POLICY, ...p }));
const edgeLimitArb = fc.option(fc.constantFrom(...EDGES.filter((edge) => edge >= MINUTE && edge <= 90 * DAY)), { nil: null });
const edgePolicyArb = fc.record({ idleTimeout: edgeLimitArb, absoluteLifetime: edgeLimitArb, cookieAge: fc.constantFrom(DAY, 7 * DAY, 14 * DAY, 30 * DAY) }).map((p) => ({ ...POLICY, ...p }));

const sessionCounts = (t: ImpactTally) => [t.total, t.current.now, t.current.hour, t.current.day, t.current.week, t.candidate.now, t.candidate.hour, t.candidate.day, t.candidate.week, t.endedByChange, t.shortenedAtNextSave];

describe("the estimated impact preview", () => {
  it("counts the sessions exactly when every limit and cookie age falls on a bucket edge and the snapshot is fresh", () => {
    fc.assert(
      fc.property(sessionsArb(120 * DAY), edgePolicyArb, edgePolicyArb, (sessions, current, candidate) => {
        const exact = tallyImpact(sessions, current, candidate, SNAPSHOT);
        const estimate = estimateImpact(histogramOf(sessions, SNAPSHOT), current, candidate, SNAPSHOT);
        // At once, every threshold is an edge; within the hour, day and week the limits less the horizon may cut a bucket.
        expect([estimate.total, estimate.current.now, estimate.candidate.now, estimate.endedByChange, estimate.shortenedAtNextSave])
          .toEqual([exact.total, exact.current.now, exact.candidate.now, exact.endedByChange, exact.shortenedAtNextSave]);
      }),
      { numRuns: 150 },
    );
  });

  it("on sessions spread as a site's are, stays within 2 % of the live sessions of the exact count for any policy and a snapshot up to ten minutes old", () => {
    fc.assert(
      fc.property(fc.integer(), policyArb, policyArb, fc.integer({ min: 0, max: 600 }), (seed, current, candidate, age) => {
        const sessions = spreadSessions(seed, 2_000, 30 * DAY);
        const now = new Date(SNAPSHOT.getTime() + age * 1000);
        const exact = tallyImpact(sessions, current, candidate, now);
        const estimate = estimateImpact(histogramOf(sessions, SNAPSHOT), current, candidate, now);
        const bound = 0.02 * exact.total;
        sessionCounts(estimate).forEach((count, i) => expect(Math.abs(count - sessionCounts(exact)[i]!)).toBeLessThanOrEqual(bound));
        // Monotone like the exact counts: what ends at once has ended within the hour, and so on.
        for (const t of [estimate.current, estimate.candidate]) expect(t.now <= t.hour && t.hour <= t.day && t.day <= t.week && t.week <= estimate.total).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it("estimates the users signed out from the signed-in sessions that end: none, all, and never more than either", () => {
    // 40 users: 30 with one session, 10 with seven.
    const users = [[1, 30], [7, 10]] as const;
    expect(usersReached(0, 100, users)).toBe(0);
    expect(usersReached(100, 100, users)).toBe(40);
    expect(usersReached(3, 100, users)).toBeLessThanOrEqual(3);
    // Half the sessions: about half the single-session users, nearly every one with seven.
    expect(usersReached(50, 100, users)).toBe(Math.round(30 * 0.5 + 10 * (1 - 0.5 ** 7)));
    // One session each: every ended session is its own user.
    expect(usersReached(25, 100, [[1, 100]])).toBe(25);
    fc.assert(
      fc.property(sessionsArb(60 * DAY), policyArb, (sessions, candidate) => {
        const exact = tallyImpact(sessions, POLICY, candidate, SNAPSHOT);
        const estimate = estimateImpact(histogramOf(sessions, SNAPSHOT), POLICY, candidate, SNAPSHOT);
        const signedInUsers = histogramOf(sessions, SNAPSHOT).usersBySessions.reduce((sum, [, users]) => sum + users, 0);
        expect(estimate.usersSignedOut).toBeLessThanOrEqual(signedInUsers);
        // Within a tenth of the signed-in users of the exact count (a policy does not pick users' sessions at random).
        expect(Math.abs(estimate.usersSignedOut - exact.usersSignedOut)).toBeLessThanOrEqual(signedInUsers / 10 + 2);
      }),
      { numRuns: 100 },
    );
  });

  it("leaves out the sessions that expired since the snapshot", () => {
    const sessions: SessionTimes[] = [5, 20, 3 * HOUR].map((left) => ({ createdAt: new Date(SNAPSHOT.getTime() - DAY * 1000), lastActivity: null, expireDate: new Date(SNAPSHOT.getTime() + left * 60_000), userId: "1" }));
    const histogram = histogramOf(sessions, SNAPSHOT);
    expect(estimateImpact(histogram, POLICY, POLICY, SNAPSHOT).total).toBe(3);
    // Ten minutes on, the one with five minutes left is gone; the others stay.
    expect(estimateImpact(histogram, POLICY, POLICY, new Date(SNAPSHOT.getTime() + 10 * 60_000)).total).toBe(2);
  });

  it("refuses a stored histogram bucketed by other edges (it is recomputed instead)", () => {
    const histogram = histogramOf([], SNAPSHOT);
    expect(usableHistogram(histogram)).toBe(true);
    expect(usableHistogram({ ...histogram, edges: EDGES.slice(1) })).toBe(false);
    expect(usableHistogram({ at: SNAPSHOT.toISOString(), edges: EDGES, cells: [] })).toBe(false);
  });
});
