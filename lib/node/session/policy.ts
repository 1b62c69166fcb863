/**
 * The live session policy: the admin-editable row in `sessionscope_policy`
 * over the environment's defaults. Read at most every few seconds per
 * process, so a change made in the dashboard reaches every server quickly
 * without a database read per request.
 *
 * The expiry part (cookie age, browser close, save every request, idle and
 * absolute limits) is what lib/session's Session applies; the cookie part
 * (Secure, SameSite) is applied by the binding when it writes the cookie;
 * the per-user limit by the login.
 */
import { type SameSite, type SessionConfig, type SessionPolicy, toSessionPolicy } from "../../session/index.ts";
import type { AppPrismaClient } from "../db/connection.ts";

// A change made on another instance arrives as a policy.changed event and drops the cache at once;
// this bounds how stale a policy can be without one (SQLite, or the event channel down).
const REFRESH_MS = 2_000;

/** Every setting an admin may change live. Seconds; null turns a limit off. */
export interface LiveSessionPolicy extends SessionPolicy {
  /** SESSION_COOKIE_SECURE. */
  readonly cookieSecure: boolean;
  /** SESSION_COOKIE_SAMESITE (false: no attribute). */
  readonly cookieSameSite: SameSite;
  /** The most sessions one user may hold; a login beyond it ends the oldest (null: no limit). */
  readonly maxSessionsPerUser: number | null;
}

export interface LivePolicyOptions {
  /**
   * The cookie must stay Secure whatever the row says: production without
   * TRUST_PROXY or SESSIONSCOPE_ALLOW_INSECURE_COOKIE (docs/security.md).
   * A row written under another environment cannot weaken it.
   */
  readonly secureRequired?: boolean;
  readonly clock?: () => number;
}

/** A saved policy and who saved it. */
export interface SavedPolicy {
  readonly policy: LiveSessionPolicy;
  /** How many saves it has seen (the value a save must name, for optimistic concurrency). */
  readonly version: number;
  readonly savedAt: Date;
  readonly savedBy: string | null;
}

export interface LivePolicy {
  get(): Promise<LiveSessionPolicy>;
  /** Forgets the cached row: the next `get` reads it again (after a change here or on another instance). */
  invalidate(): void;
}

/** The environment's settings as a live policy: what applies until an admin saves. */
export function envPolicy(config: SessionConfig): LiveSessionPolicy {
  return Object.freeze({ ...toSessionPolicy(config), cookieSecure: config.cookieSecure, cookieSameSite: config.cookieSameSite, maxSessionsPerUser: null });
}

type PolicyRow = NonNullable<Awaited<ReturnType<AppPrismaClient["sessionPolicy"]["findUnique"]>>>;

const SAME_SITE: Record<string, SameSite> = { Lax: "Lax", Strict: "Strict", None: "None", "": false };

/** SameSite as the row stores it ("" for none). */
export const storedSameSite = (value: SameSite): string => (value === false ? "" : value);

function fromRow(row: PolicyRow, defaults: LiveSessionPolicy, secureRequired: boolean): LiveSessionPolicy {
  return Object.freeze({
    cookieAge: row.cookieAge,
    expireAtBrowserClose: row.expireAtBrowserClose,
    saveEveryRequest: row.saveEveryRequest,
    idleTimeoutSeconds: row.idleTimeoutSeconds,
    absoluteLifetimeSeconds: row.absoluteLifetimeSeconds,
    // Why: fail closed, a weaker cookie than the environment allows is never served.
    cookieSecure: row.cookieSecure || secureRequired,
    cookieSameSite: SAME_SITE[row.cookieSameSite] ?? defaults.cookieSameSite,
    maxSessionsPerUser: row.maxSessionsPerUser,
  });
}

/** The saved row (null: never saved, the environment's values apply). */
export async function readSavedPolicy(prisma: AppPrismaClient, config: SessionConfig, options: LivePolicyOptions = {}): Promise<SavedPolicy | null> {
  const row = await prisma.sessionPolicy.findUnique({ where: { id: 1 } });
  if (!row) return null;
  return { policy: fromRow(row, envPolicy(config), options.secureRequired ?? false), version: row.version, savedAt: row.updatedAt, savedBy: row.updatedBy };
}

/** The cookie attributes of the config with the live policy's Secure and SameSite. */
export function liveCookieConfig(config: SessionConfig, policy: LiveSessionPolicy): SessionConfig {
  if (config.cookieSecure === policy.cookieSecure && config.cookieSameSite === policy.cookieSameSite) return config;
  return { ...config, cookieSecure: policy.cookieSecure, cookieSameSite: policy.cookieSameSite };
}

export function createLivePolicy(prisma: AppPrismaClient, config: SessionConfig, options: LivePolicyOptions = {}): LivePolicy {
  const clock = options.clock ?? Date.now;
  const secureRequired = options.secureRequired ?? false;
  const defaults = Object.freeze({ ...envPolicy(config), cookieSecure: config.cookieSecure || secureRequired });
  let cached: { value: LiveSessionPolicy; at: number } | null = null;
  let pending: Promise<LiveSessionPolicy> | null = null;
  let generation = 0;

  async function read(): Promise<LiveSessionPolicy> {
    const started = generation;
    const row = await prisma.sessionPolicy.findUnique({ where: { id: 1 } });
    const value = row ? fromRow(row, defaults, secureRequired) : defaults;
    // An invalidate() during the read means a newer row may exist: do not cache this one.
    if (started === generation) cached = { value, at: clock() };
    return value;
  }

  return {
    async get() {
      if (cached && clock() - cached.at < REFRESH_MS) return cached.value;
      if (pending) return pending;
      const reading: Promise<LiveSessionPolicy> = read()
        .catch((error: unknown) => {
          // A database hiccup must not change the policy under running sessions.
          if (cached) return cached.value;
          throw error;
        })
        .finally(() => {
          if (pending === reading) pending = null;
        });
      pending = reading;
      return reading;
    },
    invalidate() {
      generation++;
      cached = null;
      pending = null;
    },
  };
}
