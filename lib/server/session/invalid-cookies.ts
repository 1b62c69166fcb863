import "server-only";
/**
 * Session cookies that led to no session (unknown, expired, tampered,
 * malformed): counted per kind for the dashboard, and logged with a short
 * key prefix only, at a bounded rate, so a flood of garbage cookies can
 * neither leak keys into the log nor flood it.
 */
import { log, rateLimited } from "../../node/log.ts";

export type InvalidCookieKind = "unknown" | "expired" | "idle_timeout" | "absolute_lifetime" | "bad_signature" | "malformed" | "invalid_key";

export interface InvalidCookieStats {
  readonly total: number;
  readonly byKind: Readonly<Partial<Record<InvalidCookieKind, number>>>;
}

export interface InvalidCookieMonitor {
  /** `reason` is the framework's (Session's onInvalid); `cookieValue` is never logged whole. */
  report(reason: string, cookieValue: string): void;
  stats(): InvalidCookieStats;
}

// Ordered: the first pattern that matches the framework's reason names its kind.
const KINDS: ReadonlyArray<readonly [RegExp, InvalidCookieKind]> = [
  [/not found/, "unknown"],
  [/idle timeout/, "idle_timeout"],
  [/absolute session lifetime/, "absolute_lifetime"],
  [/signature age|expiry/, "expired"],
  [/signature/, "bad_signature"],
  [/malformed session key/, "invalid_key"],
];

export function invalidCookieKind(reason: string): InvalidCookieKind {
  return KINDS.find(([pattern]) => pattern.test(reason))?.[1] ?? "malformed";
}

/** Enough to tell log lines apart, never enough to use: six characters, and only letters and digits. */
export function keyPrefix(cookieValue: string): string {
  return `${cookieValue.slice(0, 6).replace(/[^A-Za-z0-9]/g, "?")}…`;
}

export function createInvalidCookieMonitor(options: { write?: (message: string) => void; linesPerMinute?: number; clock?: () => number } = {}): InvalidCookieMonitor {
  const counts = new Map<InvalidCookieKind, number>();
  let total = 0;
  const write = rateLimited(options.write ?? log.warn, { limit: options.linesPerMinute ?? 10, windowMs: 60_000, clock: options.clock });
  return {
    report(reason, cookieValue) {
      const kind = invalidCookieKind(reason);
      total++;
      counts.set(kind, (counts.get(kind) ?? 0) + 1);
      write(`session cookie ${keyPrefix(cookieValue)} rejected (${kind}); the request goes on with a new, empty session`);
    },
    stats: () => ({ total, byKind: Object.fromEntries(counts) }),
  };
}

// One monitor per server process, kept on globalThis across dev reloads.
const holder = globalThis as typeof globalThis & { __sessionscopeInvalidCookies?: InvalidCookieMonitor };

export function invalidCookieMonitor(): InvalidCookieMonitor {
  holder.__sessionscopeInvalidCookies ??= createInvalidCookieMonitor();
  return holder.__sessionscopeInvalidCookies;
}
