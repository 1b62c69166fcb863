/**
 * The floor under every session operation on this machine: what the backend
 * itself costs before any session code runs. The report uses it to show the
 * best ratio over Django that any implementation could reach.
 *
 *   sqlite-full / sqlite-default: one empty-ish commit (UPDATE of a one-row table, autocommit), and
 *          one prepared SELECT of a ~1.4 KB row by primary key from a table of 4,000 such rows
 *          (what a session load reads, before any session code)
 *   postgresql: one `SELECT 1` round trip through a pg.Pool (named statement: no parse, as the engines do)
 *   redis: one PING round trip through ioredis
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
  const keys = Array.from({ length: SELECT_ROWS }, () => randomBytes(20).toString("hex"));
  const insert = db.prepare("INSERT INTO s (k, v) VALUES (?, ?)");
  db.transaction(() => {
    for (const k of keys) insert.run(k, randomBytes(SELECT_VALUE_BYTES * 0.75).toString("base64"));
  })();
  const select = db.prepare("SELECT v FROM s WHERE k = ?");
  try {
    emit(
      { impl: "floor", engine: "-", backend: sqliteBackend(mode), durability: DURABILITY[mode].text, op: "select" },
      await timed((i) => select.get(keys[i % SELECT_ROWS]), timing),
    );
  } finally {
    db.close();
  }
}

async function pgRoundTrip(url: string): Promise<void> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  try {
    emit({ impl: "floor", engine: "-", backend: "postgresql", durability: "-", op: "round_trip" }, await timed(() => pool.query({ name: "floor", text: "SELECT 1" }), timing));
  } finally {
    await pool.end();
  }
}

async function redisRoundTrip(url: string): Promise<void> {
  const client = new Redis(url, { lazyConnect: true });
  await client.connect();
  try {
    emit({ impl: "floor", engine: "-", backend: "redis", durability: "-", op: "round_trip" }, await timed(() => client.ping(), timing));
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
