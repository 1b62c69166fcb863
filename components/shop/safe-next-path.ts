/**
 * Where to go after logging in. Only a path on this site: "//evil.example"
 * or "https://evil.example" in ?next= would turn the login form into an open
 * redirect (Django's url_has_allowed_host_and_scheme does the same check).
 */
export function safeNextPath(next: string | string[] | undefined, fallback = "/account"): string {
  if (typeof next !== "string" || !next.startsWith("/") || next.startsWith("//") || next.includes("\\")) return fallback;
  return next;
}
