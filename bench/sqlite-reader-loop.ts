/**
 * The event loop during the dashboard's heavy reads on a seeded SQLite file:
 * the policy preview and the overview's snapshot refresh, each run on the
 * request thread (Prisma over better-sqlite3, as before the SQLite reader)
 * and through the reader's worker thread, alternately. Prints each run's
 * duration and the loop's longest stall (docs/benchmarks.md, "The event loop
 * during heavy reads on SQLite").
 *
 *   DATABASE_URL=file:/path/seeded.db SESSION_SECRET_KEY=<the seed's key> \
 *     node --import ./bench/ts-as-built.mjs --import ./bench/server-only.mjs bench/sqlite-reader-loop.ts [--runs 2]
 *
 * Seed the file first: `npx sessionscope seed --sessions 1000000` (with the same variables).
 */
import { openDatabase } from "../lib/node/db/connection.ts";
import { createSqliteReader } from "../lib/node/db/sqlite-reader.ts";
import { getEnv } from "../lib/node/env.ts";
import { formatSqliteDate } from "../lib/session/index.ts";
import { createSessionRuntime } from "../lib/node/session/runtime.ts";
import type { AdminContext } from "../lib/server/admin/context.ts";
import { previewPolicy, toSettings } from "../lib/server/admin/policy.ts";
import { getAdminStats } from "../lib/server/admin/stats.ts";
import { snapshotRefreshes } from "../lib/server/admin/stats-snapshot.ts";
import { CALLER } from "./admin-scale-queries.ts";
import { measureLoopDelay } from "./loop-delay.ts";

const runsAt = process.argv.indexOf("--runs");
const runs = runsAt > 0 ? Number(process.argv[runsAt + 1]) : 2;
const env = getEnv();
const db = openDatabase(env.DATABASE_URL);
if (db.provider !== "sqlite") throw new Error("bench/sqlite-reader-loop.ts measures a SQLite file: DATABASE_URL=file:...");
const reader = createSqliteReader(db.path);
await reader.read("SELECT 1");
const runtime = createSessionRuntime(env, db, null);
let now = new Date();
const base = { prisma: db.prisma, provider: db.provider, runtime, now: () => now };
const ways: Array<[string, AdminContext]> = [
  ["request thread", { ...base, reader: null }],
  ["SQLite reader", { ...base, reader }],
];
const { n: live } = db.sqlite.prepare("SELECT count(*) AS n FROM django_session WHERE expire_date > ?").get(formatSqliteDate(now)) as { n: number };
console.log(`${db.path}: ${live.toLocaleString("en-US")} live sessions; ${runs} runs of each, alternating\n`);
console.log("| read | run on | duration (ms) | loop's longest stall (ms) |\n|---|---|---:|---:|");

const candidate = { ...toSettings(await runtime.policy.get()), absoluteLifetime: 3 * 86_400, idleTimeout: 86_400 };
// A first snapshot, so that each later call refreshes one in the background.
await getAdminStats(CALLER, ways[1]![1], 0);
for (let run = 0; run < runs; run++) {
  for (const [way, context] of ways) {
    const preview = await measureLoopDelay(() => previewPolicy(CALLER, candidate, context));
    console.log(`| policy preview | ${way} | ${preview.ms.toFixed(0)} | ${preview.maxDelayMs.toFixed(0)} |`);
  }
  for (const [way, context] of ways) {
    now = new Date(now.getTime() + 61_000);
    const refresh = await measureLoopDelay(async () => {
      await getAdminStats(CALLER, context, 0);
      await snapshotRefreshes();
    });
    console.log(`| snapshot refresh | ${way} | ${refresh.ms.toFixed(0)} | ${refresh.maxDelayMs.toFixed(0)} |`);
  }
}
await reader.close();
await db.close();
