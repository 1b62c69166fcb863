import "server-only";
/**
 * The Next.js binding: the one place that reads the session cookie from Next
 * and writes it back. The rules (Django's SessionMiddleware, the Origin
 * check, the 503 and "session interrupted" answers) live in lifecycle.ts,
 * route-session.ts and action-session.ts, which take plain values; these
 * adapters only fetch them from Next:
 *
 * - route handlers: `withSession((request, { session }) => Response)`
 * - server actions: `withActionSession(({ session }) => data)`, answering `{ ok, data | error }`
 * - server components: `readSession()`, read-only, as Next requires (a
 *   server component cannot set cookies).
 */
import { cookies, headers } from "next/headers";
import type { NextRequest } from "next/server";
import { cache } from "react";
import type { Session } from "@/lib/session";
import { readRequestInfo } from "../../node/session/request-info.ts";
import { runActionWithSession, toCookieOptions, type ActionResult } from "./action-session.ts";
import { getSessionRuntime } from "./instance.ts";
import { openRequestSession, pageFailure, type SessionContext } from "./lifecycle.ts";
import { respondWithSession } from "./route-session.ts";

export type { ActionResult } from "./action-session.ts";
export type { SessionContext } from "./lifecycle.ts";

/**
 * Wraps a route handler with a session. Thrown HttpErrors become JSON errors
 * (and the session is still saved, as for any 4xx); other errors propagate
 * to Next as a 500 and nothing is saved.
 */
export function withSession<P>(
  handler: (request: NextRequest, context: SessionContext & { params: P }) => Promise<Response>,
): (request: NextRequest, route: { params: P }) => Promise<Response> {
  // Spelled out, not spread: a spread plus a property costs about 0.8 µs on Node 20 (see Session's constructor).
  return (request, route) => respondWithSession(getSessionRuntime(), request, ({ session, info }) => handler(request, { session, info, params: route.params }));
}

/**
 * Runs a server action with the request's session and writes the cookie
 * through `cookies()`. Next has already refused an action whose Origin is
 * not this site.
 */
export async function withActionSession<T>(action: (context: SessionContext) => Promise<T>): Promise<ActionResult<T>> {
  const runtime = getSessionRuntime();
  const jar = await cookies();
  const request = { cookieValue: jar.get(runtime.config.cookieName)?.value ?? null, info: readRequestInfo(await headers()) };
  const { result, cookie } = await runActionWithSession(runtime, request, action);
  if (cookie) jar.set(toCookieOptions(cookie));
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

/**
 * The request's session, loaded once per render and never saved (server components cannot set
 * cookies). A store that is down fails the page with the "temporarily unavailable" error page.
 */
export const readSession = cache(async (): Promise<ReadonlySession> => {
  // cookies() first: during a build it marks the page dynamic before any configuration is read.
  const jar = await cookies();
  const runtime = getSessionRuntime();
  let session: Session;
  try {
    session = await (await openRequestSession(runtime, jar.get(runtime.config.cookieName)?.value ?? null)).load();
  } catch (error) {
    throw pageFailure(error);
  }
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
