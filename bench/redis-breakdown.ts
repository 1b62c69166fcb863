/**
 * Where a Redis session load and write spend their time, step by step,
 * beside connect-redis's: what stands between the Redis engine and the
 * issue-13 targets (writes level with connect-redis, a load within 1.15 ×
 * (one round trip + the pickle's decode)).
 *
 * One Redis server on 127.0.0.1 (started here unless --redis is given), the
 * core comparison's 1 KB payload. Each step runs alone, one command in flight
 * at a time, as many times as fit in its time, in rounds that alternate the
 * steps; best round per step. The client libraries are measured apart from
 * the scripts: a PING and a GET through ioredis (SessionScope's client) and
 * through node-redis (connect-redis's), then the engine's Lua scripts against
 * plain commands, the pickle, and the whole load and create on each side.
 * Writes its section of docs/benchmarks.md ("redis-breakdown").
 *
 *   node --import ./bench/ts-as-built.mjs bench/redis-breakdown.ts [--seconds 1] [--rounds 3] [--redis redis://127.0.0.1:6379]
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { RedisStore } from "connect-redis";
import { Redis } from "ioredis";
import { createClient } from "redis";
import { openDatabase } from "../lib/node/db/connection.ts";
import { migrateDatabase } from "../lib/node/db/setup.ts";
import { createCachedDbStore, createRedisStore, createSessionCodec, createSqliteStore, dumpsPickle, loadsPickle, Session } from "../lib/session/index.ts";
// @ts-expect-error: plain JavaScript module shared with scripts/test.mjs
import { startRedis } from "../test/services/services.mjs";
import { BENCH_SECRET_KEY, createSession, expressSessionJson, loadModifySave, numberArg, parseArgs, readPayload } from "./common.ts";
import { writeDocSection } from "./report/doc-section.ts";
import { utcStamp } from "./report/format.ts";

const args = parseArgs();
const seconds = numberArg(args, "seconds", 1);
const rounds = Math.max(1, Math.floor(numberArg(args, "rounds", 3)));
const payload = new Map(Object.entries(readPayload()));
const codec = createSessionCodec({ secretKey: BENCH_SECRET_KEY });
const pickled = dumpsPickle(payload);
const json = expressSessionJson(payload);
const TTL = 14 * 86_400;

const given = args.get("redis");
const redisServer = given ? null : await startRedis();
if (!given && !redisServer) throw new Error("redis-breakdown: no redis-server found (install redis-server, or pass --redis URL)");
const url = given ?? (redisServer as { url: string }).url;

const io = new Redis(url, { maxRetriesPerRequest: 1 });
const node = createClient({ url });
node.on("error", (error: Error) => console.error(`redis-breakdown: node-redis: ${error.message}`));
await node.connect();
await io.flushdb();
const store = createRedisStore(io);
// cached_db's cache in front of a SQLite file: its loads below are cache hits, which never reach the database.
const dir = mkdtempSync(join(tmpdir(), "sessionscope-redis-breakdown-"));
const database = openDatabase(`file:${join(dir, "cached-db.db")}`, { backgroundCheckpoints: true });
await migrateDatabase(database);
if (database.provider !== "sqlite") throw new Error("expected SQLite");
const cachedDb = createCachedDbStore(createSqliteStore(database.sqlite, { metaEngine: "cached_db" }), io, {
  decode: (encoded) => {
    const decoded = codec.decode(encoded, new Date());
    return decoded.ok ? decoded.data : null;
  },
});
const express = new RedisStore({ client: node, prefix: "sess:" });
const expressSession = JSON.parse(json) as Record<string, unknown>;
const expressGet = (sid: string) => new Promise((resolve, reject) => express.get(sid, (error, value) => (error ? reject(error) : resolve(value))));
const expressSet = (sid: string) => new Promise<void>((resolve, reject) => express.set(sid, expressSession as never, (error) => (error ? reject(error) : resolve())));

let serial = 0;
const newKey = () => `${(serial++).toString(36)}${randomBytes(12).toString("hex")}`.slice(0, 32);

/** Sessions (and plain entries) to read, made once. */
const keys: string[] = [];
const cachedKeys: string[] = [];
/** The save-alone step's own sessions: it keeps each one's version, which the whole load-modify-save would change. */
const casKeys: string[] = [];
for (let i = 0; i < 2000; i++) {
  casKeys.push(await createSession(store, codec, payload));
  keys.push(await createSession(store, codec, payload));
  cachedKeys.push(await createSession(cachedDb, codec, payload));
  await expressSet(`e${i}`);
  await io.set(`plain:${i}`, pickled, "EX", TTL);
}
// A cached_db save writes the database, then the cache; one load each makes sure every entry is cached.
for (const key of cachedKeys) await cachedDb.load(key, new Date());
// Django's cache key for a session (KEY_PREFIX:VERSION:django.contrib.sessions.cache<key>), as the engine wrote it.
const [written] = (await io.keys(`*${keys[0]}`)).filter((k) => k.endsWith(`sessions.cache${keys[0]}`));
if (!written) throw new Error("redis-breakdown: the engine's entry is not where Django keeps it");
const entryPrefix = written.slice(0, -keys[0]!.length);
const entry = (i: number) => entryPrefix + keys[i % keys.length]!;
const cachedEntryPrefix = entryPrefix.replace(/sessions\.cache$/, "sessions.cached_db");
if ((await io.exists(cachedEntryPrefix + cachedKeys[0]!)) !== 1) throw new Error("redis-breakdown: cached_db's entry is not where Django keeps it");
/** An earlier read of the engine's: GET and PTTL in one script. */
const GET_AND_PTTL = String(await io.call("SCRIPT", "LOAD", "return {redis.call('GET', KEYS[1]), redis.call('PTTL', KEYS[1])}"));
const record = () => {
  const now = new Date();
  const expireDate = new Date(now.getTime() + TTL * 1000);
  return { data: payload, encoded: "", expireDate, ttlSeconds: TTL, userId: "1", createdAt: now, now };
};

type Step = readonly [name: string, run: (i: number) => unknown];
const ROUND_TRIPS = "Round trips";
const LOADS = "Load";
const WRITES = "Create";
const LMS = "Load-modify-save";
const CACHED_DB = "cached_db load (a cache hit)";
/** For the save step alone: each key's last stored version, as a load returned it. */
const versions = new Map<string, string>();
const groups: Array<readonly [string, Step[]]> = [
  [ROUND_TRIPS, [
    ["ioredis PING (the core comparison's floor for writes)", () => io.ping()],
    ["node-redis PING", () => node.ping()],
    ["ioredis GET of a 1 KB entry, as a Buffer (the core comparison's floor for loads)", (i) => io.getBuffer(`plain:${i % 2000}`)],
    ["node-redis GET of a 1 KB entry", (i) => node.get(`sess:e${i % 2000}`)],
  ]],
  [LOADS, [
    ["connect-redis get: its whole load (GET, JSON.parse)", (i) => expressGet(`e${i % 2000}`)],
    ["GET of the entry (the engine's read: the entry's TTL is the session's expiry)", (i) => io.callBuffer("GET", [entry(i)])],
    ["GET and PTTL sent together, one round trip (the engine's read before)", (i) => Promise.all([io.getBuffer(entry(i)), io.pttl(entry(i))])],
    ["the same two in a Lua script (EVALSHA, one atomic read; the read before that)", (i) => io.callBuffer("EVALSHA", GET_AND_PTTL, 1, entry(i))],
    ["pickle decode of the entry (loadsPickle)", () => loadsPickle(pickled)],
    ["the engine's whole load (store.load)", (i) => store.load(keys[i % keys.length]!, new Date())],
    ["the whole Session load", (i) => new Session({ key: keys[i % keys.length]!, store, codec }).load()],
  ]],
  [WRITES, [
    ["connect-redis set: its whole write (JSON.stringify, SET EX)", () => expressSet(newKey())],
    ["node-redis SET EX of the JSON alone", () => node.set(`sess:${newKey()}`, json, { EX: TTL })],
    ["ioredis SET NX EX of the pickle alone", () => io.set(`plain:${newKey()}`, pickled, "EX", TTL, "NX")],
    ["pickle encode (dumpsPickle)", () => dumpsPickle(payload)],
    ["the engine's create: the pickle, then its script (entry, meta hash, 2 sorted sets, the user's set)", () => store.save(newKey(), record(), null)],
    ["the whole Session create (new, update, save)", () => createSession(store, codec, payload)],
  ]],
  [LMS, [
    ["connect-redis get, then set: its whole load-modify-save", async (i) => {
      await expressGet(`e${i % 2000}`);
      await expressSet(`e${i % 2000}`);
    }],
    ["the engine's save of a loaded session: the pickle, then its compare-and-swap script (GET, compare, SET, the indexes)", async (i) => {
      const key = casKeys[i % casKeys.length]!;
      let version = versions.get(key);
      if (version === undefined) version = (await store.load(key, new Date()))!.version;
      const saved = await store.save(key, record(), version);
      if (!saved.ok) throw new Error(`redis-breakdown: the save conflicted (${JSON.stringify(saved)})`);
      versions.set(key, saved.version);
    }],
    ["the whole Session load-modify-save", (i) => loadModifySave(store, codec, keys[i % keys.length]!, i)],
  ]],
  [CACHED_DB, [
    ["MGET of the entry and its version (cached_db's read)", (i) => {
      const key = cachedKeys[i % cachedKeys.length]!;
      return io.callBuffer("MGET", [cachedEntryPrefix + key, `sessionscope:cached_db:version:${key}`]);
    }],
    ["cached_db's whole load (store.load: the read, its timer, the pickle)", (i) => cachedDb.load(cachedKeys[i % cachedKeys.length]!, new Date())],
    ["the whole Session load on cached_db", (i) => new Session({ key: cachedKeys[i % cachedKeys.length]!, store: cachedDb, codec }).load()],
  ]],
];

/** The server's own time in the step's commands since the last CONFIG RESETSTAT, in µs (a script's nested commands are inside its EVALSHA). */
async function serverMicros(): Promise<number> {
  const info = String(await io.call("INFO", "commandstats"));
  const usec = new Map([...info.matchAll(/^cmdstat_(\w+):calls=\d+,usec=(\d+)/gm)].map((m) => [m[1]!, Number(m[2])]));
  const scripts = (usec.get("evalsha") ?? 0) + (usec.get("eval") ?? 0);
  if (scripts > 0) return scripts;
  return [...usec].filter(([name]) => name !== "config" && name !== "info").reduce((sum, [, us]) => sum + us, 0);
}

/** One round of a step: µs per operation, as the client sees it and inside the server. */
async function timeStep(run: Step[1]): Promise<{ total: number; server: number }> {
  await io.call("CONFIG", "RESETSTAT");
  const until = performance.now() + seconds * 1000;
  let n = 0;
  const started = performance.now();
  while (performance.now() < until) await run(n++);
  const total = ((performance.now() - started) * 1000) / n;
  return { total, server: (await serverMicros()) / n };
}

const best = new Map<string, { total: number; server: number }>();
for (let round = 0; round < rounds; round++) {
  for (const [, steps] of groups) {
    for (const [name, run] of steps) {
      const timing = await timeStep(run);
      if (timing.total < (best.get(name)?.total ?? Infinity)) best.set(name, timing);
    }
  }
}
await io.quit();
await node.quit();
await database.close();
rmSync(dir, { recursive: true, force: true });
redisServer?.stop();

const us = (name: string) => best.get(name)!.total;
const server = (name: string) => best.get(name)!.server;
const step = (group: string, index: number) => groups.find(([g]) => g === group)![1][index]![0];
const ioPing = us(step(ROUND_TRIPS, 0));
const nodePing = us(step(ROUND_TRIPS, 1));
const expressLoad = us(step(LOADS, 0));
const engineRead = us(step(LOADS, 1));
const together = us(step(LOADS, 2));
const script = us(step(LOADS, 3));
const decode = us(step(LOADS, 4));
const engineLoad = us(step(LOADS, 5));
const expressWrite = us(step(WRITES, 0));
const saveScript = us(step(WRITES, 4));
const wholeCreate = us(step(WRITES, 5));
const expressLms = us(step(LMS, 0));
const casSave = us(step(LMS, 1));
const wholeLms = us(step(LMS, 2));
const sessionLoad = us(step(LOADS, 6));
const cachedRead = us(step(CACHED_DB, 0));
const cachedLoad = us(step(CACHED_DB, 1));
const cachedSessionLoad = us(step(CACHED_DB, 2));
/** The core comparison's load bound, on this bench's own figures: 1.15 × (one ioredis PING + the pickle's decode). */
/** The core comparison's load floor: a GET of a session-sized entry (bench/floor.bench.ts). */
const getFloor = us(step(ROUND_TRIPS, 2));
const loadBound = 1.15 * (getFloor + decode);
const table = groups.flatMap(([group, steps]) => [
  `| **${group}** | | | |`,
  ...steps.map(([name]) => `| ${name} | ${us(name).toFixed(1)} | ${server(name) > 0 ? server(name).toFixed(1) : ""} | ${(us(name) / nodePing).toFixed(2)}× |`),
]);
for (const line of table) console.log(line);

const f = (n: number) => n.toFixed(1);

/** The Session load against the core comparison's bound, on this bench's figures, step by step. */
function againstBound(): string {
  const storeStep = Math.max(0, engineLoad - engineRead - decode);
  const sessionStep = Math.max(0, sessionLoad - engineLoad);
  const start =
    `The whole Session load comes to ${f(sessionLoad)} µs: the GET (${f(engineRead)} µs), the pickle (${f(decode)} µs), the store's own step (${f(storeStep)} µs: the version's copy of the entry, a promise) and the Session's (${f(sessionStep)} µs: a promise settled, the expiry checked against the policy, the data map kept), against the core comparison's bound, 1.15 × (GET of a 1 KB entry + pickle) = ${f(loadBound)} µs here: `;
  return sessionLoad <= loadBound
    ? `${start}within it (${(sessionLoad / loadBound).toFixed(2)}×).`
    : `${start}${(sessionLoad / loadBound).toFixed(2)}× of it. What is left above it is the two steps, and the engine's GET over a plain one of the same size (${f(engineRead - getFloor)} µs).`;
}
const setAlone = step(WRITES, 2);
writeDocSection("redis-breakdown", [
  "## Where a Redis load and write spend their time",
  "",
  `Generated by \`node --import ./bench/ts-as-built.mjs bench/redis-breakdown.ts --seconds ${seconds} --rounds ${rounds}\` on ${utcStamp(new Date())} (${cpus()[0]?.model.trim() ?? "CPU"}, ${cpus().length} cores), one Redis on 127.0.0.1 without persistence. ` +
    "The core comparison's 1 KB payload; each step alone with one command in flight, in alternating rounds, best round. Inside Redis: the server's own time per operation from `INFO commandstats` over the same round (a script's nested commands count inside its EVALSHA); the rest is the client, the loopback and the event loop. The last column is the step's time over one node-redis PING (connect-redis's client).",
  "",
  "| step | µs | of which inside Redis, µs | / node-redis PING |",
  "|---|---:|---:|---:|",
  ...table,
  "",
  `**The round trip is most of every step.** One PING costs ${f(ioPing)} µs through ioredis and ${f(nodePing)} µs through node-redis on the same server in the same rounds, of which Redis itself spends ${f(server(step(ROUND_TRIPS, 0)))} µs: the rest is the two clients, the loopback and Node's event loop. The core comparison's floor is ioredis's PING for writes and its GET of a session-sized entry for loads; connect-redis runs on node-redis.`,
  "",
  `**The load.** The engine's whole load takes ${f(engineLoad)} µs against connect-redis's ${f(expressLoad)} µs. It sends one GET (${f(engineRead)} µs), then decodes the pickle (${f(decode)} µs; connect-redis's JSON.parse is inside its get). ` +
    "The entry's expiry does not come with it: every save sets the entry's TTL to the session's expiry to the millisecond, so an entry Redis answers is a live session, on Redis's clock, as a Django site reading the same entry finds it (Django keeps the expiry as the TTL and never reads it back). " +
    `The engine read the PTTL with the entry before, sent together in one round trip (${f(together)} µs), and before that in a Lua script (${f(script)} µs, ${f(server(step(LOADS, 3)))} µs of it inside Redis against ${f(server(step(LOADS, 2)))} µs for the two commands: a script's fixed cost). ` +
    againstBound(),
  "",
  `**The create.** connect-redis writes one SET of JSON (${f(expressWrite)} µs in all). The engine's create (${f(saveScript)} µs: the pickle, then one script, ${f(server(step(WRITES, 4)))} µs of it inside Redis against ${f(server(setAlone))} µs for a SET alone) sets the entry and keeps the dashboard's indexes in the same atomic step: the meta hash (creation time, owner, public id), the creation and expiry sorted sets and the owner's set, which the dashboard's lists, the kill of every session of a user and the pruning of expired index entries read. A whole Session create is ${f(wholeCreate)} µs. ` +
    "Level with connect-redis would take writing those indexes after the reply (a kill by user could then miss a session in its first moments) or not at all (no listing, no kill by user, the cache engine's dashboard gone), neither of which SessionScope does.",
  "",
  `**The load-modify-save.** connect-redis gets and sets (${f(expressLms)} µs: two round trips, the second a blind SET). The engine's is a load (${f(sessionLoad)} µs as a Session) and a save of ${f(casSave)} µs (${f(server(step(LMS, 1)))} µs of it inside Redis): the pickle, then one script that reads the entry, compares it with the value the load returned (the compare-and-swap that makes two requests on one session merge instead of losing a write), sets it, checks the owner in the meta hash and moves the hash's expiry and the session's place in the expiry index; ${f(wholeLms)} µs in all. ` +
    "The gap is the script and the indexes, as in the create. Level with connect-redis would take a blind SET (the last writer wins: the concurrent add-to-cart end-to-end spec would lose items) and no indexes.",
  "",
  `**cached_db's load, a cache hit.** ${f(cachedRead)} µs for its read (one MGET of the entry and the database version it came from: the version is the compare-and-swap's token, without which a save could not tell a stale cache from the database's value), ${f(cachedLoad)} µs for the store's whole load (the read under the cache guard's timer, which bounds a hung Redis at 500 ms, then the pickle) and ${f(cachedSessionLoad)} µs as a Session; against the core comparison's bound computed on this bench's figures, 1.15 × (GET ${f(getFloor)} + pickle ${f(decode)}) = ${f(loadBound)} µs, that is ${(cachedSessionLoad / loadBound).toFixed(2)}× (the Redis engine's Session load: ${(sessionLoad / loadBound).toFixed(2)}×). ` +
    "As with the cache engine, the entry's TTL is the session's expiry to the millisecond, so a hit reads no PTTL. What stands above the Redis engine's load is the version key's second reply and the guard's timer.",
]);
