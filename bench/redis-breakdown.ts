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
import { cpus } from "node:os";
import { RedisStore } from "connect-redis";
import { Redis } from "ioredis";
import { createClient } from "redis";
import { createRedisStore, createSessionCodec, dumpsPickle, loadsPickle, Session } from "../lib/session/index.ts";
// @ts-expect-error: plain JavaScript module shared with scripts/test.mjs
import { startRedis } from "../test/services/services.mjs";
import { BENCH_SECRET_KEY, createSession, expressSessionJson, numberArg, parseArgs, readPayload } from "./common.ts";
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
const express = new RedisStore({ client: node, prefix: "sess:" });
const expressSession = JSON.parse(json) as Record<string, unknown>;
const expressGet = (sid: string) => new Promise((resolve, reject) => express.get(sid, (error, value) => (error ? reject(error) : resolve(value))));
const expressSet = (sid: string) => new Promise<void>((resolve, reject) => express.set(sid, expressSession as never, (error) => (error ? reject(error) : resolve())));

let serial = 0;
const newKey = () => `${(serial++).toString(36)}${randomBytes(12).toString("hex")}`.slice(0, 32);

/** Sessions (and plain entries) to read, made once. */
const keys: string[] = [];
for (let i = 0; i < 2000; i++) {
  keys.push(await createSession(store, codec, payload));
  await expressSet(`e${i}`);
  await io.set(`plain:${i}`, pickled, "EX", TTL);
}
// Django's cache key for a session (KEY_PREFIX:VERSION:django.contrib.sessions.cache<key>), as the engine wrote it.
const [written] = (await io.keys(`*${keys[0]}`)).filter((k) => k.endsWith(`sessions.cache${keys[0]}`));
if (!written) throw new Error("redis-breakdown: the engine's entry is not where Django keeps it");
const entryPrefix = written.slice(0, -keys[0]!.length);
const entry = (i: number) => entryPrefix + keys[i % keys.length]!;
/** The engine's earlier read: GET and PTTL in one script. */
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
const groups: Array<readonly [string, Step[]]> = [
  [ROUND_TRIPS, [
    ["ioredis PING (the core comparison's floor)", () => io.ping()],
    ["node-redis PING", () => node.ping()],
    ["ioredis GET of a 1 KB entry, as a Buffer", (i) => io.getBuffer(`plain:${i % 2000}`)],
    ["node-redis GET of a 1 KB entry", (i) => node.get(`sess:e${i % 2000}`)],
  ]],
  [LOADS, [
    ["connect-redis get: its whole load (GET, JSON.parse)", (i) => expressGet(`e${i % 2000}`)],
    ["GET and PTTL sent together, one round trip (the engine's read)", (i) => Promise.all([io.getBuffer(entry(i)), io.pttl(entry(i))])],
    ["the same two in a Lua script instead (EVALSHA, one atomic read)", (i) => io.callBuffer("EVALSHA", GET_AND_PTTL, 1, entry(i))],
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
redisServer?.stop();

const us = (name: string) => best.get(name)!.total;
const server = (name: string) => best.get(name)!.server;
const step = (group: string, index: number) => groups.find(([g]) => g === group)![1][index]![0];
const ioPing = us(step(ROUND_TRIPS, 0));
const nodePing = us(step(ROUND_TRIPS, 1));
const expressLoad = us(step(LOADS, 0));
const engineLoad = us(step(LOADS, 4));
const together = us(step(LOADS, 1));
const script = us(step(LOADS, 2));
const decode = us(step(LOADS, 3));
const expressWrite = us(step(WRITES, 0));
const saveScript = us(step(WRITES, 4));
const wholeCreate = us(step(WRITES, 5));
const table = groups.flatMap(([group, steps]) => [
  `| **${group}** | | | |`,
  ...steps.map(([name]) => `| ${name} | ${us(name).toFixed(1)} | ${server(name) > 0 ? server(name).toFixed(1) : ""} | ${(us(name) / nodePing).toFixed(2)}× |`),
]);
for (const line of table) console.log(line);

const f = (n: number) => n.toFixed(1);
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
  `**The round trip is most of every step.** One PING costs ${f(ioPing)} µs through ioredis and ${f(nodePing)} µs through node-redis on the same server in the same rounds, of which Redis itself spends ${f(server(step(ROUND_TRIPS, 0)))} µs: the rest is the two clients, the loopback and Node's event loop. The core comparison's floor is ioredis's PING; connect-redis runs on node-redis.`,
  "",
  `**The load.** The engine's whole load takes ${f(engineLoad)} µs against connect-redis's ${f(expressLoad)} µs. It sends GET and PTTL together (${f(together)} µs, one round trip; the expiry has to come with the entry, since Django's cache entry holds the data alone and its TTL is the session's expiry), then decodes the pickle (${f(decode)} µs; connect-redis's JSON.parse is inside its get). ` +
    `The same two commands in a Lua script, as the engine read until this bench, take ${f(script)} µs (${f(server(step(LOADS, 2)))} µs of it inside Redis, against ${f(server(step(LOADS, 1)))} µs for the two commands): a script's fixed cost, on the server and in the client. The two commands are not one atomic read; an entry deleted between them answers -2 and counts as gone, and one replaced between them gives the older value a later expiry, whose save then conflicts and reloads.`,
  "",
  `**The create.** connect-redis writes one SET of JSON (${f(expressWrite)} µs in all). The engine's create (${f(saveScript)} µs: the pickle, then one script, ${f(server(step(WRITES, 4)))} µs of it inside Redis against ${f(server(setAlone))} µs for a SET alone) sets the entry and keeps the dashboard's indexes in the same atomic step: the meta hash (creation time, owner, public id), the creation and expiry sorted sets and the owner's set, which the dashboard's lists, the kill of every session of a user and the pruning of expired index entries read. A whole Session create is ${f(wholeCreate)} µs. ` +
    "Level with connect-redis would take writing those indexes after the reply (a kill by user could then miss a session in its first moments) or not at all (no listing, no kill by user, the cache engine's dashboard gone), neither of which SessionScope does.",
]);
