/**
 * The digest a page's error carries when a backing service (the database, Redis, Memcached) is
 * down or too slow: lib/server/session sets it, app/error.tsx reads it. In production Next hands
 * the browser a server error's digest, never its message, and keeps a digest the error already has.
 */
export const SERVICE_UNAVAILABLE_DIGEST = "SESSIONSCOPE_SERVICE_UNAVAILABLE";
