/**
 * Runs before every route: a Content-Security-Policy with a fresh nonce for
 * each page (Next reads it from the request's policy header and puts it on
 * its scripts), and no caching of anything read from the session.
 */
import { NextResponse, type NextRequest } from "next/server";
import { API_CONTENT_SECURITY_POLICY, createNonce, isApiPath, mayBeStored, pageContentSecurityPolicy } from "@/lib/security-headers";

export function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  let response: NextResponse;
  let policy: string;
  if (isApiPath(pathname)) {
    policy = API_CONTENT_SECURITY_POLICY;
    response = NextResponse.next();
  } else {
    const nonce = createNonce();
    policy = pageContentSecurityPolicy(nonce, process.env.NODE_ENV === "development");
    const headers = new Headers(request.headers);
    headers.set("x-nonce", nonce);
    headers.set("content-security-policy", policy);
    response = NextResponse.next({ request: { headers } });
  }
  response.headers.set("Content-Security-Policy", policy);
  if (!mayBeStored(pathname)) response.headers.set("Cache-Control", "no-store");
  return response;
}

export const config = {
  // Build output under /_next/static and /_next/image is fixed, public, and carries no session.
  matcher: ["/((?!_next/static|_next/image).*)"],
};
