/**
 * The rows `sessionscope seed` writes, generated in batches: each session
 * encoded by the codec as the framework saves it, with its meta row beside
 * it. Sessions spread as a real site's do: a few users hold many sessions
 * (Zipf-like), each user comes back from one or two devices and an address
 * cluster of their own, most sessions are recent, some have expired.
 *
 * Pure apart from the session keys and public ids (random by design): the
 * same plan gives the same users, devices, addresses and ages, so a worker
 * thread can generate any range of the rows.
 */
import {
  AUTH_BACKEND_KEY, AUTH_HASH_KEY, AUTH_USER_ID_KEY, buildSaveRecord, CREATED_KEY, createSessionCodec, generateSessionKey, MODEL_BACKEND, newPublicId,
  type SessionPolicy,
} from "../lib/session/index.ts";
import { CATALOGUE } from "../lib/node/db/catalogue.ts";
import { deviceFamily } from "../lib/node/device.ts";
import { CART_KEY, FLASH_KEY } from "../lib/node/shop-keys.ts";

export interface SeedUser {
  readonly id: number;
  /** The session auth hash login() stores for this user. */
  readonly authHash: string;
}

/** Everything a generator needs: plain data, so it crosses into a worker thread. */
export interface SeedPlan {
  readonly secretKey: string;
  readonly fallbackKeys: readonly string[];
  readonly policy: SessionPolicy;
  readonly nowMs: number;
  /** Share of sessions already expired, 0 to 100. */
  readonly expiredPercent: number;
  readonly users: readonly SeedUser[];
}

/** A batch of rows, column by column (cheap to post between threads). Times in epoch milliseconds. */
export interface SeedBatch {
  readonly keys: string[];
  readonly data: string[];
  readonly expires: number[];
  readonly publicIds: string[];
  readonly userIds: Array<number | null>;
  readonly created: number[];
  readonly activity: Array<number | null>;
  readonly ips: Array<string | null>;
  readonly agents: Array<string | null>;
  readonly devices: Array<string | null>;
}

const DAY_MS = 86_400_000;

/** Real user agents of the common families, with rough shares of traffic. */
export const USER_AGENTS: ReadonlyArray<readonly [weight: number, userAgent: string]> = [
  [24, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"],
  [10, "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"],
  [9, "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15"],
  [18, "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"],
  [16, "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36"],
  [4, "Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36"],
  [5, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0"],
  [4, "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"],
  [2, "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"],
  [3, "Mozilla/5.0 (iPad; CPU OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"],
  [1, "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"],
  [1, "curl/8.5.0"],
  [1, "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"],
];

const FLASH = ["Welcome back!", "Your cart was saved.", "Password changed.", "Order placed: thank you!"];

/** mulberry32: a small, fast, seedable generator (the rows need spread, not secrecy). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Index into `cumulative` (ascending, last = total) for a uniform draw. */
function pick(cumulative: Float64Array, draw: number): number {
  const target = draw * cumulative[cumulative.length - 1]!;
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid]! > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

const cumulate = (weights: ArrayLike<number>): Float64Array => {
  const out = new Float64Array(weights.length);
  let sum = 0;
  for (let i = 0; i < weights.length; i++) out[i] = sum += weights[i]!;
  return out;
};

/** A user's home: an IPv4 /24 (or, for about one in six, an IPv6 /64) and one to three devices. */
interface Home {
  readonly prefix: string;
  readonly v6: boolean;
  readonly agents: readonly number[];
}

function homeOf(userId: number, agentWeights: Float64Array): Home {
  const random = seededRandom(userId * 2_654_435_761);
  const v6 = random() < 0.16;
  const prefix = v6
    ? `2001:db8:${Math.floor(random() * 0xffff).toString(16)}:${Math.floor(random() * 0xffff).toString(16)}:`
    : `${11 + Math.floor(random() * 180)}.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}.`;
  const agents = Array.from({ length: 1 + Math.floor(random() * random() * 3) }, () => pick(agentWeights, random()));
  return { prefix, v6, agents };
}

const host = (random: () => number, v6: boolean) => (v6 ? `:${Math.floor(random() * 0xffff).toString(16)}` : String(1 + Math.floor(random() * 254)));

function anyAddress(random: () => number): string {
  if (random() < 0.12) return `2a00:${Math.floor(random() * 0xffff).toString(16)}:${Math.floor(random() * 0xffff).toString(16)}::${Math.floor(random() * 0xffff).toString(16)}`;
  return `${11 + Math.floor(random() * 180)}.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}.${1 + Math.floor(random() * 254)}`;
}

/** Zipf-like weights: the user of rank r holds a share proportional to 1 / r^0.9. */
const zipf = (count: number) => cumulate(Array.from({ length: count }, (_, rank) => 1 / (rank + 1) ** 0.9));

/** A generator of rows `[from, from + count)` for the plan. */
export function createRowGenerator(plan: SeedPlan): (from: number, count: number) => SeedBatch {
  const codec = createSessionCodec({ secretKey: plan.secretKey, fallbackKeys: [...plan.fallbackKeys] });
  const agentWeights = cumulate(USER_AGENTS.map(([weight]) => weight));
  const families = USER_AGENTS.map(([, agent]) => deviceFamily(agent));
  const userWeights = zipf(plan.users.length);
  const homes = new Map<number, Home>();
  const homeFor = (user: SeedUser) => {
    let home = homes.get(user.id);
    if (!home) homes.set(user.id, (home = homeOf(user.id, agentWeights)));
    return home;
  };
  const { policy, nowMs } = plan;
  const cookieAgeMs = policy.cookieAge * 1000;
  // Live sessions were created within the cookie age (at most the last two weeks), recent ones more often.
  const liveSpanMs = Math.max(60_000, Math.min(cookieAgeMs, 14 * DAY_MS) - 60_000);

  return (from, count) => {
    const random = seededRandom(from * 7919 + 17);
    const batch: SeedBatch = { keys: [], data: [], expires: [], publicIds: [], userIds: [], created: [], activity: [], ips: [], agents: [], devices: [] };
    for (let i = 0; i < count; i++) {
      // Exactly the share asked for, spread evenly through the rows.
      const expired = (from + i) % 100 < plan.expiredPercent;
      const ageMs = expired ? cookieAgeMs + Math.floor(random() * 7 * DAY_MS) + 1000 : Math.floor(random() * random() * liveSpanMs);
      // Whole seconds, as the session's creation timestamp is kept.
      const createdMs = Math.floor((nowMs - ageMs) / 1000) * 1000;
      const user = plan.users.length && random() < 0.6 ? plan.users[pick(userWeights, random())]! : null;
      const data = new Map<string, unknown>([[CREATED_KEY, createdMs / 1000]]);
      const items = Array.from({ length: Math.floor(random() * 4) }, () => ({ productId: 1 + Math.floor(random() * CATALOGUE.length), quantity: 1 + Math.floor(random() * 3) }));
      if (items.length) data.set(CART_KEY, { items });
      if (random() < 0.2) data.set(FLASH_KEY, [{ id: generateSessionKey().slice(0, 8), level: "info", text: FLASH[Math.floor(random() * FLASH.length)]! }]);
      if (user) {
        data.set(AUTH_USER_ID_KEY, String(user.id));
        data.set(AUTH_BACKEND_KEY, MODEL_BACKEND);
        data.set(AUTH_HASH_KEY, user.authHash);
      }
      // Saved as the framework saves a new session at `created`: signed then, expiring by the policy from then.
      const record = buildSaveRecord(data, codec, policy, new Date(createdMs));
      const expiresMs = record.expireDate.getTime();
      batch.keys.push(generateSessionKey());
      batch.data.push(record.encoded);
      batch.expires.push(expiresMs);
      batch.publicIds.push(newPublicId(createdMs));
      batch.userIds.push(user ? user.id : null);
      batch.created.push(createdMs);
      // Nine in ten came back after the first request; the last time lies between creation and the end.
      if (random() < 0.9) {
        const home = user ? homeFor(user) : null;
        const agent = home && random() < 0.85 ? home.agents[Math.floor(random() * home.agents.length)]! : pick(agentWeights, random());
        const ip = home && random() < 0.8 ? home.prefix + host(random, home.v6) : anyAddress(random);
        batch.activity.push(createdMs + Math.floor(random() * (Math.min(nowMs, expiresMs) - createdMs)));
        batch.ips.push(ip);
        batch.agents.push(USER_AGENTS[agent]![1]);
        batch.devices.push(families[agent] ?? null);
      } else {
        batch.activity.push(null);
        batch.ips.push(null);
        batch.agents.push(null);
        batch.devices.push(null);
      }
    }
    return batch;
  };
}
