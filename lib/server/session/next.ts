import "server-only";
/**
 * The Next.js binding: the one place that reads the session cookie and writes
 * it back, with Django's SessionMiddleware rules (lib/session/middleware.ts):
 *
 * - route handlers: `withSession((request, { session }) => Response)`
 * - server actions: `withActionSession((session) => result)`
 * - server components: `readSession()`, read-only, as Next requires (a
 *   server component cannot set cookies).
 */
import { cookies, headers } from "next/headers";
import type { NextRequest } from "next/server";
import { cache } from "react";
import { commitSession, type CookieInstruction, type Session, type SessionCommit, SessionInterrupted, SessionScopeError } from "@/lib/session";
import { API_ERRORS, HttpError, errorResponse, httpErrorResponse } from "../http.ts";
import { isServiceUnavailable } from "../../node/unavailable.ts";
import { recordActivity } from "./activity.ts";
import { getSessionRuntime } from "./instance.ts";
import { readRequestInfo, type RequestInfo } from "../../node/session/request-info.ts";

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export interface SessionContext {
  readonly session: Session;
  readonly info: RequestInfo;
}

async function openRequestSession(cookieValue: string | null): Promise<Session> {
  const runtime = getSessionRuntime();
  return runtime.openSession(cookieValue, await runtime.policy.get());
}

/**
 * Wraps a route handler with a session. Thrown HttpErrors become JSON errors
 * (and the session is still saved, as for any 4xx); other errors propagate
 * to Next as a 500 and nothing is saved.
 */
export function withSession<P>(
  handler: (request: NextRequest, context: SessionContext & { params: P }) => Promise<Response>,
): (request: NextRequest, route: { params: P }) => Promise<Response> {
  return async (request, route) => {
    const runtime = getSessionRuntime();
    const cookieValue = request.cookies.get(runtime.config.cookieName)?.value ?? null;
    const info = readRequestInfo(request.headers);
    if (cookieValue !== null && UNSAFE_METHODS.has(request.method) && !isSameOrigin(request)) {
      return errorResponse(403, API_ERRORS.CROSS_ORIGIN, "Cross-origin request refused: unsafe methods need a same-origin Origin header.");
    }
    let session: Session;
    let response: Response;
    try {
      session = await openRequestSession(cookieValue);
    } catch (error) {
      if (isServiceUnavailable(error)) return unavailableResponse(error);
      throw error;
    }
    try {
      response = await handler(request, { session, info, params: route.params });
    } catch (error) {
      if (isServiceUnavailable(error)) return unavailableResponse(error);
      if (!(error instanceof HttpError)) throw error;
      // A 4xx still saves what the request changed, as Django does for any non-5xx response.
      response = httpErrorResponse(error);
    }
    let commit: SessionCommit;
    try {
      commit = await commitSession(session, { hadCookie: cookieValue !== null, status: response.status, config: runtime.config, now: new Date(), secure: info.https });
    } catch (error) {
      if (isServiceUnavailable(error)) return unavailableResponse(error);
      return sessionErrorResponse(error);
    }
    if (session.key !== null && session.isLoaded) recordActivity(runtime.store, session.key, info, new Date(), commit.saved && cookieValue === null);
    return applyCommit(response, commit);
  };
}

/**
 * Runs a server action with the request's session and writes the cookie
 * through `cookies()`. Throwing skips the save, like a 5xx.
 */
export async function withActionSession<T>(action: (context: SessionContext) => Promise<T>): Promise<T> {
  const runtime = getSessionRuntime();
  const jar = await cookies();
  const cookieValue = jar.get(runtime.config.cookieName)?.value ?? null;
  const info = readRequestInfo(await headers());
  const session = await openRequestSession(cookieValue);
  const result = await action({ session, info });
  const commit = await commitSession(session, { hadCookie: cookieValue !== null, status: 200, config: runtime.config, now: new Date(), secure: info.https });
  if (commit.cookie) setActionCookie(jar, commit.cookie);
  if (session.key !== null && session.isLoaded) recordActivity(runtime.store, session.key, info, new Date(), commit.saved && cookieValue === null);
  return result;
}

/** A read-only view of the session for server components. */
export interface ReadonlySession {
  readonly key: string | null;
  get<T = unknown>(key: string): T | undefined;
  has(key: string): boolean;
  keys(): string[];
  /** The underlying session, loaded; for helpers that only read (never save it here). */
  readonly session: Session;
}

/** The request's session, loaded once per render and never saved (server components cannot set cookies). */
export const readSession = cache(async (): Promise<ReadonlySession> => {
  // cookies() first: during a build it marks the page dynamic before any configuration is read.
  const jar = await cookies();
  const runtime = getSessionRuntime();
  const cookieValue = jar.get(runtime.config.cookieName)?.value ?? null;
  const session = await (await openRequestSession(cookieValue)).load();
  return {
    get key() {
      return session.key;
    },
    get: <T,>(key: string) => session.get(key) as T | undefined,
    has: (key) => session.has(key),
    keys: () => session.keys(),
    session,
  };
});

function isSameOrigin(request: NextRequest): boolean {
  const origin = request.headers.get("origin");
  if (origin === null) return request.headers.get("sec-fetch-site") === "same-origin";
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

let unavailableLoggedAt = 0;

/** The database or Redis is down: 503, nothing saved, and one log line a minute at most. */
function unavailableResponse(error: unknown): Response {
  if (Date.now() - unavailableLoggedAt > 60_000) {
    unavailableLoggedAt = Date.now();
    console.error(`SessionScope: a backing service is unavailable (${(error as Error).message}); answering 503`);
  }
  return errorResponse(503, API_ERRORS.SERVICE_UNAVAILABLE, "The service is briefly unavailable. Nothing was changed; please try again in a few seconds.", {
    "Retry-After": "5",
  });
}

function sessionErrorResponse(error: unknown): Response {
  if (error instanceof SessionInterrupted) {
    // Django's SessionInterrupted: the session was deleted (logout elsewhere, killed by an admin) mid-request.
    return errorResponse(400, API_ERRORS.SESSION_INTERRUPTED, "The session was deleted before the request finished. A concurrent request may have logged out the session.");
  }
  if (error instanceof SessionScopeError && error.code === "COOKIE_TOO_LARGE") {
    return errorResponse(413, API_ERRORS.SESSION_TOO_LARGE, error.message);
  }
  throw error;
}

function applyCommit(response: Response, commit: SessionCommit): Response {
  if (!commit.vary && !commit.cookie) return response;
  let target = response;
  try {
    target.headers.append("Vary", "Cookie");
  } catch {
    // Some responses (Response.redirect) have immutable headers: copy them.
    target = new Response(response.body, response);
    target.headers.append("Vary", "Cookie");
  }
  if (commit.cookie) target.headers.append("Set-Cookie", commit.cookie.header);
  return target;
}

type CookieJar = Awaited<ReturnType<typeof cookies>>;

function setActionCookie(jar: CookieJar, cookie: CookieInstruction): void {
  jar.set({
    name: cookie.name,
    value: cookie.value,
    path: cookie.path,
    ...(cookie.domain ? { domain: cookie.domain } : {}),
    ...(cookie.maxAge === null ? {} : { maxAge: cookie.maxAge }),
    ...(cookie.expires ? { expires: cookie.expires } : {}),
    httpOnly: cookie.httpOnly,
    secure: cookie.secure,
    sameSite: cookie.sameSite === false ? undefined : (cookie.sameSite.toLowerCase() as "lax" | "strict" | "none"),
  });
}
