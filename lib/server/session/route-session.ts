import "server-only";
/** The route-handler side of the binding: the Origin check, and the commit applied to a Response. */
import type { NextRequest } from "next/server";
import type { SessionCommit } from "@/lib/session";
import { readRequestInfo } from "../../node/session/request-info.ts";
import type { SessionRuntime } from "../../node/session/runtime.ts";
import { API_ERRORS, errorResponse, httpErrorResponse } from "../http.ts";
import { runWithSession, type SessionContext } from "./lifecycle.ts";

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

interface HeaderSource {
  get(name: string): string | null;
}

/**
 * Whether an unsafe request carrying the session cookie may run: the cookie
 * alone does not prove the user meant it, so it needs this site's Origin (or,
 * without one, Sec-Fetch-Site: same-origin). Safe methods and cookieless
 * requests always may.
 */
export function mayUseSession(method: string, headers: HeaderSource, hasCookie: boolean): boolean {
  if (!hasCookie || !UNSAFE_METHODS.has(method.toUpperCase())) return true;
  const origin = headers.get("origin");
  if (origin === null) return headers.get("sec-fetch-site") === "same-origin";
  const host = headers.get("x-forwarded-host") ?? headers.get("host");
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** Runs a route handler with the request's session and answers with its response, cookie and Vary applied. */
export async function respondWithSession(runtime: SessionRuntime, request: NextRequest, handler: (context: SessionContext) => Promise<Response>): Promise<Response> {
  const cookieValue = request.cookies.get(runtime.config.cookieName)?.value ?? null;
  if (!mayUseSession(request.method, request.headers, cookieValue !== null)) {
    return errorResponse(403, API_ERRORS.CROSS_ORIGIN, "Cross-origin request refused: unsafe methods need a same-origin Origin header.");
  }
  const run = await runWithSession(runtime, { cookieValue, info: readRequestInfo(request.headers) }, handler, {
    fromHttpError: httpErrorResponse,
    statusOf: (response) => response.status,
  });
  return run.ok ? applyCommit(run.result, run.commit) : httpErrorResponse(run.failure);
}

/** Adds `Vary: Cookie` and the Set-Cookie header the commit asks for. */
export function applyCommit(response: Response, commit: SessionCommit): Response {
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
