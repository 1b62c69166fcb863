/** `defineSessionConfig`: validated, frozen settings with Django's defaults under their Django names. */
import { SessionConfigError } from "./errors.ts";
import type { SessionPolicy } from "./expiry.ts";

export type SameSite = "Lax" | "Strict" | "None" | false;

export interface SessionConfig {
  /** SESSION_COOKIE_NAME */
  readonly cookieName: string;
  /** SESSION_COOKIE_AGE, seconds */
  readonly cookieAge: number;
  readonly cookieDomain: string | null;
  readonly cookiePath: string;
  readonly cookieSecure: boolean;
  readonly cookieHttpOnly: boolean;
  readonly cookieSameSite: SameSite;
  readonly saveEveryRequest: boolean;
  readonly expireAtBrowserClose: boolean;
  /** SECRET_KEY */
  readonly secretKey: string;
  /** SECRET_KEY_FALLBACKS: old keys still accepted when reading, never used to sign. */
  readonly secretKeyFallbacks: readonly string[];
  readonly idleTimeoutSeconds: number | null;
  readonly absoluteLifetimeSeconds: number | null;
  /** Also read the pre-3.1 session format and SHA-1 signatures, as Django 3.1/3.2 do (4.0+ do not); default false. */
  readonly allowLegacyFormats: boolean;
}

export type SessionConfigInput = Partial<SessionConfig> & { readonly secretKey: string };

export interface DefineSessionConfigOptions {
  /**
   * What to call each setting in error messages, for callers whose users know
   * the settings under other names (e.g. environment variables).
   */
  readonly names?: Partial<Record<keyof SessionConfig, string>>;
}

const DEFAULTS = {
  cookieName: "sessionid",
  cookieAge: 1_209_600,
  cookieDomain: null,
  cookiePath: "/",
  cookieSecure: false,
  cookieHttpOnly: true,
  cookieSameSite: "Lax",
  saveEveryRequest: false,
  expireAtBrowserClose: false,
  secretKeyFallbacks: [],
  idleTimeoutSeconds: null,
  absoluteLifetimeSeconds: null,
  allowLegacyFormats: false,
} as const satisfies Omit<SessionConfig, "secretKey">;

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * The one place the session settings are checked: every caller (the app's
 * environment, the CLI, tests) gets the same rules and the same messages.
 */
export function defineSessionConfig(input: SessionConfigInput, options: DefineSessionConfigOptions = {}): SessionConfig {
  const c = { ...DEFAULTS, ...dropUndefined(input) } as SessionConfig;
  const name = (setting: keyof SessionConfig) => options.names?.[setting] ?? setting;
  const positiveInteger = (setting: keyof SessionConfig, value: unknown) => {
    if (!Number.isSafeInteger(value) || (value as number) <= 0) fail(`${name(setting)} must be a positive whole number of seconds, got ${String(value)}`);
  };
  if (typeof c.secretKey !== "string" || c.secretKey.length === 0) fail(`${name("secretKey")} must be a non-empty string`);
  if (!Array.isArray(c.secretKeyFallbacks) || c.secretKeyFallbacks.some((k) => typeof k !== "string" || k === "")) {
    fail(`${name("secretKeyFallbacks")} must be an array of non-empty strings`);
  }
  if (typeof c.cookieName !== "string" || !TOKEN.test(c.cookieName)) {
    fail(`${name("cookieName")} ${JSON.stringify(c.cookieName)} is not a valid cookie name (letters, digits and !#$%&'*+-.^_\`|~ only)`);
  }
  positiveInteger("cookieAge", c.cookieAge);
  if (c.cookieDomain !== null && (typeof c.cookieDomain !== "string" || /[;\s,]/.test(c.cookieDomain) || c.cookieDomain === "")) {
    fail(`${name("cookieDomain")} must be null or a domain such as ".example.com"`);
  }
  if (typeof c.cookiePath !== "string" || !c.cookiePath.startsWith("/") || /[;\s]/.test(c.cookiePath)) fail(`${name("cookiePath")} must start with "/"`);
  if (!["Lax", "Strict", "None", false].includes(c.cookieSameSite)) fail(`${name("cookieSameSite")} must be "Lax", "Strict", "None" or false`);
  for (const flag of ["cookieSecure", "cookieHttpOnly", "saveEveryRequest", "expireAtBrowserClose", "allowLegacyFormats"] as const) {
    if (typeof c[flag] !== "boolean") fail(`${name(flag)} must be a boolean`);
  }
  // Browsers drop SameSite=None cookies without Secure, which would silently log everyone out.
  if (c.cookieSameSite === "None" && !c.cookieSecure) {
    fail(`${name("cookieSameSite")} "None" requires ${name("cookieSecure")} to be true (browsers drop SameSite=None cookies without Secure)`);
  }
  if (c.idleTimeoutSeconds !== null) positiveInteger("idleTimeoutSeconds", c.idleTimeoutSeconds);
  if (c.absoluteLifetimeSeconds !== null) positiveInteger("absoluteLifetimeSeconds", c.absoluteLifetimeSeconds);
  return Object.freeze({ ...c, secretKeyFallbacks: Object.freeze([...c.secretKeyFallbacks]) });
}

/** The part of the config the expiry arithmetic needs. */
export function toSessionPolicy(config: SessionConfig): SessionPolicy {
  const { cookieAge, expireAtBrowserClose, saveEveryRequest, idleTimeoutSeconds, absoluteLifetimeSeconds } = config;
  return Object.freeze({ cookieAge, expireAtBrowserClose, saveEveryRequest, idleTimeoutSeconds, absoluteLifetimeSeconds });
}

function dropUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function fail(message: string): never {
  throw new SessionConfigError(message);
}
