/**
 * SessionScope's configuration: every environment variable it reads, parsed
 * and validated once. Session settings keep Django's names and defaults.
 * Nothing else in the app reads process.env.
 */
import { z } from "zod";
import { parseMemcachedUrl } from "./memcached-servers.ts";
import { DEFAULT_PBKDF2_ITERATIONS, defineSessionConfig, SessionConfigError, type SessionConfig } from "../session/index.ts";

const DEV_SECRET_KEY = "sessionscope-insecure-development-key-do-not-use-in-production";
const MIN_SECRET_LENGTH = 50;

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no", "on", "off", "True", "False"])
  .transform((value) => ["true", "1", "yes", "on", "True"].includes(value));

const seconds = z.coerce.number().int().nonnegative();

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().default("127.0.0.1"),
  DATABASE_URL: z
    .string()
    .default("file:./var/sessionscope.db")
    .refine((url) => /^(file:|postgres(ql)?:\/\/)/.test(url), {
      message: "must be a file: URL (SQLite) or a postgresql:// URL",
    }),
  REDIS_URL: z
    .string()
    .refine((url) => /^rediss?:\/\//.test(url), { message: "must be a redis:// or rediss:// URL" })
    .optional(),
  /**
   * PostgreSQL: the longest the app waits for one query, in milliseconds (and for a pooled connection,
   * when below 5 s); a request that would wait longer answers 503 with Retry-After.
   */
  DATABASE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  /** Memcached for the cache engines: memcached://host:port, several servers comma-separated (placed as pymemcache's HashClient places them). */
  MEMCACHED_URL: z
    .string()
    .superRefine((url, ctx) => {
      try {
        parseMemcachedUrl(url);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: (error as Error).message });
      }
    })
    .optional(),
  /** Which cache the cache and cached_db engines use when both REDIS_URL and MEMCACHED_URL are set. */
  SESSION_CACHE_BACKEND: z.enum(["redis", "memcached"]).optional(),
  SESSION_SECRET_KEY: z.string().default(DEV_SECRET_KEY),
  SESSION_SECRET_KEY_FALLBACKS: z
    .string()
    .default("")
    .transform((list) => list.split(",").map((key) => key.trim()).filter(Boolean)),
  /** Django's own value ("django.contrib.sessions.backends.cached_db") is accepted as well as the short name. */
  SESSION_ENGINE: z
    .preprocess((value) => (typeof value === "string" ? value.replace(/^django\.contrib\.sessions\.backends\./, "") : value), z.enum(["db", "cache", "cached_db", "file", "signed_cookies"]))
    .default("db"),
  /** Django's SESSION_SERIALIZER: JSON only (checked in parseEnv, which explains a pickle serializer's refusal). */
  SESSION_SERIALIZER: z.string().default("django.contrib.sessions.serializers.JSONSerializer"),
  /** Django's CACHES["default"]["KEY_PREFIX"] and ["VERSION"]: the cache and cached_db engines' keys are KEY_PREFIX:VERSION:... */
  CACHE_KEY_PREFIX: z.string().default(""),
  CACHE_VERSION: z.coerce.number().int().default(1),
  /** cached_db: how long a cached entry is served without a look at the database (docs/engines.md, "When the cache is down"). */
  SESSION_CACHE_VERIFY_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  /** Folder of the file engine; relative paths are resolved against the working directory. */
  SESSION_FILE_PATH: z.string().default("var/sessions"),
  SESSION_COOKIE_NAME: z.string().default("sessionid"),
  SESSION_COOKIE_AGE: seconds.default(1209600),
  SESSION_COOKIE_DOMAIN: z.string().optional(),
  SESSION_COOKIE_PATH: z.string().default("/"),
  SESSION_COOKIE_SECURE: bool.default(false),
  SESSION_COOKIE_HTTPONLY: bool.default(true),
  SESSION_COOKIE_SAMESITE: z.enum(["Lax", "Strict", "None", "false"]).default("Lax"),
  SESSION_SAVE_EVERY_REQUEST: bool.default(false),
  SESSION_EXPIRE_AT_BROWSER_CLOSE: bool.default(false),
  SESSION_IDLE_TIMEOUT: seconds.optional(),
  SESSION_ABSOLUTE_LIFETIME: seconds.optional(),
  /** Read the pre-3.1 session format and SHA-1 signatures (Django 3.1/3.2 sessions); off as in Django 4.0+. */
  SESSION_ACCEPT_LEGACY: bool.default(false),
  /** A proxy you run sits in front: its X-Forwarded-For/-Proto are believed (client IP, HTTPS). */
  TRUST_PROXY: bool.default(false),
  /** Production only: accept a session cookie that may travel over plain HTTP. */
  SESSIONSCOPE_ALLOW_INSECURE_COOKIE: bool.default(false),
  /** Enables /api/bench/* (request-cost benchmark routes); never in production. */
  SESSIONSCOPE_BENCH_ROUTES: bool.default(false),
  /** "django": run on an existing Django site's database (docs/django.md); Django's tables are checked, never created or altered. */
  SESSIONSCOPE_ATTACH: z.enum(["django"]).optional(),
  /** Attach mode: also create the shop's tables and its catalogue in the Django database (never demo accounts). */
  SESSIONSCOPE_ATTACH_SHOP: bool.default(false),
  /**
   * PBKDF2-SHA256 work factor of the password hashes SessionScope writes (Django's
   * PBKDF2PasswordHasher.iterations). Attached to a Django site, set it to that Django's: each side
   * re-hashes a password at login when the count differs, which changes `_auth_user_hash` and signs
   * the user out on the other side (docs/django.md).
   */
  PASSWORD_PBKDF2_ITERATIONS: z.coerce.number().int().min(100_000, "must be at least 100000 (Django 2.0's count; 3.2 uses 260000)").max(10_000_000, "must be at most 10000000").default(DEFAULT_PBKDF2_ITERATIONS),
  /**
   * Attach mode: seconds between the quick passes that give sessions Django just wrote their
   * metadata (they then appear on the dashboard); the full pass also runs every minute.
   */
  SESSIONSCOPE_BACKFILL_INTERVAL: z.coerce.number().int().min(1).max(3600).default(5),
  /**
   * Seconds the requests in flight get to finish after SIGTERM or SIGINT (lib/server/shutdown.ts);
   * below docker stop's 10 s and Kubernetes' 30 s, so the app, not a SIGKILL, ends them.
   */
  SESSIONSCOPE_SHUTDOWN_TIMEOUT: z.coerce.number().int().min(0).max(3600).default(8),
  /** Set by `npm start`: demo accounts and a generated secret key are allowed. */
  SESSIONSCOPE_DEMO: bool.default(false),
});

export type Env = z.infer<typeof schema> & {
  readonly databaseProvider: "sqlite" | "postgresql";
  /** The cache behind the cache and cached_db engines; null for the other engines. */
  readonly cacheBackend: "redis" | "memcached" | null;
  /** NODE_ENV=production outside demo mode: strict secret checks, no demo data. */
  readonly production: boolean;
  /** The SESSION_* variables as the framework's validated config. */
  readonly session: SessionConfig;
};

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  // Empty variables count as unset, as in a .env file with `KEY=`.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ""));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`SessionScope: invalid configuration\n${lines.join("\n")}`);
  }
  const env = result.data;
  checkSerializer(env.SESSION_SERIALIZER);
  if (env.SESSIONSCOPE_ATTACH_SHOP && !env.SESSIONSCOPE_ATTACH) {
    throw new ConfigError("SessionScope: SESSIONSCOPE_ATTACH_SHOP=1 only applies with SESSIONSCOPE_ATTACH=django (the shop is always there otherwise).");
  }
  if (env.SESSIONSCOPE_ATTACH && isDevSecretKey(env.SESSION_SECRET_KEY)) {
    throw new ConfigError(
      "SessionScope: SESSIONSCOPE_ATTACH=django needs the Django site's key: set SESSION_SECRET_KEY to its SECRET_KEY (and SESSION_SECRET_KEY_FALLBACKS to its SECRET_KEY_FALLBACKS, comma-separated).",
    );
  }
  const production = env.NODE_ENV === "production" && !env.SESSIONSCOPE_DEMO;
  if (production) {
    checkProductionSecret(env.SESSION_SECRET_KEY);
    checkProductionFallbacks(env.SESSION_SECRET_KEY_FALLBACKS);
    checkProductionCookie(env);
  }
  const cacheBackend = chooseCacheBackend(env);
  const session = sessionConfigFromEnv(env);
  const databaseProvider = env.DATABASE_URL.startsWith("file:") ? "sqlite" : "postgresql";
  return Object.freeze({ ...env, databaseProvider, cacheBackend, production, session });
}

/** Redis or Memcached for the cache engines: the one configured, or the one SESSION_CACHE_BACKEND names when both are. */
function chooseCacheBackend(env: z.infer<typeof schema>): "redis" | "memcached" | null {
  if (env.SESSION_ENGINE !== "cache" && env.SESSION_ENGINE !== "cached_db") return null;
  const engine = `SESSION_ENGINE=${env.SESSION_ENGINE}`;
  const chosen = env.SESSION_CACHE_BACKEND;
  if (chosen === "redis" && !env.REDIS_URL) throw new ConfigError(`SessionScope: SESSION_CACHE_BACKEND=redis needs REDIS_URL (e.g. redis://127.0.0.1:6379).`);
  if (chosen === "memcached" && !env.MEMCACHED_URL) throw new ConfigError(`SessionScope: SESSION_CACHE_BACKEND=memcached needs MEMCACHED_URL (e.g. memcached://127.0.0.1:11211).`);
  if (chosen) return chosen;
  if (env.REDIS_URL && env.MEMCACHED_URL) {
    throw new ConfigError(
      `SessionScope: ${engine} with both REDIS_URL and MEMCACHED_URL set: say which one keeps the sessions with SESSION_CACHE_BACKEND=redis or SESSION_CACHE_BACKEND=memcached.`,
    );
  }
  if (env.REDIS_URL) return "redis";
  if (env.MEMCACHED_URL) return "memcached";
  throw new ConfigError(`SessionScope: ${engine} needs REDIS_URL (e.g. redis://127.0.0.1:6379) or MEMCACHED_URL (e.g. memcached://127.0.0.1:11211).`);
}

const JSON_SERIALIZERS = ["django.contrib.sessions.serializers.JSONSerializer", "django.core.signing.JSONSerializer", "json"];

// Why: unpickling runs code chosen by whoever wrote the value; a session store must never do it.
function checkSerializer(serializer: string): void {
  if (JSON_SERIALIZERS.includes(serializer)) return;
  if (/pickle/i.test(serializer)) {
    throw new ConfigError(
      `SessionScope: SESSION_SERIALIZER=${serializer}: SessionScope reads and writes JSON sessions only, as Django does by default since 1.6.\n` +
        "  Loading a pickled session runs whatever code the value names, so SessionScope refuses to (Django 5.0 removed PickleSerializer for the same reason).\n" +
        "  Switch the Django site to SESSION_SERIALIZER = 'django.contrib.sessions.serializers.JSONSerializer' first (its pickled sessions then start afresh).",
    );
  }
  throw new ConfigError(`SessionScope: SESSION_SERIALIZER=${serializer} is not supported: use django.contrib.sessions.serializers.JSONSerializer (the default).`);
}

/** The variable behind each session setting: a rule the framework enforces is reported under the name the user set. */
const SESSION_VARIABLES = {
  secretKey: "SESSION_SECRET_KEY",
  secretKeyFallbacks: "SESSION_SECRET_KEY_FALLBACKS",
  cookieName: "SESSION_COOKIE_NAME",
  cookieAge: "SESSION_COOKIE_AGE",
  cookieDomain: "SESSION_COOKIE_DOMAIN",
  cookiePath: "SESSION_COOKIE_PATH",
  cookieSecure: "SESSION_COOKIE_SECURE",
  cookieHttpOnly: "SESSION_COOKIE_HTTPONLY",
  cookieSameSite: "SESSION_COOKIE_SAMESITE",
  saveEveryRequest: "SESSION_SAVE_EVERY_REQUEST",
  expireAtBrowserClose: "SESSION_EXPIRE_AT_BROWSER_CLOSE",
  idleTimeoutSeconds: "SESSION_IDLE_TIMEOUT",
  absoluteLifetimeSeconds: "SESSION_ABSOLUTE_LIFETIME",
  allowLegacyFormats: "SESSION_ACCEPT_LEGACY",
} as const satisfies Record<keyof SessionConfig, string>;

// The cookie and expiry rules belong to defineSessionConfig; this only maps the variables onto it.
function sessionConfigFromEnv(env: z.infer<typeof schema>): SessionConfig {
  try {
    return defineSessionConfig(
      {
        secretKey: env.SESSION_SECRET_KEY,
        secretKeyFallbacks: env.SESSION_SECRET_KEY_FALLBACKS,
        cookieName: env.SESSION_COOKIE_NAME,
        cookieAge: env.SESSION_COOKIE_AGE,
        cookieDomain: env.SESSION_COOKIE_DOMAIN ?? null,
        cookiePath: env.SESSION_COOKIE_PATH,
        cookieSecure: env.SESSION_COOKIE_SECURE,
        cookieHttpOnly: env.SESSION_COOKIE_HTTPONLY,
        cookieSameSite: env.SESSION_COOKIE_SAMESITE === "false" ? false : env.SESSION_COOKIE_SAMESITE,
        saveEveryRequest: env.SESSION_SAVE_EVERY_REQUEST,
        expireAtBrowserClose: env.SESSION_EXPIRE_AT_BROWSER_CLOSE,
        idleTimeoutSeconds: env.SESSION_IDLE_TIMEOUT ?? null,
        absoluteLifetimeSeconds: env.SESSION_ABSOLUTE_LIFETIME ?? null,
        allowLegacyFormats: env.SESSION_ACCEPT_LEGACY,
      },
      { names: SESSION_VARIABLES },
    );
  } catch (error) {
    if (error instanceof SessionConfigError) throw new ConfigError(`SessionScope: invalid configuration\n  ${error.message.replace(/^SessionScope: /, "")}`);
    throw error;
  }
}

const isDevSecretKey = (key: string): boolean => key === DEV_SECRET_KEY;
const MAKE_KEY = `"$(node -e "console.log(require('crypto').randomBytes(48).toString('base64url'))")"`;

// Why: every session and login hash is signed with this key; a guessable key
// lets anyone forge a session for any user.
function checkProductionSecret(key: string): void {
  const problem = weakSecretProblem(key);
  if (problem === null) return;
  const fix = `Set SESSION_SECRET_KEY to a long random value, e.g.\n  SESSION_SECRET_KEY=${MAKE_KEY}`;
  if (isDevSecretKey(key)) throw new ConfigError(`SessionScope: refusing to start in production without SESSION_SECRET_KEY.\n${fix}`);
  throw new ConfigError(`SessionScope: SESSION_SECRET_KEY ${problem}.\n${fix}`);
}

// Why: a fallback key still verifies sessions, so a weak one lets a forger in
// exactly as a weak SESSION_SECRET_KEY would.
function checkProductionFallbacks(keys: readonly string[]): void {
  keys.forEach((key, index) => {
    const problem = weakSecretProblem(key);
    if (problem === null) return;
    throw new ConfigError(
      `SessionScope: SESSION_SECRET_KEY_FALLBACKS key ${index + 1} of ${keys.length} ${problem}.\n` +
        "Remove it from SESSION_SECRET_KEY_FALLBACKS (sessions signed with it then start afresh): a fallback must be as strong as SESSION_SECRET_KEY.",
    );
  });
}

/** Why a key is not fit for production, or null when it is. */
function weakSecretProblem(key: string): string | null {
  if (isDevSecretKey(key) || key.startsWith("django-insecure-") || key.startsWith("sessionscope-insecure-")) return "is a known insecure development key";
  if (key.length < MIN_SECRET_LENGTH || new Set(key).size < 5) return `is too weak for production (needs ${MIN_SECRET_LENGTH}+ characters, at least 5 distinct)`;
  return null;
}

// Why: a cookie without Secure is also sent over plain HTTP, where anyone on
// the network path reads it and is then logged in as its owner.
function checkProductionCookie(env: z.infer<typeof schema>): void {
  if (env.SESSION_COOKIE_SECURE || env.TRUST_PROXY || env.SESSIONSCOPE_ALLOW_INSECURE_COOKIE) return;
  throw new ConfigError(
    "SessionScope: refusing to start in production with a session cookie that may travel over plain HTTP (SESSION_COOKIE_SECURE is not true).\n" +
      "  Serving HTTPS: set SESSION_COOKIE_SECURE=true.\n" +
      "  Behind a TLS-terminating proxy you run: set TRUST_PROXY=true; the cookie is then Secure whenever the proxy's X-Forwarded-Proto is https.\n" +
      "  Plain HTTP on a network you trust, knowingly: set SESSIONSCOPE_ALLOW_INSECURE_COOKIE=1.",
  );
}

let cached: Env | undefined;

export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

