/**
 * Whether an error means a backing service (the database, Redis, Memcached) is down or
 * overloaded, rather than a bug: such requests answer 503 with Retry-After,
 * save nothing, and the client may simply try again.
 */
const CODES = new Set([
  // Node sockets (pg, ioredis); Memcached's client (lib/node/memcached.ts)
  "EMEMCACHED_UNAVAILABLE", "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EPIPE", "EAI_AGAIN",
  // PostgreSQL: connection failures, shutdown, too many connections, a statement cancelled (statement_timeout)
  "08000", "08001", "08003", "08004", "08006", "57P01", "57P02", "57P03", "53300", "57014",
  // Prisma: database unreachable, timed out, connection closed; no pooled connection in time
  "P1001", "P1002", "P1008", "P1017", "P2024",
  // SQLite: locked past busy_timeout, unreadable or full disk
  "SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_CANTOPEN", "SQLITE_IOERR", "SQLITE_FULL", "SQLITE_READONLY",
]);

const MESSAGES =
  /Connection terminated|Connection is closed|max retries per request|connect ECONNREFUSED|timeout exceeded when trying to connect|Query read timeout|Command timed out|Stream isn't writeable|database is locked/i;

// Prisma's driver adapters report a connection failure as a kind, without the driver's code.
const ADAPTER_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);

export function isServiceUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 5 || typeof error !== "object" || error === null) return false;
  const { code, kind, message, cause, errors, meta } = error as { code?: unknown; kind?: unknown; message?: unknown; cause?: unknown; errors?: unknown; meta?: { driverAdapterError?: unknown } };
  if (typeof code === "string" && CODES.has(code)) return true;
  if (typeof kind === "string" && ADAPTER_KINDS.has(kind)) return true;
  if (typeof message === "string" && MESSAGES.test(message)) return true;
  if (Array.isArray(errors) && errors.some((inner) => isServiceUnavailable(inner, depth + 1))) return true;
  // A raw query's failure (Prisma's P2010) carries the driver's error here.
  if (isServiceUnavailable(meta?.driverAdapterError, depth + 1)) return true;
  return isServiceUnavailable(cause, depth + 1);
}

/** The failure on one line, for the log: its code and the last line of its message (Prisma's first lines say where it was called). */
export function describeUnavailable(error: unknown): string {
  const { code, message } = (typeof error === "object" && error !== null ? error : {}) as { code?: unknown; message?: unknown };
  const lines = String(message ?? error).split("\n").map((line) => line.trim()).filter(Boolean);
  const last = lines.at(-1) ?? "unknown error";
  return typeof code === "string" && !last.includes(code) ? `${code} ${last}` : last;
}
