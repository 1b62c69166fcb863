import "server-only";
/**
 * What the dashboard's data layer works on: the database (through Prisma),
 * the session runtime (the configured engine, its codec and policy) and the
 * time. The app uses the process's own; tests pass theirs, so the same code
 * runs against every engine on real services.
 */
import type { AppPrismaClient } from "../../node/db/connection.ts";
import type { SqliteReader } from "../../node/db/sqlite-reader.ts";
import type { SessionRuntime } from "../../node/session/runtime.ts";
import { getDatabase, getSqliteReader } from "../db/client.ts";
import { getSessionRuntime } from "../session/instance.ts";

export interface AdminContext {
  readonly prisma: AppPrismaClient;
  readonly provider: "sqlite" | "postgresql";
  readonly runtime: Pick<SessionRuntime, "config" | "codec" | "store" | "policy" | "engine">;
  readonly now: () => Date;
  /** SQLite in WAL mode: runs the heavy reads (snapshot, preview) off the request thread (heavy-read.ts). */
  readonly reader?: SqliteReader | null;
}

export function appAdminContext(): AdminContext {
  const db = getDatabase();
  return { prisma: db.prisma, provider: db.provider, runtime: getSessionRuntime(), now: () => new Date(), reader: getSqliteReader() };
}
