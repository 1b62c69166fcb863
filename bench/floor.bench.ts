/**
 * The floor under every session operation on this machine: what the backend
 * itself costs before any session code runs. The report uses it to show the
 * best ratio over Django that any implementation could reach.
 *
 *   sqlite-full / sqlite-default: one empty-ish commit (UPDATE of a one-row table, autocommit), and
 *          one prepared SELECT of a ~1.4 KB row by primary key from a table of 4,000 such rows
 *          (what a session load reads, before any session code)
 *   postgresql: one `SELECT 1` round trip through a pg.Pool (named statement: no parse, as the engines
 *          do), and one named SELECT of a ~1.4 KB row by primary key from a table of 4,000 such rows
 *          (what a session load reads, as for SQLite)
 *   redis: one PING round trip through ioredis, and one GET of a ~1 KB entry as a Buffer (what a
 *          session load reads: the 1 KB session's pickle is 931 bytes)
 *   codec: zlib deflate (Node's native zlib, level 6) of the 1 KB payload's JSON, and inflate of
 *          it back: the steps of Django's session encoding and decoding no implementation may
 *          skip (compress=True)
 */
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { Redis } from "ioredis";
import pg from "pg";
import { randomBytes } from "node:crypto";
import { deflateSync, inflateSync } from "node:zlib";
import { dumpsPython } from "../lib/session/index.ts";
import { DURABILITY, emit, parseArgs, readPayload, sqliteBackend, timed, timedSync, timingFromEnv, type DurabilityMode } from "./common.ts";

const timing = timingFromEnv();
const args = parseArgs();

async function sqliteCommit(dir: string, mode: DurabilityMode): Promise<void> {
  const db = new BetterSqlite3(join(dir, `floor-${mode}.db`));
  db.pragma(`journal_mode = ${DURABILITY[mode].journal}`);
  db.pragma(`synchronous = ${DURABILITY[mode].synchronous}`);
  db.exec("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v INTEGER NOT NULL); INSERT OR IGNORE INTO t VALUES (1, 0)");
  const bump = db.prepare("UPDATE t SET v = v + 1 WHERE id = 1");
  try {
    emit({ impl: "floor", engine: "-", backend: sqliteBackend(mode), durability: DURABILITY[mode].text, op: "commit" }, await timed(() => bump.run(), timing));
  } finally {
    db.close();
  }
}

/** Rows of the SELECT floor's table, and the size of each row's value (a session row's: 40-character key, ~1.4 KB value). */
const SELECT_ROWS = 4000;
const SELECT_VALUE_BYTES = 1400;

async function sqliteSelect(dir: string, mode: DurabilityMode): Promise<void> {
  const db = new BetterSqlite3(join(dir, `floor-select-${mode}.db`));
  db.pragma(`journal_mode = ${DURABILITY[mode].journal}`);
  db.pragma(`synchronous = ${DURABILITY[mode].synchronous}`);
  db.exec("DROP TABLE IF EXISTS s; CREATE TABLE s (k TEXT NOT NULL PRIMARY KEY, v TEXT NOT NULL)");
  const rows = selectValues();
  const insert = db.prepare("INSERT INTO s (k, v) VALUES (?, ?)");
  db.transaction(() => {
    for (const [k, v] of rows) insert.run(k, v);
  })();
  const select = db.prepare("SELECT v FROM s WHERE k = ?");
  const keys = rows.map((r) => r[0]);
  try {
    emit(
      { impl: "floor", engine: "-", backend: sqliteBackend(mode), durability: DURABILITY[mode].text, op: "select" },
      await timed((i) => select.get(keys[i % SELECT_ROWS]), timing),
    );
  } finally {
    db.close();
  }
}

const selectValues = () => Array.from({ length: SELECT_ROWS }, () => [randomBytes(20).toString("hex"), randomBytes(SELECT_VALUE_BYTES * 0.75).toString("base64")] as const);

async function pgRoundTrip(url: string): Promise<void> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  try {
    emit({ impl: "floor", engine: "-", backend: "postgresql", durability: "-", op: "round_trip" }, await timed(() => pool.query({ name: "floor", text: "SELECT 1" }), timing));
    await pool.query("DROP TABLE IF EXISTS floor_select; CREATE UNLOGGED TABLE floor_select (k varchar(40) PRIMARY KEY, v text NOT NULL)");
    const rows = selectValues();
    await pool.query({ text: "INSERT INTO floor_select (k, v) SELECT * FROM unnest($1::varchar[], $2::text[])", values: [rows.map((r) => r[0]), rows.map((r) => r[1])] });
    await pool.query("ANALYZE floor_select");
    emit(
      { impl: "floor", engine: "-", backend: "postgresql", durability: "-", op: "select" },
      await timed((i) => pool.query({ name: "floor-select", text: "SELECT v FROM floor_select WHERE k = $1", values: [rows[i % SELECT_ROWS]![0]] }), timing),
    );
    await pool.query("DROP TABLE floor_select");
  } finally {
    await pool.end();
  }
}

/** The Redis entries of the GET floor: about the size of the 1 KB session's pickle (931 bytes). */
const GET_VALUE_BYTES = 931;

async function redisRoundTrip(url: string): Promise<void> {
  const client = new Redis(url, { lazyConnect: true });
  await client.connect();
  try {
    emit({ impl: "floor", engine: "-", backend: "redis", durability: "-", op: "round_trip" }, await timed(() => client.ping(), timing));
    const keys = Array.from({ length: SELECT_ROWS }, (_, i) => `floor:get:${i}`);
    for (const key of keys) await client.set(key, randomBytes(GET_VALUE_BYTES), "EX", 3600);
    emit({ impl: "floor", engine: "-", backend: "redis", durability: "-", op: "get" }, await timed((i) => client.getBuffer(keys[i % SELECT_ROWS]!), timing));
    await client.del(...keys);
  } finally {
    client.disconnect();
  }
}

function codecDeflate(): void {
  const serialized = Buffer.from(dumpsPython(new Map(Object.entries(readPayload()))), "latin1");
  emit({ impl: "floor", engine: "-", backend: "none", durability: "-", op: "deflate" }, timedSync(() => deflateSync(serialized, { level: 6 }), timing));
  const compressed = deflateSync(serialized, { level: 6 });
  emit({ impl: "floor", engine: "-", backend: "none", durability: "-", op: "inflate" }, timedSync(() => inflateSync(compressed), timing));
}

const only = new Set((args.get("only") ?? "codec,sqlite-full,sqlite-default,postgresql,redis").split(","));
if (only.has("codec")) codecDeflate();
const dir = args.get("sqlite-dir");
for (const mode of ["full", "normal"] as const) {
  if (!dir || !only.has(sqliteBackend(mode))) continue;
  await sqliteCommit(dir, mode);
  await sqliteSelect(dir, mode);
}
if (args.get("pg") && only.has("postgresql")) await pgRoundTrip(args.get("pg")!);
if (args.get("redis") && only.has("redis")) await redisRoundTrip(args.get("redis")!);
process.exit(0);
