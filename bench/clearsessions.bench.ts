/**
 * How fast does clearsessions go, and does it stall logins? Fills a SQLite file
 * (SessionScope's defaults: WAL, synchronous=NORMAL) with N expired sessions
 * and as many live ones, then deletes the expired ones three ways, each on its
 * own copy of the file while a second connection, in a worker thread, creates
 * a session every millisecond as logins do: one unbounded DELETE of both
 * tables in one transaction (Django's clearsessions, the speed to match),
 * fixed batches of 500 rows (SessionScope before) and batches bounded by time
 * (store.clearExpired's default, what `sessionscope clearsessions` runs).
 * Reports each one's rows per second and the logins' wait, and writes its
 * section of docs/benchmarks.md.
 *   node --import ./bench/ts-as-built.mjs bench/clearsessions.bench.ts [--rows 50000] [--layout seed|bare]
 * --layout seed (default) fills through `sessionscope seed`: a meta row per
 * session, realistic data, the expired ones spread through the table, as a new
 * user trying the command has them. --layout bare is the earlier fill: session
 * rows only, a 12-byte value, the expired ones first.
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { openDatabase, openSqlite } from "../lib/node/db/connection.ts";
import { COMMIT_CHECKPOINT_PAGES, startSqliteCheckpointer } from "../lib/node/db/sqlite-checkpointer.ts";
import { migrateDatabase } from "../lib/node/db/setup.ts";
import { createSqliteStore, formatSqliteDate, generateSessionKey } from "../lib/session/index.ts";
import { runSeed } from "../cli/seed.ts";
import { emitVerdict, numberArg, parseArgs } from "./common.ts";
import { writeDocSection } from "./report/doc-section.ts";
import { utcStamp } from "./report/format.ts";
import { verdictLine } from "./report/targets.ts";

const require = createRequire(import.meta.url);

const args = parseArgs();

interface WriterReport {
  readonly latenciesMs: number[];
  readonly errors: number;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function summarize(values: number[]) {
  return { n: values.length, p50: percentile(values, 50), p99: percentile(values, 99), max: Math.max(0, ...values) };
}

// The writer runs in a worker thread with its own connection, doing what a
// login does to the database: insert a session row and its meta row in one
// transaction. Plain JavaScript, so the worker needs no TypeScript loader.
const WRITER = `
const { parentPort, workerData } = require("node:worker_threads");
const { existsSync } = require("node:fs");
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma("busy_timeout = 5000");
db.pragma("synchronous = NORMAL");
// As the app's server: its commits leave checkpoints to its checkpoint thread (started beside this worker).
db.pragma("wal_autocheckpoint = " + workerData.autocheckpoint);
const session = db.prepare("INSERT INTO django_session (session_key, session_data, expire_date) VALUES (?, ?, ?)");
const meta = db.prepare("INSERT INTO sessionscope_session_meta (session_key, public_id, user_id, created_at, engine) VALUES (?, ?, 1, ?, 'db')");
const create = db.transaction((key, expire, created) => { session.run(key, "e30:1r31eq:x", expire); meta.run(key, key.slice(0, 22), created); });
const latenciesMs = [];
let errors = 0;
(async () => {
  while (!existsSync(workerData.stopFile)) {
    const key = require("node:crypto").randomBytes(16).toString("hex");
    const started = performance.now();
    try { create(key, "2999-01-01 00:00:00", new Date().toISOString()); } catch { errors++; }
    latenciesMs.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  parentPort.postMessage({ latenciesMs, errors });
})();
`;

  const rows = numberArg(args, "rows", 50_000);
  const layout = args.get("layout") ?? "seed";
  if (layout !== "seed" && layout !== "bare") throw new Error("--layout is seed or bare");
  const dir = mkdtempSync(join(tmpdir(), "sessionscope-clear-"));
  const base = join(dir, "base.db");
  try {
    const db = openDatabase(`file:${base}`);
    await migrateDatabase(db);
    await db.close();
    const t = performance.now();
    if (layout === "seed") {
      const io = { stdout: () => {}, stderr: (line: string) => console.error(line), now: () => new Date() };
      const code = await runSeed(["--sessions", String(rows * 2), "--users", "500", "--expired", "50"], { DATABASE_URL: `file:${base}`, SESSION_SECRET_KEY: "clearsessions-bench-key" }, io);
      if (code !== 0) throw new Error("seed failed");
    } else {
      const sqlite = openSqlite(base);
      const insert = sqlite.prepare("INSERT INTO django_session (session_key, session_data, expire_date) VALUES (?, ?, ?)");
      const fill = sqlite.transaction((count: number, expire: string) => {
        for (let i = 0; i < count; i++) insert.run(generateSessionKey(), "e30:1r31eq:x", expire);
      });
      for (let done = 0; done < rows; done += 50_000) fill(Math.min(50_000, rows - done), formatSqliteDate(new Date(Date.now() - 86_400_000)));
      fill(rows, formatSqliteDate(new Date(Date.now() + 86_400_000)));
      sqlite.close();
    }
    const sqlite = openSqlite(base);
    sqlite.pragma("wal_checkpoint(TRUNCATE)");
    const expiredNow = () => (sqlite.prepare("SELECT count(*) AS n FROM django_session WHERE expire_date < ?").get(formatSqliteDate(new Date())) as { n: number }).n;
    const expired = expiredNow();
    const metaRows = (sqlite.prepare("SELECT count(*) AS n FROM sessionscope_session_meta").get() as { n: number }).n;
    const megabytes = Math.round(((sqlite.prepare("PRAGMA page_count").get() as { page_count: number }).page_count * 4096) / 1e6);
    sqlite.close();
    console.log(`filled ${expired.toLocaleString("en-US")} expired + ${(rows * 2 - expired).toLocaleString("en-US")} live sessions (${metaRows.toLocaleString("en-US")} meta rows, ${megabytes} MB) in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    /**
     * Runs `clear` on a fresh copy of the filled file while the login writer runs beside it, set up as
     * the app's server is (its commits leave checkpoints to its own checkpoint thread). With
     * `checkpoints`, the clean-up's connection runs its own thread too, as `sessionscope clearsessions` does.
     */
    const measure = async (clear: (sqlite: ReturnType<typeof openSqlite>, cutoff: Date, onProgress: () => void) => Promise<number>, { checkpoints = false } = {}) => {
      const path = join(dir, `run-${Math.random().toString(36).slice(2)}.db`);
      copyFileSync(base, path);
      const target = openSqlite(path);
      const app = openSqlite(path);
      const appCheckpoints = startSqliteCheckpointer(app, path);
      const ownCheckpoints = checkpoints ? startSqliteCheckpointer(target, path) : null;
      if (!appCheckpoints || (checkpoints && !ownCheckpoints)) throw new Error("expected a file in WAL mode");
      const stopFile = join(dir, `stop-${Math.random()}`);
      const worker = new Worker(WRITER, { eval: true, workerData: { path, stopFile, driver: require.resolve("better-sqlite3"), autocheckpoint: COMMIT_CHECKPOINT_PAGES } });
      const report = new Promise<WriterReport>((resolve, reject) => {
        worker.once("message", resolve);
        worker.once("error", reject);
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      const started = performance.now();
      let batches = 0;
      const deleted = await clear(target, new Date(), () => batches++);
      const seconds = (performance.now() - started) / 1000;
      writeFileSync(stopFile, "");
      const writer = await report;
      await ownCheckpoints?.close();
      await appCheckpoints.close();
      app.close();
      target.close();
      for (const suffix of ["", "-wal", "-shm"]) rmSync(path + suffix, { force: true });
      return { deleted, seconds, batches: Math.max(1, batches), writer, logins: summarize(writer.latenciesMs) };
    };

    // Django's way: one DELETE; SessionScope's meta rows go in the same transaction.
    const single = await measure(async (target, cutoff) => {
      const before = formatSqliteDate(cutoff);
      return target.transaction(() => {
        target.prepare("DELETE FROM sessionscope_session_meta WHERE session_key IN (SELECT session_key FROM django_session WHERE expire_date < ?)").run(before);
        return target.prepare("DELETE FROM django_session WHERE expire_date < ?").run(before).changes;
      })();
    });
    const fixed = await measure((target, cutoff, onProgress) => createSqliteStore(target).clearExpired(cutoff, { batchSize: 500, onProgress }));
    const timed = await measure((target, cutoff, onProgress) => createSqliteStore(target).clearExpired(cutoff, { onProgress }));
    // Tried and not adopted: the clean-up with a checkpoint thread of its own (see the explanation).
    const timedThread = await measure((target, cutoff, onProgress) => createSqliteStore(target).clearExpired(cutoff, { onProgress }), { checkpoints: true });
    for (const run of [single, fixed, timed, timedThread]) if (run.deleted !== expired) throw new Error(`deleted ${run.deleted}, expected ${expired}`);

    const fmt = (ms: number) => ms.toFixed(1);
    const rate = (run: typeof single) => Math.round(run.deleted / run.seconds);
    const line = (name: string, run: typeof single) =>
      `| ${name} | ${run.seconds.toFixed(2)} | ${rate(run).toLocaleString("en-US")} | ${Math.round(run.deleted / run.batches).toLocaleString("en-US")} | ${(single.seconds / run.seconds).toFixed(2)}× | ${fmt(run.logins.p50)} | ${fmt(run.logins.p99)} | ${fmt(run.logins.max)} | ${run.logins.n} | ${run.writer.errors} |`;
    const table = [
      "| how | seconds | rows/s | rows a transaction | speed / one DELETE | login p50 (ms) | login p99 (ms) | login max (ms) | logins | errors |",
      "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
      line("one DELETE of both tables (Django's way)", single),
      line("batches of 500 rows (before)", fixed),
      line("batches of about 20 ms (`sessionscope clearsessions`)", timed),
      line("the same with a checkpoint thread of the command's own (tried, not adopted)", timedThread),
    ];
    console.log(table.join("\n"));
    if (layout === "seed") {
      // Issue 13's targets, for `npm run bench`: at least half one DELETE's speed, and no login waiting over 50 ms.
      const speed = single.seconds / timed.seconds;
      emitVerdict(verdictLine("clearsessions/speed", `${speed.toFixed(2)}× one DELETE (${timed.seconds.toFixed(2)} s against ${single.seconds.toFixed(2)} s for ${expired.toLocaleString("en-US")} rows)`, speed >= 0.5));
      emitVerdict(verdictLine("clearsessions/login-wait", `${timed.logins.max.toFixed(1)} ms at most (p99 ${timed.logins.p99.toFixed(1)} ms)`, timed.logins.max <= 50));
    }

    const described =
      layout === "seed"
        ? `filled by \`sessionscope seed --sessions ${(rows * 2).toLocaleString("en-US")} --users 500 --expired 50\`: ${expired.toLocaleString("en-US")} expired sessions spread evenly through ${(rows * 2).toLocaleString("en-US")}, each with its dashboard meta row (${metaRows.toLocaleString("en-US")} in all), ${megabytes} MB`
        : `filled with bare rows: ${expired.toLocaleString("en-US")} expired sessions first, then ${rows.toLocaleString("en-US")} live ones, a 12-byte value and no meta rows, ${megabytes} MB`;
    writeDocSection(layout === "seed" ? "clearsessions" : "clearsessions-bare", [
      layout === "seed" ? "## clearsessions: speed, and what logins wait" : "## clearsessions on bare rows (the earlier fill)",
      "",
      `Generated by \`node --import ./bench/ts-as-built.mjs bench/clearsessions.bench.ts --rows ${rows} --layout ${layout}\` on ${utcStamp(new Date())} (${cpus()[0]?.model.trim() ?? "CPU"}, ${cpus().length} cores).`,
      "",
      `A SQLite file at SessionScope's defaults (WAL, synchronous=NORMAL), ${described}. Each way runs on its own copy of the file while a second connection in a worker thread creates a session (session row and meta row, one transaction) every millisecond, as logins would, set up as the app's server is: its commits leave the write-ahead log's checkpoints to a checkpoint thread (lib/node/db/sqlite-checkpointer.ts). A login's time is how long its insert took, waiting for the write lock included. The last row is an experiment: the command with a checkpoint thread of its own.`,
      "",
      ...table,
      ...(layout === "seed" ? explanation(timed.seconds ? single.seconds / timed.seconds : 0, timed.logins, fixed.logins, { seconds: timedThread.seconds, logins: timedThread.logins, without: timed.seconds }) : []),
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

/** The target, the result against it, and what stands in the way (the seed layout's section). */
function explanation(
  speed: number,
  timed: ReturnType<typeof summarize>,
  fixed: ReturnType<typeof summarize>,
  thread: { seconds: number; logins: ReturnType<typeof summarize>; without: number },
): string[] {
  const met = speed >= 0.5 && timed.max <= 50;
  return [
    "",
    `**Target** (issue 13): clearsessions at least half as fast as one DELETE of the same rows, while a login beside it never waits more than 50 ms. **${met ? "Met" : "Not met"}**: batches bounded by time run at ${speed.toFixed(2)}× one DELETE; logins waited ${timed.p99.toFixed(1)} ms at the 99th percentile and ${timed.max.toFixed(1)} ms at most (with fixed 500-row batches: ${fixed.p99.toFixed(1)} and ${fixed.max.toFixed(1)} ms; behind the one DELETE, seconds). Speed and the logins' wait pull against each other: a batch is one write transaction, and a login waits for the whole of it.`,
    "",
    `**A checkpoint thread of the command's own, tried.** The app's server checkpoints on a thread (its commits leave the copy to it), and the logins here run that way. The command's commits still checkpoint the log themselves past SQLite's 1,000 pages. Given a thread of its own as well, the same batches took ${thread.seconds.toFixed(2)} s instead of ${thread.without.toFixed(2)} s, but the logins beside it waited up to ${thread.logins.max.toFixed(1)} ms (p99 ${thread.logins.p99.toFixed(1)} ms) instead of ${timed.max.toFixed(1)} ms (p99 ${timed.p99.toFixed(1)} ms): two threads copying the log while two connections write put their I/O on the logins' commits. Logins come first, so the command keeps checkpointing in its own commits, between its batches.`,
    "",
    "**Why a batch costs so much more than its share of one DELETE.** Deleting a session here rewrites 13 b-trees: django_session's table, primary key and expire_date index, and the dashboard's meta row with its 9 indexes (primary key, public id, user, device, engine, address, activity, flagged, creation time). The batches take expired sessions in expire_date order, which keeps the expiry and creation-time indexes in order, but the session keys are random, so each batch touches pages of the key indexes (and the tables, whose rows `seed` wrote in another order) all over the file, and a page touched by a hundred batches is written a hundred times where one DELETE writes it once. Each commit appends those pages to the WAL, and something has to copy them back into the database file: a checkpoint (see above). Deleting in session-key order or in table (rowid) order was tried once on this file (fixed 500-row batches, no writer; not part of this bench): both were slower than expire_date order (about 25 s against 20 s for 50,000), since each keeps one or two b-trees in order and scatters the others.",
    "",
    "**Why a million took 14 s in the earlier run and 50,000 took 7 s for a new user.** The earlier run filled bare rows (“clearsessions on bare rows”, `--layout bare`): no meta row, a 12-byte value, the expired sessions stored first, one after another. A deleted row there rewrites 3 b-trees, not 13, the table and the expiry index in order, and the file holds four times fewer pages for the same rows, so consecutive batches share their pages and few commits reach the checkpoint. A new user fills the database with `sessionscope seed`, which writes what a site has: the meta row, about 1 KB of session data, and the expired sessions spread through the table; on that, the same batches cost about four times more per row (measured on one day: compare the two tables). (And this machine, shared by several, ran the bare layout itself several times slower on this day than on the earlier run's.)",
    "",
    "**What meeting the target would take**: fewer random-order b-trees per session (the meta table's indexes serve the dashboard's listings; a meta table keyed by session key WITHOUT ROWID would drop one tree), or longer batches, which a login would wait behind. Neither is the clean-up's to change: the indexes are what the dashboard's lists at a million sessions stand on, and the 20 ms batch is what keeps a login's wait near the 50 ms bound.",
  ];
}

