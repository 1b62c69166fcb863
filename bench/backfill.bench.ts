/**
 * How fast does attach mode fill in metadata for a Django site's sessions?
 * Fills a SQLite file (Django's defaults: rollback journal, synchronous=FULL)
 * with N sessions as Django writes them (signed JSON, two thirds logged in),
 * then runs backfillSessionMeta (what `npm start` and `sessionscope django
 * backfill` run) and, as the floor, a plain insert of the same meta rows in
 * the same batches (no reading, no decoding). Writes its section of docs/benchmarks.md.
 *   node --import ./bench/ts-as-built.mjs bench/backfill.bench.ts [--rows 1000000] [--batch 5000]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { backfillSessionMeta, insertMeta, type MetaRow } from "../lib/node/admin/backfill.ts";
import { openDatabase, openSqlite } from "../lib/node/db/connection.ts";
import { migrateAttachedDatabase } from "../lib/node/db/setup.ts";
import { createSessionCodec, formatSqliteDate, generateSessionKey, parseSqliteDate } from "../lib/session/index.ts";
import { numberArg, parseArgs } from "./common.ts";
import { writeDocSection } from "./report/doc-section.ts";
import { utcStamp } from "./report/format.ts";

const args = parseArgs();
const rows = numberArg(args, "rows", 1_000_000);
const batch = numberArg(args, "batch", 5_000);
const KEY = "bench-django-site-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz";
const COOKIE_AGE = 1_209_600;

// Django's two tables as its migrations leave them on SQLite (the columns SessionScope reads; auth's other tables are not needed here).
const DJANGO_DDL = `
CREATE TABLE "django_session" ("session_key" varchar(40) NOT NULL PRIMARY KEY, "session_data" text NOT NULL, "expire_date" datetime NOT NULL);
CREATE INDEX "django_session_expire_date_a5c62663" ON "django_session" ("expire_date");
CREATE TABLE "auth_user" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "password" varchar(128) NOT NULL, "last_login" datetime NULL,
  "is_superuser" bool NOT NULL, "username" varchar(150) NOT NULL UNIQUE, "last_name" varchar(150) NOT NULL, "email" varchar(254) NOT NULL,
  "is_staff" bool NOT NULL, "is_active" bool NOT NULL, "date_joined" datetime NOT NULL, "first_name" varchar(150) NOT NULL);`;

const dir = mkdtempSync(join(tmpdir(), "sessionscope-backfill-"));
const path = join(dir, "db.sqlite3");
try {
  const sqlite = openSqlite(path, { durability: "full" });
  sqlite.exec(DJANGO_DDL);
  const codec = createSessionCodec({ secretKey: KEY });
  const insert = sqlite.prepare("INSERT INTO django_session (session_key, session_data, expire_date) VALUES (?, ?, ?)");
  const fill = sqlite.transaction((from: number, count: number) => {
    for (let i = from; i < from + count; i++) {
      const data = new Map<string, unknown>(i % 3 === 0 ? [["cart", [i % 97]]] : [["_auth_user_id", String(1 + (i % 5000))], ["_auth_user_backend", "django.contrib.auth.backends.ModelBackend"]]);
      insert.run(generateSessionKey(), codec.encode(data, new Date()), formatSqliteDate(new Date(Date.now() + (i % 86_400) * 1000)));
    }
  });
  let t = performance.now();
  for (let done = 0; done < rows; done += 50_000) fill(done, Math.min(50_000, rows - done));
  console.log(`filled ${rows.toLocaleString("en-US")} Django sessions in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  sqlite.close();

  const db = openDatabase(`file:${path}`, { durability: "site" });
  await migrateAttachedDatabase(db, { shop: false });
  t = performance.now();
  const result = await backfillSessionMeta(db, { codec, cookieAge: COOKIE_AGE, engine: "db", batchSize: batch });
  const backfillSeconds = (performance.now() - t) / 1000;
  if (result.written !== rows || result.undecodable !== 0) throw new Error(`backfill wrote ${result.written} (${result.undecodable} undecodable), expected ${rows}`);

  t = performance.now();
  const again = await backfillSessionMeta(db, { codec, cookieAge: COOKIE_AGE, engine: "db", batchSize: batch });
  const incrementalSeconds = (performance.now() - t) / 1000;
  if (again.written !== 0) throw new Error(`second pass wrote ${again.written}`);

  // The floor: the same rows, already made, inserted in the same batches into an emptied table.
  const made = (db.provider === "sqlite" ? db.sqlite.prepare("SELECT session_key, public_id, user_id, created_at, expire_date FROM sessionscope_session_meta").all() : []) as Array<{
    session_key: string; public_id: string; user_id: number | null; created_at: string; expire_date: string;
  }>;
  const metaRows: MetaRow[] = made.map((r) => ({
    sessionKey: r.session_key, publicId: r.public_id, userId: r.user_id, createdAt: parseSqliteDate(r.created_at), expireDate: r.expire_date, undecodable: false,
  }));
  if (db.provider === "sqlite") db.sqlite.exec("DELETE FROM sessionscope_session_meta");
  t = performance.now();
  for (let i = 0; i < metaRows.length; i += batch) await insertMeta(db, metaRows.slice(i, i + batch), "db");
  const floorSeconds = (performance.now() - t) / 1000;
  await db.close();

  const load = loadavg().map((n) => n.toFixed(1)).join(", ");
  const rate = (seconds: number) => Math.round(rows / seconds).toLocaleString("en-US");
  console.log(`backfill: ${rows.toLocaleString("en-US")} rows in ${backfillSeconds.toFixed(1)} s (${rate(backfillSeconds)} rows/s)`);
  console.log(`floor (plain insert of the same rows): ${floorSeconds.toFixed(1)} s (${rate(floorSeconds)} rows/s)`);
  console.log(`incremental pass with nothing to do: ${(incrementalSeconds * 1000).toFixed(0)} ms`);

  writeDocSection("backfill", [
    "## Attach mode: metadata backfill",
    "",
    `Generated by \`node --import ./bench/ts-as-built.mjs bench/backfill.bench.ts\` on ${utcStamp(new Date())} (${cpus()[0]?.model.trim() ?? "CPU"}, ${cpus().length} cores).`,
    "",
    `A Django SQLite database (Django's defaults: rollback journal, synchronous=FULL) holds ${rows.toLocaleString("en-US")} sessions as Django writes them (signed JSON; two thirds logged in). \`backfillSessionMeta\` (what \`npm start\` in attach mode and \`sessionscope django backfill\` run) walks django_session in key order, ${batch.toLocaleString("en-US")} sessions per transaction, decodes each and writes its meta row. The floor inserts the same, already made meta rows in the same batches: no reading, no decoding.`,
    "",
    "| | seconds | rows/s |",
    "|---|---:|---:|",
    `| backfill (anti-join, decode, insert) | ${backfillSeconds.toFixed(1)} | ${rate(backfillSeconds)} |`,
    `| floor: plain insert of the same rows | ${floorSeconds.toFixed(1)} | ${rate(floorSeconds)} |`,
    "",
    `Load average at the end of the run (1, 5, 15 min): ${load}, on ${cpus().length} cores; a shared machine makes every figure here slower, the backfill and its floor alike.`,
    "",
    `A later pass with nothing to fill in (the minute timer on a quiet site) took ${(incrementalSeconds * 1000).toFixed(0)} ms over the ${rows.toLocaleString("en-US")} sessions: an anti-join of the two primary keys.`,
  ]);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
