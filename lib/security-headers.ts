/**
 * The response headers proxy.ts adds to every answer of the app. Pure, so the
 * policy can be read and tested in one place; X-Content-Type-Options,
 * Referrer-Policy and X-Frame-Options are static and live in next.config.js.
 */

/** Paths whose answers hold nothing personal and may be cached. Everything else reads the session. */
const CACHEABLE_PATHS = new Set(["/api/products"]);

/**
 * The policy of a page. Scripts run only with this response's nonce (Next
 * puts it on its own scripts; 'strict-dynamic' lets those load their chunks),
 * so an injected <script> or inline handler does nothing. The product cards'
 * colour gradients are style attributes, hence style-src-attr; <style> and
 * stylesheets need the nonce or this origin.
 */
export function pageContentSecurityPolicy(nonce: string, development = false): string {
  return [
    "default-src 'self'",
    // Next's development server evaluates code for its error overlay; production never does.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    development ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** JSON answers render nothing: they may load nothing and be framed by nobody. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

export const isApiPath = (pathname: string): boolean => pathname === "/api" || pathname.startsWith("/api/");

/** Whether a shared cache or the browser may keep this answer: never when it came from the session. */
export const mayBeStored = (pathname: string): boolean => CACHEABLE_PATHS.has(pathname);

/** Server-sent event streams: no compression or proxy may transform them (and so hold events back to batch them). */
const STREAM_PATHS = new Set(["/api/admin/events"]);

/** The Cache-Control of an answer that may not be stored. */
export const noStoreCacheControl = (pathname: string): string => (STREAM_PATHS.has(pathname) ? "no-store, no-transform" : "no-store");

/** Whether every percent escape in the path decodes (Next answers 500 for route parameters that do not). */
export function isWellFormedPath(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

/**
 * The longest User-Agent passed on to Next and the app. Next's bot detection
 * runs a regular expression whose cost grows with the square of the header's
 * length: one 15 KB User-Agent costs seconds of CPU. Real ones are far shorter.
 */
export const MAX_USER_AGENT_LENGTH = 512;

/** A fresh, unguessable nonce for one response (128 bits). */
export function createNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}
