/**
 * Whether an error means a backing service (the database, Redis, Memcached) is down or
 * overloaded, rather than a bug: such requests answer 503 with Retry-After,
 * save nothing, and the client may simply try again.
 */
const CODES = new Set([
  // Node sockets (pg, ioredis); Memcached's client (lib/node/memcached.ts)
  "EMEMCACHED_UNAVAILABLE", "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EPIPE", "EAI_AGAIN",
  // PostgreSQL: connection failures, shutdown, too many connections
  "08000", "08001", "08003", "08004", "08006", "57P01", "57P02", "57P03", "53300",
  // SQLite: locked past busy_timeout, unreadable or full disk
  "SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_CANTOPEN", "SQLITE_IOERR", "SQLITE_FULL", "SQLITE_READONLY",
]);

const MESSAGES = /Connection terminated|Connection is closed|max retries per request|connect ECONNREFUSED|timeout exceeded when trying to connect|Command timed out|Stream isn't writeable|database is locked/i;

export function isServiceUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 5 || typeof error !== "object" || error === null) return false;
  const { code, message, cause, errors } = error as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === "string" && CODES.has(code)) return true;
  if (typeof message === "string" && MESSAGES.test(message)) return true;
  if (Array.isArray(errors) && errors.some((inner) => isServiceUnavailable(inner, depth + 1))) return true;
  return isServiceUnavailable(cause, depth + 1);
}
