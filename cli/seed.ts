/**
 * `sessionscope seed`: fills the configured engine with realistic sessions,
 * for demos and benchmarks. Logged-in sessions belong to synthetic users
 * (`seed-user-0001`, ... with unusable passwords) created as needed.
 */
import { randomInt } from "node:crypto";
import {
  AUTH_BACKEND_KEY, buildSaveRecord, CREATED_KEY, createSessionCodec, generateSessionKey, AUTH_HASH_KEY, MODEL_BACKEND, AUTH_USER_ID_KEY,
  sessionAuthHash,
} from "../lib/session/index.ts";
import { CATALOGUE } from "../lib/node/db/catalogue.ts";
import { createLivePolicy } from "../lib/node/session/policy.ts";
import { CART_KEY, FLASH_KEY } from "../lib/node/shop-keys.ts";
import { UsageError, parseCommandArgs, wholeNumber } from "./args.ts";
import { runWithDataContext, type DataContext } from "./context.ts";
import { exitWith, type CliEnv, type CliIo } from "./io.ts";
import { withProgress, type ReportProgress } from "./progress.ts";
import { seedBatches } from "./seed-batches.ts";
import type { SeedPlan } from "./seed-rows.ts";
import { createBatchWriter, type BatchWriter } from "./seed-writer.ts";

export const SEED_HELP = `Usage: sessionscope seed --sessions N [--users M] [--expired PERCENT]

Writes N realistic sessions to the configured engine: carts, flash messages,
and (for about 60%) a logged-in user among M synthetic users, created over the
last two weeks. PERCENT of them are already expired (for clearsessions).
Refused in production (NODE_ENV=production outside demo mode).

Options:
  --sessions N       sessions to write (1 to 10000000)
  --users M          synthetic users to spread them over (default 100; 0 = all anonymous)
  --expired PERCENT  share already expired, 0 to 100 (default 10)
Exit status: 0 done, 1 failed, 2 usage error.`;

export interface SeedOptions {
  readonly sessions: number;
  readonly users: number;
  readonly expired: number;
  /** Worker threads that generate rows (no flag: undefined picks by size and cores, 0 generates inline). */
  readonly workers?: number;
}

function parseSeedArgs(argv: readonly string[]): SeedOptions | "help" {
  const { values, positionals, help } = parseCommandArgs(argv, { sessions: { type: "string" }, users: { type: "string" }, expired: { type: "string" } });
  if (help) return "help";
  if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
  const sessions = wholeNumber(values.sessions, "sessions", { min: 0, max: 10_000_000 });
  if (sessions === 0) throw new UsageError("--sessions must be at least 1");
  return {
    sessions,
    users: wholeNumber(values.users, "users", { min: 0, max: 100_000, fallback: 100 }),
    expired: wholeNumber(values.expired, "expired", { min: 0, max: 100, fallback: 10 }),
  };
}

export async function runSeed(argv: readonly string[], env: CliEnv, io: CliIo, tty: NodeJS.WriteStream | null = null): Promise<number> {
  let options: SeedOptions;
  try {
    const parsed = parseSeedArgs(argv);
    if (parsed === "help") return exitWith(io.stdout, SEED_HELP, 0);
    options = parsed;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`seed: ${error.message}`);
    return 2;
  }
  return runWithDataContext("seed", env, io, async (context) => {
    if (context.env.production) throw new Error("refusing to seed sessions in production (NODE_ENV=production outside demo mode)");
    const started = Date.now();
    const written = await withProgress("Seeding sessions", options.sessions, tty, (report) => seedSessions(context, options, io.now(), report));
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    io.stdout(`Wrote ${written.toLocaleString("en-US")} sessions to the ${context.store.engine} engine in ${seconds} s (${options.users} users, ${options.expired}% expired).`);
  });
}

async function ensureUsers(context: DataContext, count: number, now: Date): Promise<Array<{ id: number; password: string }>> {
  const prisma = context.db.prisma;
  const names = Array.from({ length: count }, (_, i) => `seed-user-${String(i + 1).padStart(4, "0")}`);
  const existing = await prisma.authUser.findMany({ where: { username: { in: names } }, select: { username: true } });
  const have = new Set(existing.map((u) => u.username));
  const missing = names.filter((name) => !have.has(name));
  for (let i = 0; i < missing.length; i += 500) {
    await prisma.authUser.createMany({
      data: missing.slice(i, i + 500).map((username) => ({
        username,
        // Django's unusable password: nobody can log in as a synthetic user.
        password: `!${generateSessionKey()}`,
        firstName: "Seed",
        lastName: username.slice(-4),
        email: `${username}@example.com`,
        isStaff: false,
        isSuperuser: false,
        isActive: true,
        dateJoined: now,
      })),
    });
  }
  return prisma.authUser.findMany({ where: { username: { in: names } }, select: { id: true, password: true } });
}

const FLASH = ["Welcome back!", "Your cart was saved.", "Password changed.", "Order placed: thank you!"];
const DAY = 86_400;

async function seedSessions(context: DataContext, options: SeedOptions, now: Date, report: ReportProgress): Promise<number> {
  const { config, db, store } = context;
  // Each user's session auth hash, as login() stores it (computed once per user, not per session).
  const users = (options.users > 0 ? await ensureUsers(context, options.users, now) : []).map((u) => ({
    id: u.id,
    authHash: sessionAuthHash(u.password, config.secretKey),
  }));
  // The policy the running site applies (the dashboard's settings over the environment's).
  const policy = await createLivePolicy(db.prisma, config).get();
  const plan: SeedPlan = { secretKey: config.secretKey, fallbackKeys: config.secretKeyFallbacks, policy, nowMs: now.getTime(), expiredPercent: options.expired, users };
  if (store.engine !== "db" && store.engine !== "cached_db") return saveOneByOne(context, plan, options, report);
  const written = await writeBatches(createBatchWriter(db, store.engine), plan, options, report);
  await refreshStatistics(db);
  return written;
}

/**
 * After a bulk load the planner's statistics are stale (or, on a new SQLite
 * file, absent), and it would pick a scan where an index serves: refresh them.
 * PostgreSQL also gets the VACUUM that autovacuum would run soon after so many
 * inserts: it marks the new pages all-visible, which lets the dashboard's
 * index-only scans skip the table (without it, every index entry a list or
 * count walks is checked against its table row until autovacuum comes).
 */
async function refreshStatistics(db: DataContext["db"]): Promise<void> {
  // SQLite: sampled (analysis_limit), so a million rows take a moment, not a full pass over every index.
  if (db.provider === "sqlite") db.sqlite.exec("PRAGMA analysis_limit = 1000; ANALYZE;");
  else await db.pool.query("VACUUM (ANALYZE) django_session, sessionscope_session_meta, auth_user");
}

/**
 * The SQL engines: straight into their tables, thousands of rows per
 * transaction (cached_db's cache fills itself on first read). PostgreSQL
 * keeps two batches in flight.
 */
async function writeBatches(writer: BatchWriter, plan: SeedPlan, options: SeedOptions, report: ReportProgress): Promise<number> {
  const depth = 2;
  const inFlight: Array<Promise<number>> = [];
  let written = 0;
  const settle = async () => {
    written += await inFlight.shift()!;
    report(written);
  };
  for await (const batch of seedBatches(plan, options.sessions, options.workers)) {
    inFlight.push(writer.write(batch).then(() => batch.keys.length));
    if (inFlight.length >= depth) await settle();
  }
  while (inFlight.length) await settle();
  return written;
}

/** The other engines (cache, file): through the store, a few writes in flight to hide network latency. */
async function saveOneByOne(context: DataContext, plan: SeedPlan, options: SeedOptions, report: ReportProgress): Promise<number> {
  const { config, store } = context;
  const codec = createSessionCodec({ secretKey: config.secretKey, fallbackKeys: config.secretKeyFallbacks });
  const { policy, users } = plan;
  const nowSeconds = Math.floor(plan.nowMs / 1000);
  let written = 0;
  const writeOne = async (index: number) => {
    const expired = index % 100 < options.expired;
    // Created some time in the last two weeks; an expired one also expired already.
    const age = expired ? policy.cookieAge + randomInt(1, 7 * DAY) : randomInt(0, Math.max(1, Math.min(policy.cookieAge, 14 * DAY) - 60));
    const created = new Date((nowSeconds - age) * 1000);
    const data = new Map<string, unknown>([[CREATED_KEY, nowSeconds - age]]);
    const user = users.length && randomInt(10) < 6 ? users[randomInt(users.length)]! : null;
    const items = Array.from({ length: randomInt(0, 4) }, () => ({ productId: randomInt(1, CATALOGUE.length + 1), quantity: randomInt(1, 4) }));
    if (items.length) data.set(CART_KEY, { items });
    if (randomInt(5) === 0) data.set(FLASH_KEY, [{ id: generateSessionKey().slice(0, 8), level: "info", text: FLASH[randomInt(FLASH.length)]! }]);
    if (user) {
      data.set(AUTH_USER_ID_KEY, String(user.id));
      data.set(AUTH_BACKEND_KEY, MODEL_BACKEND);
      data.set(AUTH_HASH_KEY, user.authHash);
    }
    // Saved as the framework saves a new session at `created`: signed then, expiring by the policy from then.
    const record = buildSaveRecord(data, codec, policy, created);
    // Its TTL counts from `created` too; the engine's counts from now, `age` whole seconds later.
    Object.assign(record, { ttlSeconds: Math.max(0, record.ttlSeconds - age) });
    const result = await store.save(generateSessionKey(), record, null);
    if (result.ok) written++;
    report(written);
  };
  const parallel = 8;
  for (let next = 0; next < options.sessions; ) {
    const batch = [];
    for (let j = 0; j < parallel && next < options.sessions; j++) batch.push(writeOne(next++));
    await Promise.all(batch);
  }
  return written;
}
