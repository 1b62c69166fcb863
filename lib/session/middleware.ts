/**
 * Django's SessionMiddleware.process_response, framework-free: given a
 * session after the view ran, save it when Django would and describe the
 * cookie and Vary header the response needs. The Next binding (lib/server)
 * applies the result to a Response or to `cookies()`.
 */
import type { SessionConfig } from "./config.ts";
import { buildDeleteCookie, buildSessionCookie } from "./cookie.ts";
import type { Session } from "./session.ts";

/** A cookie to set, both as structured fields and as a complete Set-Cookie value. */
export interface CookieInstruction {
  readonly name: string;
  readonly value: string;
  /** Seconds; null for a browser-session cookie. 0 deletes. */
  readonly maxAge: number | null;
  readonly expires: Date | null;
  readonly path: string;
  readonly domain: string | null;
  readonly secure: boolean;
  readonly httpOnly: boolean;
  readonly sameSite: "Lax" | "Strict" | "None" | false;
  readonly header: string;
}

export interface SessionCommit {
  /** Add `Vary: Cookie`: the response depends on the session. */
  readonly vary: boolean;
  readonly cookie: CookieInstruction | null;
  /** Whether the session was written to its store. */
  readonly saved: boolean;
}

export interface CommitContext {
  /** The request carried the session cookie. */
  readonly hadCookie: boolean;
  /** The response status: nothing is saved for a 5xx (Django 4.2+). */
  readonly status: number;
  /** Cookie attributes; the cookie's age comes from the session's own (live) policy. */
  readonly config: SessionConfig;
  readonly now: Date;
  /** Force Secure (the request came over HTTPS) even when the config does not. */
  readonly secure?: boolean;
}

/**
 * Saves the session if it must be saved and returns what the response needs.
 * Throws SessionInterrupted when the session was deleted meanwhile (Django's
 * HTTP 400); storage errors propagate.
 */
export async function commitSession(session: Session, ctx: CommitContext): Promise<SessionCommit> {
  const settings = { ...ctx.config, cookieSecure: ctx.config.cookieSecure || ctx.secure === true };
  if (ctx.hadCookie && session.isEmpty()) {
    return { vary: true, saved: false, cookie: describe(settings, "", 0, new Date(0), buildDeleteCookie(settings)) };
  }
  const vary = session.accessed;
  if (!session.needsSave()) return { vary, saved: false, cookie: null };
  if (ctx.status >= 500) return { vary, saved: false, cookie: null };
  await session.save();
  const maxAge = session.getCookieMaxAge();
  const key = session.key!;
  const expires = maxAge === null ? null : new Date(Math.floor(ctx.now.getTime() / 1000 + maxAge) * 1000);
  return { vary: true, saved: true, cookie: describe(settings, key, maxAge, expires, buildSessionCookie(settings, key, maxAge, ctx.now)) };
}

function describe(settings: SessionConfig, value: string, maxAge: number | null, expires: Date | null, header: string): CookieInstruction {
  const deleting = value === "";
  return {
    name: settings.cookieName,
    value,
    maxAge,
    expires,
    path: settings.cookiePath,
    domain: settings.cookieDomain,
    secure: deleting ? header.includes("; Secure") : settings.cookieSecure,
    httpOnly: deleting ? false : settings.cookieHttpOnly,
    sameSite: settings.cookieSameSite,
    header,
  };
}
