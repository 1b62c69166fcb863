/**
 * The session cookie as Django's SessionMiddleware writes it (docs/django-format.md §8):
 * Set-Cookie values in Python's Morsel order, and the Cookie header parsed
 * like `django.http.parse_cookie`.
 */
import type { SessionConfig } from "./config.ts";

type CookieSettings = Pick<SessionConfig, "cookieName" | "cookieDomain" | "cookiePath" | "cookieSecure" | "cookieHttpOnly" | "cookieSameSite">;

const SAFE_VALUE = /^[A-Za-z0-9_.:\-]+$/;

/**
 * The Set-Cookie value for a saved session. `maxAge` null makes a browser-session
 * cookie (no Max-Age, no expires); otherwise expires = floor(now + maxAge) in GMT.
 */
export function buildSessionCookie(settings: CookieSettings, value: string, maxAge: number | null, now: Date): string {
  if (!SAFE_VALUE.test(value)) throw new TypeError("buildSessionCookie: session cookie values are [A-Za-z0-9_.:-] only");
  const expires = maxAge === null ? null : formatHttpDate(new Date(Math.floor(now.getTime() / 1000 + maxAge) * 1000));
  return serialize(settings.cookieName, value, {
    domain: settings.cookieDomain,
    expires,
    httpOnly: settings.cookieHttpOnly,
    maxAge,
    path: settings.cookiePath,
    sameSite: settings.cookieSameSite || null,
    secure: settings.cookieSecure,
  });
}

/** Django's `delete_cookie`: empty value, 1970 date, Max-Age=0; Secure only for __Secure-/__Host- names or SameSite=None. */
export function buildDeleteCookie(settings: CookieSettings): string {
  const { cookieName, cookieSameSite } = settings;
  return serialize(cookieName, "", {
    domain: settings.cookieDomain,
    expires: "Thu, 01 Jan 1970 00:00:00 GMT",
    httpOnly: false,
    maxAge: 0,
    path: settings.cookiePath,
    sameSite: cookieSameSite || null,
    secure: cookieName.startsWith("__Secure-") || cookieName.startsWith("__Host-") || cookieSameSite === "None",
  });
}

interface Attributes {
  domain: string | null;
  expires: string | null;
  httpOnly: boolean;
  maxAge: number | null;
  path: string;
  sameSite: string | null;
  secure: boolean;
}

/** Python's Morsel.OutputString: attributes sorted by lower-case name. */
function serialize(name: string, value: string, a: Attributes): string {
  const parts = [`${name}=${value === "" ? '""' : value}`];
  if (a.domain !== null) parts.push(`Domain=${a.domain}`);
  if (a.expires !== null) parts.push(`expires=${a.expires}`);
  if (a.httpOnly) parts.push("HttpOnly");
  if (a.maxAge !== null) parts.push(`Max-Age=${a.maxAge}`);
  parts.push(`Path=${a.path}`);
  if (a.sameSite !== null) parts.push(`SameSite=${a.sameSite}`);
  if (a.secure) parts.push("Secure");
  return parts.join("; ");
}

/** RFC 1123 date in GMT, e.g. "Tue, 28 Nov 2023 22:13:20 GMT". */
function formatHttpDate(date: Date): string {
  return date.toUTCString();
}

/** The named cookie from a Cookie header, as Django's `parse_cookie` reads it (the last occurrence wins). */
export function parseSessionCookie(header: string | null | undefined, name: string): string | null {
  if (!header) return null;
  let found: string | null = null;
  for (const chunk of header.split(";")) {
    const eq = chunk.indexOf("=");
    const key = (eq < 0 ? "" : chunk.slice(0, eq)).trim();
    if (key === name) found = unquote(chunk.slice(eq + 1).trim());
  }
  return found;
}

/** Python's `http.cookies._unquote`: strips quotes and resolves \" \\ and \ooo escapes. */
function unquote(value: string): string {
  if (value.length < 2 || !value.startsWith('"') || !value.endsWith('"')) return value;
  return value.slice(1, -1).replace(/\\(?:([0-3][0-7][0-7])|(.))/g, (_m, octal: string | undefined, ch: string | undefined) =>
    octal ? String.fromCharCode(parseInt(octal, 8)) : ch!,
  );
}
