// The overview above its snapshot size: the breakdowns of the live sessions come from a stored
// snapshot, shown with its age, refreshed in the background once it is a minute old (by one
// instance: the claim in its row), recomputed before it is shown after ten quiet minutes; the
// headline numbers stay live; below the size, everything is read live.
import { afterEach, beforeEach, expect, it } from "vitest";
import { seedBatches } from "../../cli/seed-batches.ts";
import { createBatchWriter } from "../../cli/seed-writer.ts";
import { parseEnv } from "../../lib/node/env.ts";
import { createSessionRuntime } from "../../lib/node/session/runtime.ts";
import type { AdminContext } from "../../lib/server/admin/context.ts";
import { getAdminStats } from "../../lib/server/admin/stats.ts";
import { snapshotRefreshes } from "../../lib/server/admin/stats-snapshot.ts";
import { CALLER } from "../../bench/admin-scale-queries.ts";
import { DATABASES } from "../helpers/backends.ts";
import type { TestDatabase } from "../helpers/databases.ts";
import { describeWithServices } from "../helpers/register.ts";
import { breakdownsOf as breakdowns, seedPlanAt } from "../helpers/overview.ts";

const SECRET = "stats-snapshot-test-secret-key-0123456789-abcdefghijklm";
const START = new Date("2026-11-30T12:00:00.000Z");
const ABOVE = 100;

const plan = seedPlanAt(SECRET, START, 12);

for (const backend of DATABASES) {
  describeWithServices(`the overview's snapshot on ${backend.name}`, backend.needs, () => {
    let t: TestDatabase;
    let now: Date;
    let context: AdminContext;
    const seed = async (count: number) => {
      const writer = createBatchWriter(t.db, "db");
      for await (const batch of seedBatches(plan, count, 0, 200)) await writer.write(batch);
    };
    const at = (seconds: number) => {
      now = new Date(START.getTime() + seconds * 1000);
    };
    const stats = (above = ABOVE) => getAdminStats(CALLER, context, above);
    const row = async () => t.db.prisma.statsSnapshot.findUniqueOrThrow({ where: { id: 1 } });

    beforeEach(async () => {
      t = await backend.open();
      now = START;
      const env = parseEnv({ DATABASE_URL: t.url, SESSION_SECRET_KEY: SECRET, SESSION_ENGINE: "db" });
      context = { prisma: t.db.prisma, provider: t.db.provider, runtime: createSessionRuntime(env, t.db, null), now: () => now };
    });
    afterEach(async () => {
      await snapshotRefreshes();
      await t.dispose();
    });

    it("reads everything live up to the size, and says so", async () => {
      await seed(ABOVE);
      const answer = await stats();
      expect(answer.breakdownsAsOf).toBeNull();
      expect(answer.active?.now).toBe(90);
      expect((await row()).takenAt).toBeNull();
    });

    it("above it, serves the snapshot with its age while the headline numbers stay live, and refreshes it in the background after a minute", async () => {
      await seed(300);
      const first = await stats();
      // Computed for the first request, and the same numbers as a live read.
      expect(first.breakdownsAsOf).toBe(START.toISOString());
      expect(first.active?.now).toBe(270);
      expect(breakdowns(first)).toEqual(breakdowns(await stats(Infinity)));
      expect(first.byEngine).toEqual([{ engine: "db", count: 270 }]);

      await seed(100);
      at(30);
      const cached = await stats();
      expect(cached.active?.now).toBe(360);
      expect(cached.breakdownsAsOf).toBe(START.toISOString());
      expect(breakdowns(cached)).toEqual(breakdowns(first));
      expect((await row()).refreshStartedAt).toBeNull();

      at(61);
      const stale = await stats();
      // The old snapshot is served while this request's refresh runs.
      expect(stale.breakdownsAsOf).toBe(START.toISOString());
      await snapshotRefreshes();
      at(62);
      const fresh = await stats();
      expect(fresh.breakdownsAsOf).toBe(new Date(START.getTime() + 61_000).toISOString());
      expect(fresh.byEngine).toEqual([{ engine: "db", count: 360 }]);
      at(61);
      expect(breakdowns(fresh)).toEqual(breakdowns(await stats(Infinity)));
      expect((await row()).refreshStartedAt).toBeNull();
    });

    it("serves the snapshot another instance stored since this one last read it", async () => {
      await seed(300);
      expect((await stats()).byEngine).toEqual([{ engine: "db", count: 270 }]);
      // Another instance's refresh: a later time and other numbers in the row.
      const stored = JSON.parse((await row()).payload!) as { perEngine: Array<{ engine: string; total: number; signedIn: number }> };
      const written = new Date(START.getTime() + 20_000);
      const payload = JSON.stringify({ ...stored, perEngine: [{ ...stored.perEngine[0]!, total: 999 }] });
      await t.db.prisma.statsSnapshot.update({ where: { id: 1 }, data: { takenAt: written, payload } });
      at(30);
      const answer = await stats();
      expect(answer.breakdownsAsOf).toBe(written.toISOString());
      expect(answer.byEngine).toEqual([{ engine: "db", count: 999 }]);
    });

    it("leaves the refresh to the instance that claimed it, and takes over a claim ten minutes old", async () => {
      await seed(300);
      await stats();
      await seed(100);
      // Another instance claimed the refresh a moment ago: this one serves the old snapshot and starts none.
      await t.db.prisma.statsSnapshot.update({ where: { id: 1 }, data: { refreshStartedAt: new Date(START.getTime() + 90_000) } });
      at(120);
      expect((await stats()).breakdownsAsOf).toBe(START.toISOString());
      await snapshotRefreshes();
      expect((await row()).takenAt).toEqual(START);
      // That instance died: its claim is taken over after ten minutes.
      await t.db.prisma.statsSnapshot.update({ where: { id: 1 }, data: { refreshStartedAt: new Date(START.getTime() - 600_001) } });
      await stats();
      await snapshotRefreshes();
      expect((await row()).takenAt).toEqual(now);
      expect((await stats()).byEngine).toEqual([{ engine: "db", count: 360 }]);
    });

    it("recomputes a snapshot older than ten minutes before showing it", async () => {
      await seed(300);
      await stats();
      await seed(100);
      at(601);
      const answer = await stats();
      expect(answer.breakdownsAsOf).toBe(now.toISOString());
      expect(answer.byEngine).toEqual([{ engine: "db", count: 360 }]);
    });
  });
}
