/**
 * The store at three session sizes (about 200 B, 1 KB and 8 KB of JSON), beside
 * better-sqlite3-session-store: the core comparison's create, load and
 * load-modify-save on the default setup (SQLite, WAL, synchronous=NORMAL, the
 * log checkpointed on a thread as the app's server does), with the same
 * realistic sessions as the codec at three sizes (bench/common.ts,
 * `realisticSession`). Three ways per size: SessionScope's default codec
 * (plain signed JSON below SESSION_COMPRESS_MIN_BYTES of JSON, compressed
 * above), the same with Django's rule (compress whenever shorter), and the
 * express store. What it shows: that no setting was tuned to the 1 KB
 * payload alone, and what the compression threshold buys a stored session.
 * Wall time, one operation at a time, rounds alternating the three ways, best
 * round per measurement. Writes its section of docs/benchmarks.md
 * ("store-sizes").
 *
 *   node --import ./bench/ts-as-built.mjs --import ./bench/server-only.mjs bench/store-sizes.bench.ts [--seconds 1] [--rounds 3]
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "../lib/node/db/connection.ts";
import { migrateDatabase } from "../lib/node/db/setup.ts";
import { createSessionCodec, createSqliteStore, dumpsPython, SESSION_COMPRESS_MIN_BYTES, Session, type SessionCodec, type SessionStore } from "../lib/session/index.ts";
import { BENCH_SECRET_KEY, createSession, expressSessionJson, loadModifySave, numberArg, parseArgs, realisticSession } from "./common.ts";
import { writeDocSection } from "./report/doc-section.ts";
import { utcStamp } from "./report/format.ts";

const args = parseArgs();
const seconds = numberArg(args, "seconds", 1);
const rounds = Math.max(1, Math.floor(numberArg(args, "rounds", 3)));
const SIZES = [["200 B", 200], ["1 KB", 1024], ["8 KB", 8192]] as const;
/** Sessions per size, cycled: each load reads a row the one before did not. */
const COUNT = 256;

const defaultCodec = createSessionCodec({ secretKey: BENCH_SECRET_KEY, verifiedCacheSize: 0 });
const djangoRule = createSessionCodec({ secretKey: BENCH_SECRET_KEY, verifiedCacheSize: 0, compressMinBytes: 0 });

const folder = mkdtempSync(join(tmpdir(), "sessionscope-store-sizes-"));
const handle = openDatabase(`file:${join(folder, "sizes.db")}`, { backgroundCheckpoints: true });
await migrateDatabase(handle);
if (handle.provider !== "sqlite") throw new Error("store-sizes: expected SQLite");
const file = handle.sqlite;
const store: SessionStore = createSqliteStore(file);
// better-sqlite3-session-store's table and statements, as it creates and runs them.
file.exec("CREATE TABLE sessions (sid PRIMARY KEY, expire TEXT NOT NULL, sess TEXT NOT NULL)");
const expressSet = file.prepare("INSERT OR REPLACE INTO sessions VALUES (?, ?, ?)");
const expressGet = file.prepare("SELECT sess FROM sessions WHERE sid = ? AND ? <= expire");
const sqliteDate = (date: Date) => date.toISOString().replace("T", " ").replace("Z", "");
const expire = () => sqliteDate(new Date(Date.now() + 14 * 86_400_000));
const newSid = () => randomBytes(24).toString("base64url");

interface Way {
  readonly name: string;
  create(i: number): unknown;
  load(i: number): unknown;
  lms(i: number): unknown;
  /** Average characters stored per session. */
  stored(): number;
}

async function sessionScopeWay(name: string, codec: SessionCodec, sessions: readonly Map<string, unknown>[]): Promise<Way> {
  const keys: string[] = [];
  for (let i = 0; i < COUNT; i++) keys.push(await createSession(store, codec, sessions[i]!));
  const size = file.prepare(`SELECT avg(length(session_data)) AS n FROM django_session WHERE session_key IN (${keys.map(() => "?").join(",")})`);
  return {
    name,
    create: (i) => createSession(store, codec, sessions[i % COUNT]!),
    load: (i) => new Session({ key: keys[i % COUNT]!, store, codec }).load(),
    lms: (i) => loadModifySave(store, codec, keys[i % COUNT]!, i),
    stored: () => (size.get(...keys) as { n: number }).n,
  };
}

function expressWay(sessions: readonly Map<string, unknown>[]): Way {
  const sids = sessions.map(() => newSid());
  for (const [i, sid] of sids.entries()) expressSet.run(sid, expire(), expressSessionJson(sessions[i]!));
  const get = (sid: string) => JSON.parse((expressGet.get(sid, sqliteDate(new Date())) as { sess: string }).sess) as Record<string, unknown>;
  const size = file.prepare(`SELECT avg(length(sess)) AS n FROM sessions WHERE sid IN (${sids.map(() => "?").join(",")})`);
  return {
    name: "express-session: better-sqlite3-session-store",
    // The store's work as express-session drives it (see bench/express-session.bench.ts): its set is one INSERT OR REPLACE of the JSON.
    create: (i) => expressSet.run(newSid(), expire(), expressSessionJson(sessions[i % COUNT]!)),
    load: (i) => get(sids[i % COUNT]!),
    lms: (i) => {
      const sid = sids[i % COUNT]!;
      const sess = get(sid);
      sess.counter = i;
      expressSet.run(sid, expire(), JSON.stringify(sess));
    },
    stored: () => (size.get(...sids) as { n: number }).n,
  };
}

async function time(run: (i: number) => unknown): Promise<number> {
  // A fifth of the time untimed first: the statements, the JIT and the page cache warm.
  for (let i = 0, end = performance.now() + seconds * 200; performance.now() < end; i++) await run(i);
  const until = performance.now() + seconds * 1000;
  let n = 0;
  const started = performance.now();
  while (performance.now() < until) await run(n++);
  return ((performance.now() - started) * 1000) / n;
}

const OPS = ["create", "load", "lms"] as const;
type Op = (typeof OPS)[number];
const rows: Array<{ size: string; json: number; way: string; stored: number; us: Record<Op, number> }> = [];
for (const [label, target] of SIZES) {
  const sessions = Array.from({ length: COUNT }, (_, i) => realisticSession(target, i + 1));
  const json = sessions.reduce((sum, s) => sum + dumpsPython(s).length, 0) / COUNT;
  const ways = [
    await sessionScopeWay(`SessionScope, default (compressed from ${SESSION_COMPRESS_MIN_BYTES} bytes of JSON)`, defaultCodec, sessions),
    await sessionScopeWay("SessionScope, Django's rule (compressed whenever shorter)", djangoRule, sessions),
    expressWay(sessions),
  ];
  const best = new Map<string, number>();
  for (let round = 0; round < rounds; round++) {
    for (const way of ways) {
      for (const op of OPS) {
        const key = `${way.name}|${op}`;
        best.set(key, Math.min(best.get(key) ?? Infinity, await time((i) => way[op](i))));
      }
    }
  }
  for (const way of ways) {
    const us = Object.fromEntries(OPS.map((op) => [op, best.get(`${way.name}|${op}`)!])) as Record<Op, number>;
    rows.push({ size: label, json, way: way.name, stored: way.stored(), us });
    console.log(`${label.padEnd(6)} ${way.name.padEnd(62)} create ${us.create.toFixed(1)} µs  load ${us.load.toFixed(1)} µs  lms ${us.lms.toFixed(1)} µs  stored ${Math.round(way.stored())}`);
  }
}
await handle.close();
rmSync(folder, { recursive: true, force: true });

const f = (us: number) => `${us.toFixed(1)} µs`;
const row = (size: string, way: string) => rows.find((r) => r.size === size && r.way.startsWith(way))!;
const lines = [
  "## The store at three session sizes",
  "",
  `Generated by \`node --import ./bench/ts-as-built.mjs --import ./bench/server-only.mjs bench/store-sizes.bench.ts --seconds ${seconds} --rounds ${rounds}\` on ${utcStamp(new Date())} (${cpus()[0]?.model.trim() ?? "CPU"}, ${cpus().length} cores).`,
  "",
  `The core comparison's create, load and load-modify-save on the default setup (SQLite, WAL, synchronous=NORMAL, the log checkpointed on a thread), at the codec section's three sizes, with its realistic sessions (${COUNT} per size, cycled; floats included). ` +
    `Three ways per size, in the same file: SessionScope's default (plain signed JSON below ${SESSION_COMPRESS_MIN_BYTES} bytes of JSON, compressed above), SessionScope with Django's rule (compressed whenever that is shorter), and better-sqlite3-session-store's statements as express-session drives them. The verified-value cache is off, so every load checks and parses. Wall time, one operation at a time, ${rounds} rounds alternating the ways, best round.`,
  "",
  "| size (JSON chars) | way | stored chars | create | load | load-modify-save | SessionScope / express: create, load, load-modify-save |",
  "|---|---|---:|---:|---:|---:|---|",
  ...rows.map((r) => {
    const express = row(r.size, "express-session");
    const vs = r.way.startsWith("express") ? "" : OPS.map((op) => `${(express.us[op] / r.us[op]).toFixed(2)}×`).join(", ");
    return `| ${r.size} (${Math.round(r.json)}) | ${r.way} | ${Math.round(r.stored)} | ${f(r.us.create)} | ${f(r.us.load)} | ${f(r.us.lms)} | ${vs} |`;
  }),
  "",
  (() => {
    const at = (size: string) => ({ ours: row(size, "SessionScope, default"), django: row(size, "SessionScope, Django's rule") });
    const small = at("1 KB");
    const large = at("8 KB");
    const tiny = at("200 B");
    return (
      `**The compression threshold over all three sizes.** Below it, compressing costs every write its deflate and every load its inflate for fewer bytes in a row that fits a page either way: at 200 B and 1 KB the default's create and load-modify-save take ${f(tiny.ours.us.create)} and ${f(tiny.ours.us.lms)} (200 B), ${f(small.ours.us.create)} and ${f(small.ours.us.lms)} (1 KB), against ${f(tiny.django.us.create)} and ${f(tiny.django.us.lms)}, ${f(small.django.us.create)} and ${f(small.django.us.lms)} compressed. ` +
      `At 8 KB both ways compress (the JSON is past the threshold): ${Math.round(large.ours.stored)} stored characters instead of the ${Math.round(large.ours.json * 1.37)} or so that plain base64 of the JSON would take, several SQLite pages less per row. The express store keeps \`JSON.stringify\`'s text, with no signature; what that difference costs a write at each size is the ratio column, and the sections above say where a write's time goes.`
    );
  })(),
];
writeDocSection("store-sizes", lines);
console.log("written: store-sizes");
process.exit(0);
