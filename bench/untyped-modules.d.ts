// Packages the benches use that ship no type declarations (only what the benches call).
declare module "better-sqlite3-session-store" {
  import type session from "express-session";
  type SqliteStoreClass = new (options: { client: unknown; expired?: { clear?: boolean; intervalMs?: number } }) => session.Store;
  export default function createSqliteStore(expressSession: typeof session): SqliteStoreClass;
}

declare module "connect-pg-simple" {
  import type session from "express-session";
  type PgStoreClass = new (options: {
    pool?: unknown;
    conString?: string;
    tableName?: string;
    createTableIfMissing?: boolean;
    pruneSessionInterval?: number | false;
  }) => session.Store;
  export default function connectPgSimple(expressSession: typeof session): PgStoreClass;
}

declare module "autocannon" {
  interface Client {
    setHeaders(headers: Record<string, string>): void;
  }
  interface Histogram {
    p50: number;
    p99: number;
    mean: number;
  }
  /** The part of autocannon's result the request-cost bench reads. */
  export interface Result {
    latency: Histogram;
    requests: { average: number };
    non2xx: number;
    errors: number;
  }
  interface Options {
    url: string;
    connections?: number;
    /** Seconds. */
    duration?: number;
    /** A number of requests to send instead of a duration. */
    amount?: number;
    setupClient?: (client: Client) => void;
  }
  export default function autocannon(options: Options, callback: (error: Error | null, result: Result) => void): unknown;
}

declare module "connect-memcached" {
  import type session from "express-session";
  type MemcachedStoreClass = new (options: { hosts?: string[]; prefix?: string; ttl?: number }) => session.Store & { client: { end(): void } };
  export default function connectMemcached(expressSession: typeof session): MemcachedStoreClass;
}

declare module "pg/lib/utils.js" {
  /** How pg turns a bound value into its text form (a Date: local time with its offset). */
  export function prepareValue(value: unknown): unknown;
}
