/**
 * Demo sessions, so that the dashboard is worth looking at on the first
 * `npm start`: about 150 sessions over the demo accounts, a few dozen
 * synthetic shoppers and anonymous visitors, on varied devices and addresses,
 * from a minute to two weeks old, some expired, two whose data cannot be
 * decoded and a few flagged (seen later from another network or device),
 * with the logins and logouts of the last two days in the activity record. Written through the configured engine as the framework writes
 * sessions (real Django session strings, real login hashes), with the
 * activity the binding would have recorded. Demo mode only; an engine that
 * already holds sessions is left alone, so a restart adds nothing.
 */
import {
  AUTH_BACKEND_KEY, AUTH_HASH_KEY, AUTH_USER_ID_KEY, buildSaveRecord, CREATED_KEY, createSessionCodec, generateSessionKey, MODEL_BACKEND, sessionAuthHash,
  supportsActivity, supportsListing, toUnixSeconds, type SessionCodec, type SessionPolicy, type SessionStore,
} from "../../session/index.ts";
import { deviceFamily } from "../device.ts";
import { CART_KEY } from "../shop-keys.ts";
import { CATALOGUE } from "./catalogue.ts";
import type { AppPrismaClient } from "./connection.ts";

export interface DemoSessionsTarget {
  readonly prisma: AppPrismaClient;
  readonly store: SessionStore;
  readonly codec: SessionCodec;
  readonly policy: SessionPolicy;
  readonly secretKey: string;
  readonly production: boolean;
  readonly now?: Date;
}

const USER_AGENTS = [
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.70",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
  "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
  "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:133.0) Gecko/20100101 Firefox/133.0",
  "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
  "curl/8.5.0",
];

const NETWORKS = ["203.0.113.", "198.51.100.", "192.0.2.", "10.0.4.", "10.0.7.", "2001:db8:4::", "2001:db8:9::"];
const SHOPPERS = 32;
const SESSIONS = 150;
const DAY = 86_400;

/** mulberry32: the same demo on every fresh start (stable screenshots), without a dependency. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function ensureShoppers(prisma: AppPrismaClient, now: Date): Promise<void> {
  const names = Array.from({ length: SHOPPERS }, (_, i) => `shopper-${String(i + 1).padStart(2, "0")}`);
  const existing = new Set((await prisma.authUser.findMany({ where: { username: { in: names } }, select: { username: true } })).map((u) => u.username));
  const missing = names.filter((name) => !existing.has(name));
  if (missing.length === 0) return;
  await prisma.authUser.createMany({
    data: missing.map((username, i) => ({
      username,
      // Django's unusable password: nobody logs in as a synthetic shopper.
      password: `!${generateSessionKey()}`,
      firstName: ["Maya", "Jonas", "Priya", "Tomás", "Lena", "Kofi", "Aiko", "Omar"][i % 8]!,
      lastName: "Shopper",
      email: `${username}@example.com`,
      isStaff: false,
      isSuperuser: false,
      isActive: true,
      dateJoined: now,
    })),
  });
}

/** Seeds the demo sessions into an empty engine; returns how many it wrote (0 when it left the engine alone). */
export async function seedDemoSessions(target: DemoSessionsTarget): Promise<number> {
  if (target.production) throw new Error("SessionScope: refusing to seed demo sessions in production (NODE_ENV=production).");
  const { prisma, store, codec, policy } = target;
  const now = target.now ?? new Date();
  // Only engines the dashboard can list; one that already holds sessions keeps exactly those.
  if (!supportsListing(store) || (await store.count({ status: "all" }, now)) > 0) return 0;
  await ensureShoppers(prisma, now);
  const users = await prisma.authUser.findMany({
    where: { OR: [{ username: { in: ["admin", "security", "viewer", "alice", "bob"] } }, { username: { startsWith: "shopper-" } }] },
    select: { id: true, username: true, password: true },
  });
  const byName = new Map(users.map((u) => [u.username, u]));
  // Who each session belongs to: the demo accounts a few times (alice and bob most), shoppers once to five times, a quarter anonymous.
  const owners: Array<(typeof users)[number] | null> = [];
  for (const [name, count] of [["admin", 2], ["security", 2], ["viewer", 1], ["alice", 9], ["bob", 6]] as const) {
    for (let i = 0; i < count && byName.has(name); i++) owners.push(byName.get(name)!);
  }
  const next = random(20_261_130);
  const pick = <T,>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  const shoppers = users.filter((u) => u.username.startsWith("shopper-"));
  while (owners.length < SESSIONS * 0.75 && shoppers.length) owners.push(pick(shoppers));
  while (owners.length < SESSIONS) owners.push(null);

  // Two rows signed with a key this site never had (another site sharing the table, a lost fallback key).
  const foreign = createSessionCodec({ secretKey: "a-secret-key-this-site-never-had-0123456789-demo" });
  let written = 0;
  // A second sequence for the flagged sessions and the activity record, so the sessions above stay as they were.
  const moves = random(20_261_202);
  const logins: Array<{ kind: string; at: Date; userId: number; sessionCount: number }> = [];
  for (const [index, owner] of owners.entries()) {
    // Redis drops an expired entry at once: expired demo sessions only make sense in a database.
    const expired = index % 7 === 3 && store.engine !== "cache";
    // Ages skewed towards the recent: most sessions are hours old, a few nearly two weeks.
    const age = expired ? policy.cookieAge + Math.floor(next() * 3 * DAY) : Math.floor(next() ** 2 * Math.min(policy.cookieAge - 3600, 13 * DAY)) + 60;
    const created = new Date(now.getTime() - age * 1000);
    const data = new Map<string, unknown>([[CREATED_KEY, toUnixSeconds(created)]]);
    if (owner) {
      data.set(AUTH_USER_ID_KEY, String(owner.id));
      data.set(AUTH_BACKEND_KEY, MODEL_BACKEND);
      data.set(AUTH_HASH_KEY, sessionAuthHash(owner.password, target.secretKey));
    }
    const lines = Math.floor(next() * 4);
    if (lines) data.set(CART_KEY, { items: Array.from({ length: lines }, () => ({ productId: 1 + Math.floor(next() * CATALOGUE.length), quantity: 1 + Math.floor(next() * 3) })) });
    const undecodable = store.engine !== "cache" && (index === 17 || index === 88);
    const record = buildSaveRecord(data, undecodable ? foreign : codec, policy, created);
    // Saved as at `created`: its expiry counts from then, and so must a TTL counted from now.
    const ttlSeconds = Math.max(1, record.ttlSeconds - age);
    const key = generateSessionKey();
    if (!(await store.save(key, { ...record, ttlSeconds }, null)).ok) continue;
    written++;
    if (supportsActivity(store) && index % 11 !== 5) {
      // Last seen some time between its creation and now (or its expiry).
      const until = Math.min(now.getTime(), record.expireDate.getTime());
      const at = new Date(created.getTime() + next() * (until - created.getTime()));
      const userAgent = pick(USER_AGENTS);
      const network = pick(NETWORKS);
      const ip = network + (network.endsWith("::") ? (1 + Math.floor(next() * 0xfff)).toString(16) : String(1 + Math.floor(next() * 254)));
      await store.recordActivity(key, { at, ip, userAgent, device: deviceFamily(userAgent) });
      // A few live signed-in sessions turn up later on another network (one also on another device): flagged.
      const moved = owner !== null && !expired && index % 23 === 9;
      if (moved && at.getTime() < until - 60_000) {
        const later = new Date(at.getTime() + 60_000 + moves() * (until - at.getTime() - 60_000));
        const elsewhere = pick(NETWORKS.filter((other) => other !== network));
        const otherAgent = index % 2 === 0 ? pick(USER_AGENTS.filter((other) => deviceFamily(other) !== deviceFamily(userAgent))) : userAgent;
        const otherIp = elsewhere + (elsewhere.endsWith("::") ? (1 + Math.floor(moves() * 0xfff)).toString(16) : String(1 + Math.floor(moves() * 254)));
        await store.recordActivity(key, { at: later, ip: otherIp, userAgent: otherAgent, device: deviceFamily(otherAgent) });
      }
    }
    // A signed-in session begun in the last two days began with a login: the overview's activity.
    if (owner && !expired && now.getTime() - created.getTime() < 2 * DAY * 1000) logins.push({ kind: "login", at: created, userId: owner.id, sessionCount: 1 });
  }
  // And some of those users logged out again from an earlier session.
  const logouts = logins.filter((_, i) => i % 3 === 1).map((login) => ({ ...login, kind: "logout", at: new Date(Math.min(now.getTime(), login.at.getTime() + moves() * 6 * 3_600_000)) }));
  if (logins.length) await prisma.activity.createMany({ data: [...logins, ...logouts] });
  return written;
}
