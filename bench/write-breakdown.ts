/**
 * Where a SQLite session write's time goes, step by step, beside
 * better-sqlite3-session-store's write: what stands between SessionScope's
 * create and load-modify-save and the express store's (issue 13, item 2).
 *
 * One file at SessionScope's defaults (WAL, synchronous=NORMAL, the log
 * checkpointed on a thread as the app's server does), the same 1 KB payload
 * as the core comparison. Each step runs alone, as many times as fit in its
 * time, in rounds that alternate the steps; best round per step. Steps:
 * the express store's INSERT OR REPLACE of JSON, the parts of a create
 * (key, encode, each INSERT alone, both in one transaction, the whole
 * Session), the parts of a load-modify-save, and the create again with the
 * meta table's listing indexes dropped (what the dashboard's listings cost a
 * write). Writes its section of docs/benchmarks.md ("write-breakdown").
 *
 *   npx tsx bench/write-breakdown.ts [--seconds 1] [--rounds 3]
 */
import { randomBytes } from "node:crypto";
import { cpus } from "node:os";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "../lib/node/db/connection.ts";
import { migrateDatabase } from "../lib/node/db/setup.ts";
import { createSessionCodec, createSqliteStore, Session } from "../lib/session/index.ts";
import { numberArg, parseArgs, readPayload } from "./common.ts";
import { writeDocSection } from "./report/doc-section.ts";
import { utcStamp } from "./report/format.ts";

const args = parseArgs();
const seconds = numberArg(args, "seconds", 1);
const rounds = Math.max(1, Math.floor(numberArg(args, "rounds", 3)));
const SECRET_KEY = "django-insecure-bench-key-0123456789abcdefghijklmnopqrstuvwxyz";
const payload = new Map(Object.entries(readPayload()));
const codec = createSessionCodec({ secretKey: SECRET_KEY });
const encoded = codec.encode(payload, new Date());
const json = JSON.stringify({ ...Object.fromEntries(payload), cookie: { originalMaxAge: 1209600000, expires: new Date().toISOString(), httpOnly: true, path: "/" } });

const dir = mkdtempSync(join(tmpdir(), "sessionscope-write-breakdown-"));
const db = openDatabase(`file:${join(dir, "write.db")}`, { backgroundCheckpoints: true });
await migrateDatabase(db);
if (db.provider !== "sqlite") throw new Error("expected SQLite");
const sqlite = db.sqlite;
const store = createSqliteStore(sqlite);
// better-sqlite3-session-store's table and statement, as it creates them.
sqlite.exec("CREATE TABLE sessions (sid PRIMARY KEY, expire TEXT NOT NULL, sess TEXT NOT NULL)");
const expressSet = sqlite.prepare("INSERT OR REPLACE INTO sessions VALUES (?, ?, ?)");
const sessionInsert = sqlite.prepare("INSERT INTO django_session (session_key, session_data, expire_date) VALUES (?, ?, ?)");
const metaInsert = sqlite.prepare("INSERT INTO sessionscope_session_meta (session_key, public_id, user_id, created_at, engine, expire_date) VALUES (?, ?, ?, ?, 'db', ?)");

let serial = 0;
const newKey = () => `${(serial++).toString(36)}${randomBytes(12).toString("hex")}`.slice(0, 32);
const expire = () => new Date(Date.now() + 14 * 86_400_000);
const sqliteDate = (date: Date) => date.toISOString().replace("T", " ").replace("Z", "");
const record = () => ({ data: payload, encoded, expireDate: expire(), ttlSeconds: 14 * 86_400, userId: "1", createdAt: new Date() });

/** Sessions for the load-modify-save steps, made once. */
const keys: string[] = [];
for (let i = 0; i < 2000; i++) {
  const s = new Session({ store, codec });
  await s.load();
  s.update(payload);
  await s.save();
  keys.push(s.key!);
}

type Step = readonly [name: string, run: (i: number) => unknown];
const steps: Step[] = [
  ["express-session: better-sqlite3-session-store's INSERT OR REPLACE of JSON (its whole write)", () => expressSet.run(newKey(), sqliteDate(expire()), json)],
  ["create: a new key (20 random bytes, base36)", () => newKey()],
  ["create: encode (Django's signed value)", () => codec.encode(payload, new Date())],
  ["create: django_session INSERT alone, its own commit", () => sessionInsert.run(newKey(), encoded, sqliteDate(expire()))],
  ["create: meta row INSERT alone, its own commit", () => metaInsert.run(newKey(), randomBytes(12).toString("base64url"), 1, new Date().toISOString(), sqliteDate(expire()))],
  ["create: the store's insert (both rows, one transaction; value already encoded)", () => store.save(newKey(), record(), null)],
  [
    "create: the whole Session (new, update, save)",
    async () => {
      const s = new Session({ store, codec });
      await s.load();
      s.update(payload);
      await s.save();
    },
  ],
  ["load-modify-save: load alone", (i) => new Session({ key: keys[i % keys.length]!, store, codec }).load()],
  [
    "load-modify-save: the whole Session (load, set, compare-and-swap save)",
    async (i) => {
      const s = new Session({ key: keys[i % keys.length]!, store, codec });
      await s.load();
      s.set("counter", i);
      await s.save();
    },
  ],
];

async function timeStep(run: Step[1]): Promise<number> {
  const until = performance.now() + seconds * 1000;
  let n = 0;
  const started = performance.now();
  while (performance.now() < until) await run(n++);
  return ((performance.now() - started) * 1000) / n;
}

const best = new Map<string, number>();
const keep = (name: string, us: number) => best.set(name, Math.min(best.get(name) ?? Infinity, us));
for (let round = 0; round < rounds; round++) {
  for (const [name, run] of steps) keep(name, await timeStep(run));
}

// The same create without the dashboard's listing indexes (kept: the primary key and the unique public id).
const listing = sqlite.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'sessionscope_session_meta' AND sql IS NOT NULL AND name NOT LIKE '%public_id_key'").all() as Array<{ name: string; sql: string }>;
for (const { name } of listing) sqlite.exec(`DROP INDEX "${name}"`);
const bare = "create: the store's insert, without the meta table's listing indexes";
for (let round = 0; round < rounds; round++) keep(bare, await timeStep(() => store.save(newKey(), record(), null)));
await db.close();
rmSync(dir, { recursive: true, force: true });

const us = (name: string) => best.get(name)!;
const expressUs = us(steps[0]![0]);
const rows = [...best].map(([name, value]) => `| ${name} | ${value.toFixed(1)} | ${(value / expressUs).toFixed(2)}× |`);
for (const line of rows) console.log(line);

writeDocSection("write-breakdown", [
  "## Where a SQLite write's time goes",
  "",
  `Generated by \`npx tsx bench/write-breakdown.ts --seconds ${seconds} --rounds ${rounds}\` on ${utcStamp(new Date())} (${cpus()[0]?.model.trim() ?? "CPU"}, ${cpus().length} cores). ` +
    "One file at SessionScope's defaults (WAL, synchronous=NORMAL, the log checkpointed on a thread as the app's server does), the core comparison's 1 KB payload; each step alone, in alternating rounds, best round. The last column is the step's time over the express store's whole write.",
  "",
  "| step | µs | / express write |",
  "|---|---:|---:|",
  ...rows,
  "",
  `**What stands in the way of a create level with the express store.** Its two INSERTs alone cost more than the express store's whole write: the \`django_session\` row (Django's table, its primary key and \`expire_date\` index) and the meta row, whose ${listing.length} listing indexes serve the dashboard's lists, filters and counts at a million sessions (issue 11). Each index is one more page in the write-ahead log per commit. Without them the same insert takes the time in the last row: the rest is the two rows themselves. Meeting the target would take dropping what those indexes buy (the dashboard's listings within 2× at a million sessions) or writing the meta row after the response (which would let a kill by user miss a session in its first moments), neither of which SessionScope does.`,
]);
