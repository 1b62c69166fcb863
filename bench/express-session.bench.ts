/**
 * express-session's stores, driven through the Store API exactly as
 * express-session drives them (callback set/get/touch), one op at a time on a
 * single connection, like the Django loop:
 *
 *   create           = store.set(new sid, session)
 *   load             = store.get(sid)
 *   load_modify_save = store.get(sid), change one key, store.set(sid, session)
 *   touch            = store.touch(sid, session)  (what express-session does at the end of
 *                      a request that read but did not change the session; informational)
 *   codec            = JSON.stringify / JSON.parse of the session, the format all three stores
 *                      keep (informational: the cost Django's signed, compressed format replaces)
 *
 * Stores: better-sqlite3-session-store (better-sqlite3, both durability modes),
 * connect-pg-simple (pg), connect-redis (node-redis v5), connect-memcached (memcached).
 *
 * Run (`npm run bench` does this with real servers):
 *   node --import ./bench/ts-as-built.mjs bench/express-session.bench.ts --sqlite-dir /tmp/x --pg postgresql://... --redis redis://...
 */
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import session from "express-session";
import createBetterSqliteStore from "better-sqlite3-session-store";
import connectMemcached from "connect-memcached";
import connectPgSimple from "connect-pg-simple";
import { RedisStore } from "connect-redis";
import pg from "pg";
import { createClient } from "redis";
import {
  DURABILITY, MEMCACHED_DURABILITY, PG_DURABILITY, REDIS_DURABILITY, check, emit, emitSkip, parseArgs, readPayload, sqliteBackend, timed, timedSync, timingFromEnv, type DurabilityMode,
} from "./common.ts";

type Sess = session.SessionData & Record<string, unknown>;
type Store = session.Store;

const COOKIE_AGE_MS = 1_209_600_000; // two weeks, Django's SESSION_COOKIE_AGE
const payload = readPayload();
const timing = timingFromEnv();
const args = parseArgs();

/** The session object express-session hands to `store.set`: its cookie plus the data. */
function newSession(): Sess {
  const expires = new Date(Date.now() + COOKIE_AGE_MS);
  return {
    cookie: { originalMaxAge: COOKIE_AGE_MS, expires, secure: false, httpOnly: true, path: "/", sameSite: "lax" },
    ...payload,
  } as unknown as Sess;
}

// express-session's own session ids: uid-safe(24), 32 base64url characters.
const newSid = () => randomBytes(24).toString("base64url");

const set = (store: Store, sid: string, sess: Sess) =>
  new Promise<void>((resolve, reject) => store.set(sid, sess as session.SessionData, (err?: unknown) => (err ? reject(err) : resolve())));
const get = (store: Store, sid: string) =>
  new Promise<Sess | null>((resolve, reject) =>
    store.get(sid, (err: unknown, sess?: session.SessionData | null) => (err ? reject(err) : resolve((sess as Sess) ?? null))),
  );
const touch = (store: Store, sid: string, sess: Sess) =>
  new Promise<void>((resolve, reject) => store.touch!(sid, sess as session.SessionData, (err?: unknown) => (err ? reject(err) : resolve())));

async function benchStore(store: Store, label: { engine: string; backend: string; durability: string; store: string }): Promise<void> {
  const line = { impl: "express-session", ...label };
  const sids: string[] = [];
  const KEEP = 5000;

  emit({ ...line, op: "create" }, await timed(async () => {
    const sid = newSid();
    await set(store, sid, newSession());
    if (sids.length < KEEP) sids.push(sid);
  }, timing));

  const probe = await get(store, sids[0]!);
  check(probe && probe._auth_user_id === payload._auth_user_id && JSON.stringify(probe.cart) === JSON.stringify(payload.cart), `${label.store}: created session loads back`);
  const count = sids.length;

  emit({ ...line, op: "load" }, await timed(async (i) => {
    const sess = await get(store, sids[i % count]!);
    if (!sess) throw new Error(`${label.store}: session vanished`);
  }, timing));

  emit({ ...line, op: "load_modify_save" }, await timed(async (i) => {
    const sid = sids[i % count]!;
    const sess = await get(store, sid);
    if (!sess) throw new Error(`${label.store}: session vanished`);
    sess.counter = i;
    await set(store, sid, sess);
  }, timing));
  check((await get(store, sids[0]!))?.counter !== undefined, `${label.store}: load-modify-save persisted`);

  if (typeof store.touch === "function") {
    const sess = newSession();
    emit({ ...line, op: "touch" }, await timed((i) => touch(store, sids[i % count]!, sess), timing));
  }
}

async function benchSqlite(dir: string, mode: DurabilityMode): Promise<void> {
  const db = new BetterSqlite3(join(dir, `express-${mode}.db`));
  // The same pragmas lib/node/db/connection.ts applies for each mode.
  db.pragma("busy_timeout = 5000");
  db.pragma(`journal_mode = ${DURABILITY[mode].journal}`);
  db.pragma(`synchronous = ${DURABILITY[mode].synchronous}`);
  const SqliteStore = createBetterSqliteStore(session);
  const store = new SqliteStore({ client: db, expired: { clear: false, intervalMs: 3_600_000 } }) as Store;
  try {
    await benchStore(store, { engine: "db", backend: sqliteBackend(mode), durability: DURABILITY[mode].text, store: "better-sqlite3-session-store" });
  } finally {
    db.close();
  }
}

async function benchPostgres(url: string): Promise<void> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const PgStore = connectPgSimple(session);
  const store = new PgStore({ pool, createTableIfMissing: true, pruneSessionInterval: false }) as unknown as Store;
  try {
    await benchStore(store, { engine: "db", backend: "postgresql", durability: PG_DURABILITY, store: "connect-pg-simple" });
  } finally {
    await pool.end();
  }
}

async function benchRedis(url: string): Promise<void> {
  const client = createClient({ url });
  client.on("error", (error: Error) => console.error(`express-session bench: redis: ${error.message}`));
  await client.connect();
  const store = new RedisStore({ client, prefix: "sess:" }) as unknown as Store;
  try {
    await benchStore(store, { engine: "cache", backend: "redis", durability: REDIS_DURABILITY, store: "connect-redis" });
  } finally {
    await client.quit();
  }
}

async function benchMemcached(hosts: string): Promise<void> {
  const MemcachedStore = connectMemcached(session);
  const store = new MemcachedStore({ hosts: [hosts], prefix: "sess:" });
  try {
    await benchStore(store, { engine: "cache", backend: "memcached", durability: MEMCACHED_DURABILITY, store: "connect-memcached" });
  } finally {
    store.client.end();
  }
}

/** What the stores' serializer costs: JSON.stringify on set, JSON.parse on get. */
function benchCodec(): void {
  const sess = newSession();
  const text = JSON.stringify(sess);
  check(JSON.stringify(JSON.parse(text)) === text, "JSON round trip");
  const line = { impl: "express-session", engine: "codec", backend: "none", durability: "n/a", store: "JSON" };
  emit({ ...line, op: "encode" }, timedSync(() => JSON.stringify(sess), timing));
  emit({ ...line, op: "decode" }, timedSync(() => JSON.parse(text), timing));
}

async function main(): Promise<void> {
  const only = new Set((args.get("only") ?? "sqlite-full,sqlite-default,postgresql,redis").split(","));
  if (only.has("codec")) benchCodec();
  const dir = args.get("sqlite-dir");
  const runs: Array<[string, () => Promise<void>]> = [];
  if (dir && only.has("sqlite-full")) runs.push(["sqlite-full", () => benchSqlite(dir, "full")]);
  if (dir && only.has("sqlite-default")) runs.push(["sqlite-default", () => benchSqlite(dir, "normal")]);
  if (args.get("pg") && only.has("postgresql")) runs.push(["postgresql", () => benchPostgres(args.get("pg")!)]);
  if (args.get("redis") && only.has("redis")) runs.push(["redis", () => benchRedis(args.get("redis")!)]);
  if (args.get("memcached") && only.has("memcached")) runs.push(["memcached", () => benchMemcached(args.get("memcached")!)]);
  let failed = false;
  for (const [backend, run] of runs) {
    try {
      await run();
    } catch (error) {
      failed = true;
      console.error(`express-session bench: ${backend}: ${(error as Error).stack ?? error}`);
      emitSkip({ impl: "express-session", engine: "?", backend, reason: (error as Error).message });
    }
  }
  // better-sqlite3-session-store starts an interval it never clears.
  process.exit(failed ? 1 : 0);
}

await main();
