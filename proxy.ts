/**
 * Runs before every route: a Content-Security-Policy with a fresh nonce for
 * each page (Next reads it from the request's policy header and puts it on
 * its scripts), no caching of anything read from the session, a 400 for
 * paths that are not valid percent-encoding, and a bounded User-Agent.
 */
import { NextResponse, type NextRequest } from "next/server";
import { API_ERRORS, errorResponse } from "@/lib/server/http";
import {
  API_CONTENT_SECURITY_POLICY, createNonce, isApiPath, isWellFormedPath, MAX_USER_AGENT_LENGTH, mayBeStored, noStoreCacheControl, pageContentSecurityPolicy,
} from "@/lib/security-headers";

export function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  const api = isApiPath(pathname);
  if (!isWellFormedPath(pathname)) return malformedPath(api);

  const headers = new Headers(request.headers);
  const userAgent = headers.get("user-agent");
  if (userAgent !== null && userAgent.length > MAX_USER_AGENT_LENGTH) headers.set("user-agent", userAgent.slice(0, MAX_USER_AGENT_LENGTH));
  let policy = API_CONTENT_SECURITY_POLICY;
  if (!api) {
    const nonce = createNonce();
    policy = pageContentSecurityPolicy(nonce, process.env.NODE_ENV === "development");
    headers.set("x-nonce", nonce);
    headers.set("content-security-policy", policy);
  }
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", policy);
  if (!mayBeStored(pathname)) response.headers.set("Cache-Control", noStoreCacheControl(pathname));
  return response;
}

function malformedPath(api: boolean): Response {
  const message = "The URL is not valid: a % in its path must start an escape such as %20.";
  const headers = { "Content-Security-Policy": API_CONTENT_SECURITY_POLICY, "Cache-Control": "no-store" };
  return api
    ? errorResponse(400, API_ERRORS.BAD_REQUEST, message, headers)
    : new NextResponse(message, { status: 400, headers: { ...headers, "Content-Type": "text/plain; charset=utf-8" } });
}

export const config = {
  // Build output under /_next/static and /_next/image is fixed, public, and carries no session.
  matcher: ["/((?!_next/static|_next/image).*)"],
};
