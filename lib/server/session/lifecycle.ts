import "server-only";
/**
 * A request's session from start to end, without Next: open it from the
 * cookie's value, run the handler, then commit it under Django's
 * SessionMiddleware rules (lib/session's commitSession). Route handlers and
 * server actions share this; next.ts only reads the cookie from Next and
 * applies the result.
 */
import { commitSession, type Session, type SessionCommit, SessionInterrupted, SessionScopeError } from "@/lib/session";
import { log, rateLimited } from "../../node/log.ts";
import type { RequestInfo } from "../../node/session/request-info.ts";
import { liveCookieConfig, type LiveSessionPolicy } from "../../node/session/policy.ts";
import type { SessionRuntime } from "../../node/session/runtime.ts";
import { describeUnavailable, isServiceUnavailable } from "../../node/unavailable.ts";
import { SERVICE_UNAVAILABLE_DIGEST } from "../../service-unavailable.ts";
import { API_ERRORS, HttpError } from "../http.ts";
import { recordActivity } from "./activity.ts";
import { invalidCookieMonitor } from "./invalid-cookies.ts";

export interface SessionContext {
  readonly session: Session;
  readonly info: RequestInfo;
}

export interface SessionRequest {
  /** The session cookie's value, or null when the request carried none. */
  readonly cookieValue: string | null;
  readonly info: RequestInfo;
}

/** The handler's result and what the response needs, or the error to answer with instead. */
export type SessionRun<T> =
  | { readonly ok: true; readonly result: T; readonly commit: SessionCommit }
  | { readonly ok: false; readonly failure: HttpError };

export interface RunOptions<T> {
  /** A thrown HttpError as the handler's kind of result: the session is still saved for a 4xx, as Django does for any non-5xx. */
  fromHttpError(error: HttpError): T;
  /** The status the result answers with; nothing is saved for a 5xx. */
  statusOf(result: T): number;
}

/** A lazy session for the cookie; a cookie that leads to no session is counted and logged (by key prefix). */
export async function openRequestSession(runtime: SessionRuntime, cookieValue: string | null, policy?: LiveSessionPolicy): Promise<Session> {
  const monitor = invalidCookieMonitor();
  // The framework reports every rejected cookie once, including one that cannot be a key at all.
  return runtime.openSession(cookieValue, policy ?? (await runtime.policy.get()), (reason) => monitor.report(reason, cookieValue ?? ""));
}

/**
 * Runs `handler` with the request's session and commits it. Failures of the
 * session itself become HttpErrors: 503 when its store is unavailable (nothing
 * saved), 400 when another request deleted it meanwhile (Django's
 * SessionInterrupted), 413 when a cookie session outgrew its cookie. Any
 * other error propagates, and nothing is saved.
 */
export async function runWithSession<T>(
  runtime: SessionRuntime,
  request: SessionRequest,
  handler: (context: SessionContext) => Promise<T>,
  options: RunOptions<T>,
): Promise<SessionRun<T>> {
  const { cookieValue, info } = request;
  let session: Session;
  let policy: LiveSessionPolicy;
  let result: T;
  try {
    // One policy for the whole request: the session's expiry and its cookie's attributes agree.
    policy = await runtime.policy.get();
    session = await openRequestSession(runtime, cookieValue, policy);
    result = await handler({ session, info }).catch((error: unknown) => {
      if (error instanceof HttpError) return options.fromHttpError(error);
      throw error;
    });
  } catch (error) {
    return { ok: false, failure: serviceUnavailableError(error) };
  }
  let commit: SessionCommit;
  try {
    commit = await commitSession(session, { hadCookie: cookieValue !== null, status: options.statusOf(result), config: liveCookieConfig(runtime.config, policy), now: new Date(), secure: info.https });
  } catch (error) {
    return { ok: false, failure: commitFailure(error) };
  }
  if (session.key !== null && session.isLoaded) recordActivity(runtime.store, session.key, info, new Date(), commit.saved && cookieValue === null);
  return { ok: true, result, commit };
}

// One line a minute at most: during an outage every request fails the same way.
const logUnavailable = rateLimited(log.error, { limit: 1, windowMs: 60_000 });

/** The database or Redis is down: 503 with Retry-After, nothing saved. Anything else is rethrown. */
export function serviceUnavailableError(error: unknown): HttpError {
  if (!isServiceUnavailable(error)) throw error;
  logUnavailable(`a backing service is unavailable (${describeUnavailable(error)}); answering 503`);
  return new HttpError(503, API_ERRORS.SERVICE_UNAVAILABLE, "The service is briefly unavailable. Nothing was changed; please try again in a few seconds.", {
    "Retry-After": "5",
  });
}

/**
 * A page could not read its session. An outage is logged like the API's and marked with
 * SERVICE_UNAVAILABLE_DIGEST, so that app/error.tsx says "try again in a few seconds"; the page
 * still answers 500 (Next lets a page answer 404, 403 or 401, never 503: docs/operations.md).
 * Anything else is returned as it is.
 */
export function pageFailure(error: unknown): unknown {
  if (!isServiceUnavailable(error)) return error;
  logUnavailable(`a backing service is unavailable (${describeUnavailable(error)}); the page shows "temporarily unavailable"`);
  return Object.assign(new Error("SessionScope: a backing service is unavailable", { cause: error }), { digest: SERVICE_UNAVAILABLE_DIGEST });
}

function commitFailure(error: unknown): HttpError {
  if (error instanceof SessionInterrupted) {
    // Django's SessionInterrupted: the session was deleted (logout elsewhere, killed by an admin) mid-request.
    return new HttpError(400, API_ERRORS.SESSION_INTERRUPTED, "The session was deleted before the request finished. A concurrent request may have logged out the session.");
  }
  if (error instanceof SessionScopeError && error.code === "COOKIE_TOO_LARGE") return new HttpError(413, API_ERRORS.SESSION_TOO_LARGE, error.message);
  return serviceUnavailableError(error);
}
