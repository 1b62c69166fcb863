/**
 * The scale benchmark's loads: `sessionscope seed` itself (in process, as
 * the CLI runs it) and, beside it, the floor: the same kind of rows, ready
 * made, bulk-inserted into the same tables of a fresh database by the
 * plainest batched INSERTs (what any loader must at least pay).
 */
import { runSeed } from "../cli/seed.ts";
import { createRowGenerator, type SeedBatch } from "../cli/seed-rows.ts";
import { BATCH_SIZE } from "../cli/seed-batches.ts";
import { createBatchWriter } from "../cli/seed-writer.ts";
import type { Database } from "../lib/node/db/connection.ts";
import { DEFAULT_SESSION_POLICY, generateSessionKey, newPublicId } from "../lib/session/index.ts";

export const BENCH_SECRET = "bench-scale-secret-key-".padEnd(50, "x");

/** Synthetic users for a seed of `sessions`: one per fifty sessions, 10 to 20,000. */
export const usersFor = (sessions: number) => Math.max(10, Math.min(20_000, Math.round(sessions / 50)));

/** Share of expired sessions: what piles up between two daily clearsessions runs. */
export const EXPIRED_PERCENT = 2;

export function seedEnv(url: string): Record<string, string> {
  return { DATABASE_URL: url, SESSION_SECRET_KEY: BENCH_SECRET, SESSION_ENGINE: "db", NODE_ENV: "development" };
}

/** Runs `sessionscope seed --sessions N` against `url`; its wall time in ms. */
export async function timeSeed(url: string, sessions: number, now: Date): Promise<number> {
  const lines: string[] = [];
  const io = { stdout: (line: string) => lines.push(line), stderr: (line: string) => lines.push(line), now: () => now };
  const args = ["--sessions", String(sessions), "--users", String(usersFor(sessions)), "--expired", String(EXPIRED_PERCENT)];
  const started = performance.now();
  const code = await runSeed(args, { ...process.env, ...seedEnv(url) }, io);
  const ms = performance.now() - started;
  if (code !== 0) throw new Error(`seed failed (${code}): ${lines.join(" / ")}`);
  return ms;
}

/**
 * The floor: rows made beforehand (not timed), then only the inserts timed; ms. The rows are one
 * generated batch copied under new keys, public ids and times drawn as the seed draws them (so
 * that every index takes its inserts at the same spread of places as the seed's).
 */
export async function timeFloor(db: Database, sessions: number, now: Date): Promise<number> {
  const users = Array.from({ length: usersFor(sessions) }, (_, i) => ({ id: i + 1, authHash: "0".repeat(64) }));
  const template = createRowGenerator({ secretKey: BENCH_SECRET, fallbackKeys: [], policy: DEFAULT_SESSION_POLICY, nowMs: now.getTime(), expiredPercent: EXPIRED_PERCENT, users })(0, BATCH_SIZE);
  const writer = createBatchWriter(db, "db");
  let ms = 0;
  for (let from = 0; from < sessions; from += BATCH_SIZE) {
    const count = Math.min(BATCH_SIZE, sessions - from);
    const batch = freshCopy(template, count, now.getTime());
    const started = performance.now();
    await writer.write(batch);
    ms += performance.now() - started;
  }
  return ms;
}

const LIVE_SPAN_MS = (DEFAULT_SESSION_POLICY.cookieAge - 60) * 1000;

/** The template's first `count` rows under new session keys, public ids and times. */
function freshCopy(template: SeedBatch, count: number, nowMs: number): SeedBatch {
  const slice = <T>(values: T[]) => values.slice(0, count);
  const created = Array.from({ length: count }, () => Math.floor((nowMs - Math.random() * Math.random() * LIVE_SPAN_MS) / 1000) * 1000);
  const expires = created.map((ms) => ms + DEFAULT_SESSION_POLICY.cookieAge * 1000);
  return {
    ...template,
    keys: Array.from({ length: count }, () => generateSessionKey()),
    publicIds: created.map((ms) => newPublicId(ms)),
    created,
    expires,
    activity: slice(template.activity).map((at, i) => (at === null ? null : created[i]! + Math.floor(Math.random() * (nowMs - created[i]!)))),
    data: slice(template.data),
    userIds: slice(template.userIds),
    ips: slice(template.ips),
    agents: slice(template.agents),
    devices: slice(template.devices),
  };
}
