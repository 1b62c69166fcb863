// What the dashboard's tests share: the data layer's context on each engine
// that can list sessions (db and cached_db on SQLite and PostgreSQL, cache on
// Redis) plus one that cannot (signed cookies), the demo roles as callers,
// and sessions made the way the app makes them (a Session saved through the
// engine, activity recorded as the binding records it).
import type { Redis } from "ioredis";
import type { PolicySettings } from "../../lib/admin-api.ts";
import { deviceFamily } from "../../lib/node/device.ts";
import type { AppPrismaClient } from "../../lib/node/db/connection.ts";
import type { AdminUser } from "../../lib/server/admin/access.ts";
import type { AdminContext } from "../../lib/server/admin/context.ts";
import { driverQuery } from "../../lib/server/admin/raw-query.ts";
import { envPolicy } from "../../lib/node/session/policy.ts";
import type { RequestInfo } from "../../lib/node/session/request-info.ts";
import {
  AUTH_BACKEND_KEY, AUTH_HASH_KEY, AUTH_USER_ID_KEY, CREATED_KEY, DEFAULT_SESSION_POLICY, MODEL_BACKEND, Session, defineSessionConfig, supportsActivity,
  type SessionPolicy, type SessionStore,
} from "../../lib/session/index.ts";
import { COOKIE_AGE, DATABASES, TEST_CODEC, TEST_SECRET, engines, openRedis, openSqlStore, type DatabaseBackend } from "../helpers/backends.ts";
import { createTestClock, type TestClock } from "../helpers/clock.ts";
import type { TestDatabase } from "../helpers/databases.ts";
import type { Service } from "../helpers/services.ts";
import type { Role } from "../../lib/roles.ts";

export const FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
export const IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1";
export const CHROME_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36";

export const INFO: RequestInfo = { ip: "198.51.100.9", userAgent: FIREFOX, https: false };

/** The live policy's settings at Django's defaults (two weeks, no idle timeout nor lifetime): what the policy tests change. */
export const DEFAULT_POLICY_SETTINGS: PolicySettings = {
  cookieAge: 14 * 86_400,
  expireAtBrowserClose: false,
  saveEveryRequest: false,
  idleTimeout: null,
  absoluteLifetime: null,
  cookieSecure: false,
  cookieSameSite: "Lax",
  maxSessionsPerUser: null,
};

export interface AdminHarness {
  readonly context: AdminContext;
  readonly t: TestDatabase;
  readonly store: SessionStore;
  readonly clock: TestClock;
  /** The policy the context's runtime applies (tests may change it). */
  policy: SessionPolicy;
  /** The demo accounts (alice and bob have no role). */
  readonly users: Record<"admin" | "security" | "viewer" | "alice" | "bob", UserRef>;
  /** The three roles as the data layer's callers. */
  readonly callers: Record<Role, AdminUser>;
  /** The Redis client of the engine, when it has one. */
  readonly redis: Redis | null;
  dispose(): Promise<void>;
}

export interface AdminBackend {
  /** The engine as SESSION_ENGINE names it. */
  readonly engine: "db" | "cached_db" | "cache" | "signed_cookies";
  readonly name: string;
  readonly needs: readonly Service[];
  /** Whether the engine keeps the last activity, address and device of a session. */
  readonly recordsActivity: boolean;
  open(): Promise<AdminHarness>;
}

export interface UserRef {
  readonly id: number;
  readonly username: string;
}

const ROLE_OF = { admin: "admin", security: "security", viewer: "viewer", alice: null, bob: null } as const satisfies Record<string, Role | null>;

/** The stored password hash of a demo user: Django's unusable form (nobody logs in with a password here). */
export const passwordHashOf = (username: string) => `!unusable-${username}`;

/** The demo accounts (admin, security and viewer with their roles; alice and bob without). */
export async function createUsers(prisma: AppPrismaClient): Promise<AdminHarness["users"]> {
  const users = {} as Record<keyof typeof ROLE_OF, UserRef>;
  for (const [username, role] of Object.entries(ROLE_OF) as Array<[keyof typeof ROLE_OF, Role | null]>) {
    const row = await prisma.authUser.create({
      data: {
        username,
        password: passwordHashOf(username),
        firstName: username,
        lastName: "",
        email: `${username}@example.com`,
        isStaff: role !== null,
        isSuperuser: role === "admin",
        isActive: true,
        dateJoined: new Date(),
        ...(role ? { role: { create: { role } } } : {}),
      },
    });
    users[username] = { id: row.id, username };
  }
  return users;
}

const callersOf = (users: AdminHarness["users"]): AdminHarness["callers"] => ({
  admin: { ...users.admin, firstName: "admin", role: "admin" },
  security: { ...users.security, firstName: "security", role: "security" },
  viewer: { ...users.viewer, firstName: "viewer", role: "viewer" },
});

function harness(
  engine: AdminBackend["engine"],
  database: DatabaseBackend,
  build: (t: TestDatabase, clock: TestClock, redis: Redis | null) => SessionStore,
  withRedis: boolean,
): AdminBackend["open"] {
  return async () => {
    const clock = createTestClock();
    const redis = withRedis ? await openRedis() : null;
    const t = await database.open();
    const store = build(t, clock, redis);
    const config = defineSessionConfig({ secretKey: TEST_SECRET, cookieAge: COOKIE_AGE });
    const users = await createUsers(t.db.prisma);
    const h: AdminHarness = {
      t,
      store,
      clock,
      redis,
      policy: DEFAULT_SESSION_POLICY,
      users,
      callers: callersOf(users),
      context: undefined as unknown as AdminContext,
      async dispose() {
        redis?.disconnect();
        await t.dispose();
      },
    };
    Object.assign(h, {
      context: {
        prisma: t.db.prisma,
        provider: t.db.provider,
        runtime: { config, codec: TEST_CODEC, store, engine, policy: { get: async () => ({ ...envPolicy(config), ...h.policy }), invalidate: () => {} } },
        now: () => clock(),
        query: driverQuery(t.db),
      } satisfies AdminContext,
    });
    return h;
  };
}

const [SQLITE, POSTGRESQL] = DATABASES as [DatabaseBackend, DatabaseBackend];

const decode = (clock: TestClock) => (encoded: string) => {
  const result = TEST_CODEC.decode(encoded, clock());
  return result.ok ? result.data : null;
};

/** Every engine the dashboard lists, on its real services. */
export const LISTING_BACKENDS: readonly AdminBackend[] = [
  ...[SQLITE, POSTGRESQL].map((database): AdminBackend => ({
    engine: "db",
    name: `db on ${database.name}`,
    needs: database.needs,
    recordsActivity: true,
    open: harness("db", database, (t, clock) => openSqlStore(t, { clock }), false),
  })),
  ...[SQLITE, POSTGRESQL].map((database): AdminBackend => ({
    engine: "cached_db",
    name: `cached_db on ${database.name} + Redis`,
    needs: [...database.needs, "redis"],
    recordsActivity: true,
    open: harness("cached_db", database, (t, clock, redis) => engines.cachedDb(openSqlStore(t, { clock, metaEngine: "cached_db" }), redis!, { decode: decode(clock), clock }), true),
  })),
  {
    engine: "cache",
    name: "cache on Redis (users and audit on SQLite)",
    needs: ["redis"],
    recordsActivity: false,
    open: harness("cache", SQLITE, (_t, clock, redis) => engines.redis(redis!, { clock }), true),
  },
];

/** An engine that keeps nothing server-side. */
export const SIGNED_COOKIES_BACKEND: AdminBackend = {
  engine: "signed_cookies",
  name: "signed_cookies (users and audit on SQLite)",
  needs: [],
  recordsActivity: false,
  open: harness("signed_cookies", SQLITE, (_t, clock) => engines.signedCookies({ secretKey: TEST_SECRET, maxAge: COOKIE_AGE, clock }), false),
};

export interface NewSession {
  readonly user?: UserRef;
  readonly userAgent?: string;
  readonly ip?: string;
  /** Seconds before the clock's now that the session was created (its `_session_created`). */
  readonly ageSeconds?: number;
  readonly data?: Record<string, unknown>;
  readonly policy?: SessionPolicy;
}

/** A session saved through the engine as the app saves one; returns it (its key is the cookie's value). */
export async function createSession(h: AdminHarness, options: NewSession = {}): Promise<Session> {
  const now = h.clock();
  const session = await new Session({ key: null, store: h.store, codec: TEST_CODEC, policy: options.policy ?? h.policy, clock: h.clock }).load();
  if (options.ageSeconds) session.set(CREATED_KEY, Math.floor(now.getTime() / 1000) - options.ageSeconds);
  if (options.user) {
    session.set(AUTH_USER_ID_KEY, String(options.user.id));
    session.set(AUTH_BACKEND_KEY, MODEL_BACKEND);
    session.set(AUTH_HASH_KEY, `hash-of-${options.user.username}-0123456789abcdef`);
  }
  session.update(options.data ?? { cart: { items: [{ productId: 1, quantity: 2 }] } });
  await session.save();
  if (supportsActivity(h.store) && (options.userAgent || options.ip)) {
    const userAgent = options.userAgent ?? null;
    await h.store.recordActivity(session.key!, { at: now, ip: options.ip ?? null, userAgent, device: deviceFamily(userAgent) });
  }
  return session;
}

/** Whether the engine still has the session under `key` (what its next request would find). */
export async function isAlive(h: AdminHarness, key: string): Promise<boolean> {
  return (await h.store.load(key, h.clock())) !== null;
}
