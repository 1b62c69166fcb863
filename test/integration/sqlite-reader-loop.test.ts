// The dashboard's heavy reads on SQLite leave the process free. On a file of
// 50,000 seeded sessions, the policy preview and the overview's snapshot
// refresh run twice: once as before, on the request thread (Prisma over
// better-sqlite3, synchronous), and once through the SQLite reader's worker
// thread. The event loop's longest stall is measured during each
// (perf_hooks.monitorEventLoopDelay): on the request thread it is the query's
// whole duration; through the reader it must be a small fraction of it, with
// the same answer. Relative, not absolute: the machine's speed cancels out.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedBatches } from "../../cli/seed-batches.ts";
import { createBatchWriter } from "../../cli/seed-writer.ts";
import { parseEnv } from "../../lib/node/env.ts";
import { createSqliteReader, type SqliteReader } from "../../lib/node/db/sqlite-reader.ts";
import { createSessionRuntime } from "../../lib/node/session/runtime.ts";
import type { AdminContext } from "../../lib/server/admin/context.ts";
import { previewPolicy, toSettings } from "../../lib/server/admin/policy.ts";
import { getAdminStats } from "../../lib/server/admin/stats.ts";
import { snapshotRefreshes } from "../../lib/server/admin/stats-snapshot.ts";
import { CALLER } from "../../bench/admin-scale-queries.ts";
import { measureLoopDelay as measured } from "../../bench/loop-delay.ts";
import { createSqliteDatabase, type TestDatabase } from "../helpers/databases.ts";
import { breakdownsOf as breakdowns, seedPlanAt } from "../helpers/overview.ts";

const SECRET = "sqlite-reader-loop-test-secret-key-0123456789-abcdefghijk";
const START = new Date("2026-12-01T12:00:00.000Z");
const SESSIONS = 50_000;
/** Three snapshot refreshes over 50,000 sessions: seconds each alone, tens of seconds beside a full test run on two cores. */
const READS_TIMEOUT_MS = 300_000;
/** How long the event loop may stall for reasons of its own (GC, a busy machine): below this a stall proves nothing. */
const LOOP_JITTER_MS = 50;

const plan = seedPlanAt(SECRET, START, 200);

describe(`heavy dashboard reads on SQLite, ${SESSIONS.toLocaleString("en-US")} sessions`, () => {
  let t: TestDatabase;
  let reader: SqliteReader;
  let now = START;
  let onRequestThread: AdminContext;
  let onReader: AdminContext;

  beforeAll(async () => {
    t = await createSqliteDatabase();
    if (t.db.provider !== "sqlite") throw new Error("a SQLite database was expected");
    const writer = createBatchWriter(t.db, "db");
    for await (const batch of seedBatches(plan, SESSIONS)) await writer.write(batch);
    // As `sessionscope seed` does after a bulk load: the planner's statistics.
    t.db.sqlite.exec("PRAGMA analysis_limit = 1000; ANALYZE;");
    reader = createSqliteReader(t.db.path);
    const env = parseEnv({ DATABASE_URL: t.url, SESSION_SECRET_KEY: SECRET, SESSION_ENGINE: "db" });
    const base = { prisma: t.db.prisma, provider: t.db.provider, runtime: createSessionRuntime(env, t.db, null), now: () => now };
    onRequestThread = { ...base, reader: null };
    onReader = { ...base, reader };
    await reader.read("SELECT 1"); // the thread is up before anything is timed
  }, 600_000);

  afterAll(async () => {
    await snapshotRefreshes();
    await reader?.close();
    await t?.dispose();
  });

  it("previews a policy through the reader with the same answer, and the loop never stalls for more than a fraction of the query", async () => {
    const candidate = { ...toSettings(await onRequestThread.runtime.policy.get()), absoluteLifetime: 3 * 86_400, idleTimeout: 86_400 };
    const before = await measured(() => previewPolicy(CALLER, candidate, onRequestThread));
    const after = await measured(() => previewPolicy(CALLER, candidate, onReader));
    console.info(`preview: on the request thread ${before.ms.toFixed(0)} ms, loop stalled ${before.maxDelayMs.toFixed(0)} ms; ` +
      `through the reader ${after.ms.toFixed(0)} ms, loop stalled at most ${after.maxDelayMs.toFixed(0)} ms`);
    expect(after.result).toEqual(before.result);
    expect(after.result).toMatchObject({ available: true, total: SESSIONS * 0.9 });
    // On the request thread the loop stalls for the whole query (the measurement sees it)...
    expect(before.maxDelayMs).toBeGreaterThan(before.ms * 0.8);
    // ...through the reader it keeps turning (the preview is tens of milliseconds at this size:
    // below the loop's own jitter on a loaded machine, so that jitter is the bound there).
    expect(after.maxDelayMs).toBeLessThan(Math.max(before.ms / 5, LOOP_JITTER_MS));
  }, READS_TIMEOUT_MS);

  it("refreshes the overview's snapshot through the reader with the same breakdowns, the loop free meanwhile", async () => {
    // The first snapshot, computed for the first request above the size (0: always above).
    await getAdminStats(CALLER, onReader, 0);
    const refresh = (context: AdminContext, seconds: number) => async () => {
      now = new Date(START.getTime() + seconds * 1000);
      // Served from the old snapshot; the refresh it started runs in the background.
      const served = await getAdminStats(CALLER, context, 0);
      await snapshotRefreshes();
      now = new Date(now.getTime() + 1000);
      const fresh = await getAdminStats(CALLER, context, 0);
      expect(fresh.breakdownsAsOf).not.toBe(served.breakdownsAsOf);
      return fresh;
    };
    const before = await measured(refresh(onRequestThread, 61));
    const after = await measured(refresh(onReader, 122));
    console.info(`snapshot refresh: on the request thread ${before.ms.toFixed(0)} ms, loop stalled ${before.maxDelayMs.toFixed(0)} ms; ` +
      `through the reader ${after.ms.toFixed(0)} ms, loop stalled at most ${after.maxDelayMs.toFixed(0)} ms`);
    expect(breakdowns(after.result)).toEqual(breakdowns(before.result));
    expect(after.result.byEngine).toEqual([{ engine: "db", count: SESSIONS * 0.9 }]);
    expect(before.maxDelayMs).toBeGreaterThan(before.ms * 0.5);
    expect(after.maxDelayMs).toBeLessThan(before.ms / 5);
  }, READS_TIMEOUT_MS);
});
