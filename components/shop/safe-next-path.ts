// Browsers drop tabs and newlines inside URLs, strip leading controls and
// spaces, and read "\" as "/": "/\t/evil.example" and "/\evil.example" both
// become "//evil.example", another site. Such values are refused outright.
const UNSAFE_CHARACTERS = /[\u0000-\u0020\u007f-\u009f\\]/;
const MAX_LENGTH = 2048;

/**
 * Where to go after logging in: `next` resolved against the site's origin,
 * reduced to its path, query and fragment, or `fallback` when it names
 * another site, another scheme, or holds characters browsers reinterpret.
 * Django's url_has_allowed_host_and_scheme guards the same open redirect.
 */
export function safeNextPath(next: string | string[] | undefined, origin: string, fallback = "/account"): string {
  if (typeof next !== "string" || next === "" || next.length > MAX_LENGTH) return fallback;
  let decoded: string;
  try {
    decoded = decodeURIComponent(next);
  } catch {
    return fallback;
  }
  // Checked encoded and decoded: a proxy or a second decoding would turn "%5C" into "\".
  if (UNSAFE_CHARACTERS.test(next) || UNSAFE_CHARACTERS.test(decoded)) return fallback;
  let site: URL;
  let target: URL;
  try {
    site = new URL(origin);
    target = new URL(next, site);
  } catch {
    return fallback;
  }
  if (target.origin !== site.origin) return fallback;
  const path = `${target.pathname}${target.search}${target.hash}`;
  // "/%2F%2Fevil.example" is a path here, but "//evil.example" once decoded.
  if (path.startsWith("//") || decodeURIComponent(target.pathname).startsWith("//")) return fallback;
  return path;
}
