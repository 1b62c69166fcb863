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
 * write). With --pg, the same for a PostgreSQL create and load-modify-save beside
 * connect-pg-simple's (wall time, one connection, a fresh database on that
 * server). And the create again at Django's durability (rollback journal,
 * synchronous=FULL). Writes its section of docs/benchmarks.md
 * ("write-breakdown").
 *
 *   node --import ./bench/ts-as-built.mjs bench/write-breakdown.ts [--seconds 1] [--rounds 3] [--pg postgresql://127.0.0.1:5432/postgres]
 */
import { randomBytes } from "node:crypto";
import { cpus } from "node:os";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import connectPgSimple from "connect-pg-simple";
import session from "express-session";
import pg from "pg";
import { prepareValue } from "pg/lib/utils.js";
import { openDatabase } from "../lib/node/db/connection.ts";
import { migrateDatabase } from "../lib/node/db/setup.ts";
import { createPostgresStore, createSessionCodec, createSqliteStore, Session, type SessionStore } from "../lib/session/index.ts";
import { BENCH_SECRET_KEY, createSession, expressSessionJson, loadModifySave, numberArg, parseArgs, readPayload } from "./common.ts";
import { writeDocSection } from "./report/doc-section.ts";
import { utcStamp } from "./report/format.ts";
import { withPath } from "./runner/services.ts";

const args = parseArgs();
const seconds = numberArg(args, "seconds", 1);
const rounds = Math.max(1, Math.floor(numberArg(args, "rounds", 3)));
const payload = new Map(Object.entries(readPayload()));
const codec = createSessionCodec({ secretKey: BENCH_SECRET_KEY });
const encoded = codec.encode(payload, new Date());
const json = expressSessionJson(payload);

/**
 * A fresh SQLite file migrated as the app migrates it, with better-sqlite3-session-store's table and
 * statement beside SessionScope's store and the two INSERTs a create makes; `dropListingIndexes`
 * removes the meta table's listing indexes (the primary key and the unique public id stay) and
 * says how many there were.
 */
async function openBenchSqlite(options: Parameters<typeof openDatabase>[1]) {
  const folder = mkdtempSync(join(tmpdir(), "sessionscope-write-breakdown-"));
  const handle = openDatabase(`file:${join(folder, "write.db")}`, options);
  await migrateDatabase(handle);
  if (handle.provider !== "sqlite") throw new Error("expected SQLite");
  const file = handle.sqlite;
  // better-sqlite3-session-store's table and statement, as it creates them.
  file.exec("CREATE TABLE sessions (sid PRIMARY KEY, expire TEXT NOT NULL, sess TEXT NOT NULL)");
  return {
    sqlite: file,
    store: createSqliteStore(file),
    expressSet: file.prepare("INSERT OR REPLACE INTO sessions VALUES (?, ?, ?)"),
    sessionInsert: file.prepare("INSERT INTO django_session (session_key, session_data, expire_date) VALUES (?, ?, ?)"),
    metaInsert: file.prepare("INSERT INTO sessionscope_session_meta (session_key, public_id, user_id, created_at, engine, expire_date) VALUES (?, ?, ?, ?, 'db', ?)"),
    dropListingIndexes(): number {
      const names = file.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'sessionscope_session_meta' AND sql IS NOT NULL AND name NOT LIKE '%public_id_key'").all() as Array<{ name: string }>;
      for (const { name } of names) file.exec(`DROP INDEX "${name}"`);
      return names.length;
    },
    async close(): Promise<void> {
      await handle.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

const wal = await openBenchSqlite({ backgroundCheckpoints: true });
const { store, expressSet, sessionInsert, metaInsert } = wal;

let serial = 0;
const newKey = () => `${(serial++).toString(36)}${randomBytes(12).toString("hex")}`.slice(0, 32);
const expire = () => new Date(Date.now() + 14 * 86_400_000);
const sqliteDate = (date: Date) => date.toISOString().replace("T", " ").replace("Z", "");
const record = () => ({ data: payload, encoded, expireDate: expire(), ttlSeconds: 14 * 86_400, userId: "1", createdAt: new Date() });
/** A value other than `encoded`, so a compare-and-swap save changes the row. */
const updated = codec.encode(new Map([...payload, ["counter", 1]]), new Date());


/** Sessions for the load-modify-save steps, made once (below, once the helpers exist). */
let keys: string[] = [];

type Step = readonly [name: string, run: (i: number) => unknown];
const steps: Step[] = [
  ["express-session: better-sqlite3-session-store's INSERT OR REPLACE of JSON (its whole write)", () => expressSet.run(newKey(), sqliteDate(expire()), json)],
  ["create: a new key (20 random bytes, base36)", () => newKey()],
  ["create: encode (Django's signed value)", () => codec.encode(payload, new Date())],
  ["create: django_session INSERT alone, its own commit", () => sessionInsert.run(newKey(), encoded, sqliteDate(expire()))],
  ["create: meta row INSERT alone, its own commit", () => metaInsert.run(newKey(), randomBytes(12).toString("base64url"), 1, new Date().toISOString(), sqliteDate(expire()))],
  ["create: the store's insert (both rows, one transaction; value already encoded)", () => store.save(newKey(), record(), null)],
  ["create: the whole Session (new, update, save)", () => createSession(store, codec, payload)],
  ["load-modify-save: load alone", (i) => new Session({ key: keys[i % keys.length]!, store, codec }).load()],
  ["load-modify-save: the whole Session (load, set, compare-and-swap save)", (i) => loadModifySave(store, codec, keys[i % keys.length]!, i)],
];

async function timeStep(run: Step[1]): Promise<number> {
  const until = performance.now() + seconds * 1000;
  let n = 0;
  const started = performance.now();
  while (performance.now() < until) await run(n++);
  return ((performance.now() - started) * 1000) / n;
}

/** Each step's best round, the steps alternating round by round. */
async function bestOf(list: readonly Step[], into: Map<string, number>): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    for (const [name, run] of list) into.set(name, Math.min(into.get(name) ?? Infinity, await timeStep(run)));
  }
}

/** `count` sessions made through `store`, for the load-modify-save steps. */
async function makeSessions(store: SessionStore, count: number): Promise<string[]> {
  const made: string[] = [];
  for (let i = 0; i < count; i++) made.push(await createSession(store, codec, payload));
  return made;
}

keys = await makeSessions(store, 2000);
const best = new Map<string, number>();
const keep = (name: string, us: number) => best.set(name, Math.min(best.get(name) ?? Infinity, us));
await bestOf(steps, best);

// The same create without the dashboard's listing indexes (kept: the primary key and the unique public id).
const listingIndexes = wal.dropListingIndexes();
const bare = "create: the store's insert, without the meta table's listing indexes";
for (let round = 0; round < rounds; round++) keep(bare, await timeStep(() => store.save(newKey(), record(), null)));
await wal.close();

/** With --pg: a PostgreSQL create and load-modify-save, step by step, beside connect-pg-simple's (its own fresh database). */
async function postgresBreakdown(serverUrl: string): Promise<{ rows: string[]; indexes: number; expressWrite: number; wholeCreate: number; found: Map<string, number> }> {
  const name = "sessionscope_write_breakdown";
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.query(`CREATE DATABASE ${name}`);
  const url = withPath(serverUrl, name);
  const pgDb = openDatabase(url);
  await migrateDatabase(pgDb);
  await pgDb.close();
  // One connection, used serially, as the core comparison's loops do.
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  const found = new Map<string, number>();
  let indexes = 0;
  try {
    const pgStore = createPostgresStore(pool);
    const PgStore = connectPgSimple(session);
    const express = new PgStore({ pool, createTableIfMissing: true, pruneSessionInterval: false });
    const expressSession = JSON.parse(json) as session.SessionData;
    const expressSet = (sid: string) => new Promise<void>((resolve, reject) => express.set(sid, expressSession, (error) => (error ? reject(error as Error) : resolve())));
    await expressSet("warm-up"); // creates its table
    const roundTrip = { name: "write_breakdown_select_1", text: "SELECT 1" };
    const valueRead = { name: "write_breakdown_value", text: "SELECT session_data FROM django_session WHERE session_key = $1" };
    const sessionRow = { name: "write_breakdown_session", text: "INSERT INTO django_session (session_key, session_data, expire_date) VALUES ($1, $2, $3)" };
    const metaRow = { name: "write_breakdown_meta", text: "INSERT INTO sessionscope_session_meta (session_key, public_id, user_id, created_at, engine, expire_date) VALUES ($1, $2, 1, $3, 'db', $4)" };
    await pool.query("INSERT INTO auth_user (id, password, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined) VALUES (1, '', false, 'bench', '', '', '', false, true, now()) ON CONFLICT DO NOTHING");
    const pgSteps: Step[] = [
      ["express-session: connect-pg-simple's upsert of JSON (its whole write)", () => expressSet(newKey())],
      ["a round trip alone (a prepared `SELECT 1`)", () => pool.query(roundTrip)],
      ["create: django_session INSERT alone, its own commit", () => pool.query({ ...sessionRow, values: [newKey(), encoded, expire()] })],
      ["create: meta row INSERT alone, its own commit", () => pool.query({ ...metaRow, values: [newKey(), randomBytes(12).toString("base64url"), new Date(), expire()] })],
      ["create: the store's insert (both rows, one statement; value already encoded)", () => pgStore.save(newKey(), record(), null)],
      ["create: the whole Session (new, update, save)", () => createSession(pgStore, codec, payload)],
      ["express-session: connect-pg-simple's get, then its upsert (its whole load-modify-save)", async (i) => {
        const sid = expressKeys[i % expressKeys.length]!;
        await new Promise((resolve, reject) => express.get(sid, (error, value) => (error ? reject(error as Error) : resolve(value))));
        await expressSet(sid);
      }],
      ["load: a primary-key read of the session's value alone (no expiry)", (i) => pool.query({ ...valueRead, values: [pgKeys[i % pgKeys.length]!] })],
      ["load: the store's read (store.load: the value and its expiry, live sessions only)", (i) => pgStore.load(pgKeys[i % pgKeys.length]!, new Date())],
      ["load-modify-save: load alone", (i) => new Session({ key: pgKeys[i % pgKeys.length]!, store: pgStore, codec }).load()],
      ["load-modify-save: the store's compare-and-swap save alone (value already encoded)", async (i) => {
        const key = casKeys[i % casKeys.length]!;
        const version = versions.get(key) ?? (await pgStore.load(key, new Date()))!.version;
        const saved = await pgStore.save(key, { ...record(), encoded: updated }, version);
        if (!saved.ok) throw new Error(`write-breakdown: the save conflicted (${JSON.stringify(saved)})`);
        versions.set(key, saved.version);
      }],
      ["load-modify-save: the whole Session (load, set, compare-and-swap save)", (i) => loadModifySave(pgStore, codec, pgKeys[i % pgKeys.length]!, i)],
    ];
    const expressKeys: string[] = [];
    for (let i = 0; i < 500; i++) {
      expressKeys.push(newKey());
      await expressSet(expressKeys[i]!);
    }
    const pgKeys = await makeSessions(pgStore, 500);
    // The save-alone step's own sessions: it keeps each one's version, which the whole load-modify-save would change.
    const casKeys = await makeSessions(pgStore, 500);
    const versions = new Map<string, string>();
    await bestOf(pgSteps, found);
    const listed = (await pool.query("SELECT indexname FROM pg_indexes WHERE tablename = 'sessionscope_session_meta' AND indexname NOT LIKE '%pkey' AND indexname NOT LIKE '%public_id_key'")).rows as Array<{ indexname: string }>;
    indexes = listed.length;
    for (const { indexname } of listed) await pool.query(`DROP INDEX "${indexname}"`);
    await bestOf([["create: the store's insert, without the meta table's listing indexes", () => pgStore.save(newKey(), record(), null)]], found);
  } finally {
    await pool.end();
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.end();
  }
  const expressWrite = [...found.values()][0]!;
  const wholeCreate = found.get("create: the whole Session (new, update, save)")!;
  return { rows: [...found].map(([step, value]) => `| ${step} | ${value.toFixed(1)} | ${(value / expressWrite).toFixed(2)}× |`), indexes, expressWrite, wholeCreate, found };
}

/**
 * A create at Django's durability (rollback journal, synchronous=FULL), step by step, beside the
 * express store's write on the same file: each commit there writes the original of every page it
 * changes to the journal and waits for the disk twice, so its cost follows the pages touched.
 */
async function fullDurabilityBreakdown(): Promise<Map<string, number>> {
  const full = await openBenchSqlite({ durability: "full" });
  const found = new Map<string, number>();
  try {
    const { sqlite: db, store: fullStore, expressSet: set, sessionInsert: sessionRow, metaInsert: metaRow } = full;
    const touch = db.prepare("UPDATE sessions SET expire = ? WHERE rowid = 1");
    const journalMode = String(db.pragma("journal_mode", { simple: true }));
    if (journalMode !== "delete") throw new Error(`write-breakdown: expected the rollback journal at full durability, found ${journalMode}`);
    const fullSteps: Step[] = [
      ["express-session: better-sqlite3-session-store's INSERT OR REPLACE of JSON (its whole write)", () => set.run(newKey(), sqliteDate(expire()), json)],
      ["a commit of one row's UPDATE (the core comparison's floor)", () => touch.run(sqliteDate(expire()))],
      ["create: django_session INSERT alone, its own commit", () => sessionRow.run(newKey(), encoded, sqliteDate(expire()))],
      ["create: meta row INSERT alone, its own commit", () => metaRow.run(newKey(), randomBytes(12).toString("base64url"), 1, new Date().toISOString(), sqliteDate(expire()))],
      ["create: the store's insert (both rows, one transaction; value already encoded)", () => fullStore.save(newKey(), record(), null)],
      ["create: the whole Session (new, update, save)", () => createSession(fullStore, codec, payload)],
    ];
    await bestOf(fullSteps, found);
    full.dropListingIndexes();
    await bestOf([["create: the store's insert, without the meta table's listing indexes", () => fullStore.save(newKey(), record(), null)]], found);
  } finally {
    await full.close();
  }
  return found;
}
const fullDurability = await fullDurabilityBreakdown();
const fullExpress = [...fullDurability.values()][0]!;
const fullRows = [...fullDurability].map(([step, value]) => `| ${step} | ${value.toFixed(1)} | ${(value / fullExpress).toFixed(2)}× |`);
for (const line of fullRows) console.log(line);
const pgUrl = args.get("pg");

/** A synchronous step's cost in ns: the best of `rounds` runs of 200,000 calls. */
function nanoseconds(run: () => unknown): number {
  let best = Infinity;
  for (let round = 0; round < rounds; round++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < 200_000; i++) run();
    best = Math.min(best, Number(process.hrtime.bigint() - started) / 200_000);
  }
  return best;
}

/** The client's part of the expiry on a PostgreSQL load: `now` bound as a Date, the expiry parsed from a timestamptz. */
const parseTimestamptz = pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ, "text");
const expiryNs = {
  bind: nanoseconds(() => prepareValue(new Date())),
  parse: nanoseconds(() => parseTimestamptz("2026-12-15 13:41:12.123456+00")),
};

/** The time of the step whose name starts with `prefix` (one of the --pg steps). */
function stepTime(found: Map<string, number>, prefix: string): number {
  const step = [...found].find(([name]) => name.startsWith(prefix));
  if (!step) throw new Error(`write-breakdown: no step named "${prefix}…"`);
  return step[1];
}

/** What a PostgreSQL load spends beyond the core comparison's floor, from the --pg steps. */
function pgLoadParagraph(found: Map<string, number>): string {
  const at = (prefix: string) => stepTime(found, prefix);
  const trip = at("a round trip alone");
  const value = at("load: a primary-key read");
  const read = at("load: the store's read");
  const whole = at("load-modify-save: load alone");
  const expiryUs = (expiryNs.bind + expiryNs.parse) / 1000;
  const more = (from: number, to: number) => (to - from >= 1 ? `${(to - from).toFixed(1)} µs more` : "no more, within this machine's noise");
  return (
    `**The load**, step by step from a round trip that reads no row (\`SELECT 1\`, the writes' floor) ${trip.toFixed(1)} µs; a primary-key read of the session's value alone ${value.toFixed(1)} µs ` +
    `(${more(trip, value)}: the index probe, the heap row and its 1 KB value on the wire); the store's read ${read.toFixed(1)} µs (${more(value, read)}: the expiry too, compared in the statement and returned as a \`timestamptz\`); ` +
    `the whole Session load ${whole.toFixed(1)} µs (${more(read, whole)}: the codec's decode and the Session's step). The expiry's client side, measured apart: binding \`now\` as a Date ${expiryNs.bind.toFixed(0)} ns and parsing the \`timestamptz\` ${expiryNs.parse.toFixed(0)} ns, ` +
    `so returning epoch seconds instead would save about ${expiryUs.toFixed(1)} µs of ${whole.toFixed(1)} (${((100 * expiryUs) / whole).toFixed(1)} %): not a lever. ` +
    "The core comparison's load floor is such a primary-key read of a session-sized row (bench/floor.bench.ts), as on SQLite, so its bound (1.15 × (floor + decode)) leaves the expiry and the Session's step the 15 %. " +
    "The steps swing by several µs from round to round on this shared machine; the core comparison's load moved between 1.10× and 1.35× of its bound across runs while that floor was a `SELECT 1`."
  );
}

/** What a PostgreSQL load-modify-save spends, from the --pg steps. */
function pgLmsParagraph(found: Map<string, number>): string {
  const at = (prefix: string) => stepTime(found, prefix);
  const express = at("express-session: connect-pg-simple's get");
  const load = at("load-modify-save: load alone");
  const save = at("load-modify-save: the store's compare-and-swap save");
  const whole = at("load-modify-save: the whole Session");
  const trip = at("a round trip alone");
  return (
    `**The load-modify-save.** Both sides make two round trips (${(2 * trip).toFixed(1)} µs of round trips alone): connect-pg-simple a SELECT and its upsert (${express.toFixed(1)} µs in all), SessionScope a load (${load.toFixed(1)} µs as a Session: the SELECT and the value's HMAC check and parse) and a save of ${save.toFixed(1)} µs (one statement: the UPDATE that compares the stored value with the one loaded, the compare-and-swap, and keeps the meta row's owner and expiry copy; its \`expire_date\` index entry moves), ${whole.toFixed(1)} µs in all with the encode. ` +
    "What stands above connect-pg-simple is the format (Django's signed value: decode and encode, see the codec section) and the compare-and-swap with the meta row's upkeep, where the upsert lets the last writer win. Level would take a blind write and no meta row: lost updates under concurrent requests, and no dashboard."
  );
}
const postgres = pgUrl ? await postgresBreakdown(pgUrl) : null;
for (const line of postgres?.rows ?? []) console.log(line);

const us = (name: string) => best.get(name)!;
const expressUs = us(steps[0]![0]);
const rows = [...best].map(([name, value]) => `| ${name} | ${value.toFixed(1)} | ${(value / expressUs).toFixed(2)}× |`);
for (const line of rows) console.log(line);

writeDocSection("write-breakdown", [
  "## Where a SQLite write's time goes",
  "",
  `Generated by \`node --import ./bench/ts-as-built.mjs bench/write-breakdown.ts --seconds ${seconds} --rounds ${rounds}${postgres ? " --pg URL" : ""}\` on ${utcStamp(new Date())} (${cpus()[0]?.model.trim() ?? "CPU"}, ${cpus().length} cores). ` +
    "One file at SessionScope's defaults (WAL, synchronous=NORMAL, the log checkpointed on a thread as the app's server does), the core comparison's 1 KB payload; each step alone, in alternating rounds, best round. The last column is the step's time over the express store's whole write.",
  "",
  "| step | µs | / express write |",
  "|---|---:|---:|",
  ...rows,
  "",
  `**What stands in the way of a create level with the express store.** Its two INSERTs alone cost more than the express store's whole write: the \`django_session\` row (Django's table, its primary key and \`expire_date\` index) and the meta row, whose ${listingIndexes} listing indexes serve the dashboard's lists, filters and counts at a million sessions (issue 11). Each index is one more page in the write-ahead log per commit. Without them the same insert takes the time in the last row: the rest is the two rows themselves. Meeting the target would take dropping what those indexes buy (the dashboard's listings within 2× at a million sessions) or writing the meta row after the response (which would let a kill by user miss a session in its first moments), neither of which SessionScope does.`,
  "",
  "### At Django's durability (rollback journal, synchronous=FULL)",
  "",
  "The same create on a second file at Django's default durability, the one the core comparison's *sqlite-full* table measures; the last column is over the express store's write on that file.",
  "",
  "| step | µs | / express write |",
  "|---|---:|---:|",
  ...fullRows,
  "",
  `Every commit here waits for the disk twice (the journal, then the database file) and first copies the original of each page it will change into the journal, so a commit's cost follows the pages it touches more than the rows: the express store's write changes a page of its table and one of its primary key; SessionScope's create changes pages in ${listingIndexes + 6} b-trees (Django's table, its primary key and expiry index; the meta table, its primary key, the public id's unique index and the ${listingIndexes} listing indexes). ` +
    "The same insert without the listing indexes shows their share. Level with the express store would take, as in WAL mode, dropping what they buy the dashboard, or a second transaction after the response.",
  ...(postgres
    ? [
        "",
        "### And on PostgreSQL",
        "",
        "The create's steps, and a load-modify-save's, on the bench's PostgreSQL server (fsync off, as in the core comparison), in a fresh database, over one connection used serially; wall time, best round. The last column is the step's time over connect-pg-simple's write (its upsert).",
        "",
        "| step | µs | / express write |",
        "|---|---:|---:|",
        ...postgres.rows,
        "",
        `Every step is at least one round trip (the second row). connect-pg-simple upserts one row (its primary key and expiry index). SessionScope's create is one statement (a CTE) that writes Django's \`django_session\` row (its primary key and \`expire_date\` index) and the meta row with its ${postgres.indexes} listing indexes, plus the trigger that keeps the session count for the overview; without those indexes the same statement takes the time in the last row. ${postgres.wholeCreate <= postgres.expressWrite ? "In this run the whole create was level with connect-pg-simple's write or faster: on PostgreSQL the round trip, not the indexes, sets the pace." : "As on SQLite, level with the express store would take dropping what the meta row buys the dashboard."}`,
        "",
        pgLoadParagraph(postgres.found),
        "",
        pgLmsParagraph(postgres.found),
      ]
    : []),
]);
