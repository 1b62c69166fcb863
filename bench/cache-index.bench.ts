/**
 * How fast does the cache engine index the session entries a Django site
 * wrote into Redis? Starts a throw-away redis-server on 127.0.0.1 (or uses
 * REDIS_URL), writes N entries as Django's cache backend does (the pickled
 * dict under KEY_PREFIX:VERSION:django.contrib.sessions.cache<key>, with a
 * TTL; two thirds logged in) plus as many keys of other kinds the SCAN must
 * walk past, then times a full pass (SCAN, read, decode, index, prune) and a
 * second pass that finds nothing new (the every-minute cost).
 *   node --import ./bench/ts-as-built.mjs bench/cache-index.bench.ts [--rows 100000] [--batch 1000]
 */
import { cpus, loadavg } from "node:os";
import { Redis } from "ioredis";
import { createDjangoCacheIndexer, dumpsPickle, generateSessionKey } from "../lib/session/index.ts";
// @ts-expect-error: plain JavaScript module shared with scripts/test.mjs
import { startRedis } from "../test/services/services.mjs";
import { numberArg, parseArgs } from "./common.ts";

const args = parseArgs();
const rows = numberArg(args, "rows", 100_000);
const batch = numberArg(args, "batch", 1_000);
const SITE = { keyPrefix: "bench", version: 2 };

const server = process.env.REDIS_URL ? null : ((await startRedis()) as { url: string; stop(): void } | null);
const url = process.env.REDIS_URL ?? server?.url;
if (!url) throw new Error("no redis-server installed and no REDIS_URL given");
const redis = new Redis(url);
try {
  await redis.flushdb();
  let t = performance.now();
  for (let done = 0; done < rows; done += 10_000) {
    const pipeline = redis.pipeline();
    for (let i = done; i < Math.min(rows, done + 10_000); i++) {
      const data = i % 3 === 0 ? { cart: [i % 97] } : { _auth_user_id: String(1 + (i % 5000)), _auth_user_backend: "django.contrib.auth.backends.ModelBackend", _auth_user_hash: "f".repeat(64) };
      pipeline.set(`${SITE.keyPrefix}:${SITE.version}:django.contrib.sessions.cache${generateSessionKey()}`, dumpsPickle(data), "EX", 3600 + (i % 86_400));
      pipeline.set(`${SITE.keyPrefix}:${SITE.version}:views.page.${i}`, "x", "EX", 3600); // the site's other cache keys
    }
    await pipeline.exec();
  }
  console.log(`wrote ${rows.toLocaleString("en-US")} Django cache sessions (+ as many other keys) in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  const indexer = createDjangoCacheIndexer(redis, { ...SITE, cookieAge: 1_209_600, batchSize: batch });
  t = performance.now();
  const first = await indexer.run();
  const firstSeconds = (performance.now() - t) / 1000;
  if (first.indexed !== rows) throw new Error(`indexed ${first.indexed}, expected ${rows}`);
  t = performance.now();
  const second = await indexer.run();
  const secondSeconds = (performance.now() - t) / 1000;
  if (second.indexed !== 0) throw new Error(`second pass indexed ${second.indexed}`);
  const rate = (n: number, s: number) => `${Math.round(n / s).toLocaleString("en-US")}/s`;
  console.log(`machine: ${cpus().length} cores, load ${loadavg()[0]!.toFixed(2)}; batch ${batch}`);
  console.log(`first pass (index everything): ${firstSeconds.toFixed(2)} s, ${rate(rows, firstSeconds)}`);
  console.log(`second pass (nothing new):     ${secondSeconds.toFixed(2)} s, ${rate(rows, secondSeconds)} entries checked`);
} finally {
  redis.disconnect();
  server?.stop();
}
