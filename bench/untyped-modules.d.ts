// Session stores the express-session bench drives that ship no type declarations.
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
