import "server-only";
/**
 * What the dashboard's data layer works on: the database (through Prisma),
 * the session runtime (the configured engine, its codec and policy) and the
 * time. The app uses the process's own; tests pass theirs, so the same code
 * runs against every engine on real services.
 */
import { sharedCacheIndexScheduler } from "../../node/admin/cache-backfill.ts";
import type { AppPrismaClient } from "../../node/db/connection.ts";
import type { SqliteReader } from "../../node/db/sqlite-reader.ts";
import { getEnv } from "../../node/env.ts";
import type { SessionRuntime } from "../../node/session/runtime.ts";
import { getDatabase, getSqliteReader } from "../db/client.ts";
import { getSessionRuntime } from "../session/instance.ts";
import { driverQuery, type RawQuery } from "./raw-query.ts";

export interface AdminContext {
  readonly prisma: AppPrismaClient;
  readonly provider: "sqlite" | "postgresql";
  readonly runtime: Pick<SessionRuntime, "config" | "codec" | "store" | "policy" | "engine">;
  readonly now: () => Date;
  /** The cache engine: indexes entries a Django site wrote since the last pass, before a listing (throttled; lib/node/admin/cache-backfill.ts). */
  readonly refreshCacheIndex?: () => Promise<void>;
  /** Where the cache engines keep their entries (null or absent: Redis, or an engine without a cache). */
  readonly cacheBackend?: "redis" | "memcached" | null;
  /** SQLite in WAL mode: runs the heavy reads (snapshot, preview) off the request thread (heavy-read.ts). */
  readonly reader?: SqliteReader | null;
  /**
   * Attach mode (SESSIONSCOPE_ATTACH=django): the database is a Django site's, whose saves change
   * django_session.expire_date without the meta table's copy, so the listing reads django_session's.
   */
  readonly attached?: boolean;
  /** Runs the listing's SQL on the database's driver (raw-query.ts); absent: through Prisma's `$queryRaw`. */
  readonly query?: RawQuery;
}

/** How long a listing waits for the cache index's pass before it answers with what is indexed already. */
const CACHE_INDEX_WAIT_MS = 300;

export function appAdminContext(): AdminContext {
  const db = getDatabase();
  const env = getEnv();
  const cacheIndex = sharedCacheIndexScheduler(env);
  return {
    prisma: db.prisma,
    provider: db.provider,
    runtime: getSessionRuntime(),
    now: () => new Date(),
    cacheBackend: env.cacheBackend,
    reader: getSqliteReader(),
    attached: env.SESSIONSCOPE_ATTACH !== undefined,
    query: driverQuery(db),
    ...(cacheIndex && { refreshCacheIndex: () => cacheIndex.nudge(CACHE_INDEX_WAIT_MS) }),
  };
}
