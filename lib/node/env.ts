/**
 * SessionScope's configuration: every environment variable it reads, parsed
 * and validated once. Session settings keep Django's names and defaults.
 * Nothing else in the app reads process.env.
 */
import { z } from "zod";

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
  SESSION_SECRET_KEY: z.string().default(DEV_SECRET_KEY),
  SESSION_SECRET_KEY_FALLBACKS: z
    .string()
    .default("")
    .transform((list) => list.split(",").map((key) => key.trim()).filter(Boolean)),
  SESSION_ENGINE: z.enum(["db", "cache", "cached_db", "file", "signed_cookies"]).default("db"),
  SESSION_FILE_PATH: z.string().optional(),
  SESSION_COOKIE_NAME: z.string().regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, "must be a valid cookie name").default("sessionid"),
  SESSION_COOKIE_AGE: seconds.default(1209600),
  SESSION_COOKIE_DOMAIN: z.string().optional(),
  SESSION_COOKIE_PATH: z.string().startsWith("/").default("/"),
  SESSION_COOKIE_SECURE: bool.default(false),
  SESSION_COOKIE_HTTPONLY: bool.default(true),
  SESSION_COOKIE_SAMESITE: z.enum(["Lax", "Strict", "None", "false"]).default("Lax"),
  SESSION_SAVE_EVERY_REQUEST: bool.default(false),
  SESSION_EXPIRE_AT_BROWSER_CLOSE: bool.default(false),
  SESSION_IDLE_TIMEOUT: seconds.optional(),
  SESSION_ABSOLUTE_LIFETIME: seconds.optional(),
  /** Read the pre-3.1 session format and SHA-1 signatures (Django 3.1/3.2 sessions); off as in Django 4.0+. */
  SESSION_ACCEPT_LEGACY: bool.default(false),
  TRUST_PROXY: bool.default(false),
  /** Enables /api/bench/* (request-cost benchmark routes); never in production. */
  SESSIONSCOPE_BENCH_ROUTES: bool.default(false),
  /** Set by `npm start`: demo accounts and a generated secret key are allowed. */
  SESSIONSCOPE_DEMO: bool.default(false),
});

export type Env = z.infer<typeof schema> & {
  readonly databaseProvider: "sqlite" | "postgresql";
  /** NODE_ENV=production outside demo mode: strict secret checks, no demo data. */
  readonly production: boolean;
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
  const production = env.NODE_ENV === "production" && !env.SESSIONSCOPE_DEMO;
  if (production) checkProductionSecret(env.SESSION_SECRET_KEY);
  if ((env.SESSION_ENGINE === "cache" || env.SESSION_ENGINE === "cached_db") && !env.REDIS_URL) {
    throw new ConfigError(`SessionScope: SESSION_ENGINE=${env.SESSION_ENGINE} needs REDIS_URL (e.g. redis://127.0.0.1:6379).`);
  }
  if (env.SESSION_COOKIE_SAMESITE === "None" && !env.SESSION_COOKIE_SECURE) {
    throw new ConfigError("SessionScope: SESSION_COOKIE_SAMESITE=None needs SESSION_COOKIE_SECURE=true (browsers reject it otherwise).");
  }
  const databaseProvider = env.DATABASE_URL.startsWith("file:") ? "sqlite" : "postgresql";
  return Object.freeze({ ...env, databaseProvider, production });
}

// Why: every session and login hash is signed with this key; a guessable key
// lets anyone forge a session for any user.
function checkProductionSecret(key: string): void {
  const fix =
    "Set SESSION_SECRET_KEY to a long random value, e.g.\n" +
    `  SESSION_SECRET_KEY="$(node -e "console.log(require('crypto').randomBytes(48).toString('base64url'))")"`;
  if (key === DEV_SECRET_KEY) {
    throw new ConfigError(`SessionScope: refusing to start in production without SESSION_SECRET_KEY.\n${fix}`);
  }
  if (key.length < MIN_SECRET_LENGTH || new Set(key).size < 5) {
    throw new ConfigError(
      `SessionScope: SESSION_SECRET_KEY is too weak for production (needs ${MIN_SECRET_LENGTH}+ characters, at least 5 distinct).\n${fix}`,
    );
  }
  if (key.startsWith("django-insecure-") || key.startsWith("sessionscope-insecure-")) {
    throw new ConfigError(`SessionScope: SESSION_SECRET_KEY is a known insecure development key.\n${fix}`);
  }
}

let cached: Env | undefined;

export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

export const isDevSecretKey = (key: string): boolean => key === DEV_SECRET_KEY;
