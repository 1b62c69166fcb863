import "server-only";
/**
 * What the dashboard's data layer works on: the database (through Prisma),
 * the session runtime (the configured engine, its codec and policy) and the
 * time. The app uses the process's own; tests pass theirs, so the same code
 * runs against every engine on real services.
 */
import type { AppPrismaClient } from "../../node/db/connection.ts";
import type { SessionRuntime } from "../../node/session/runtime.ts";
import { getEnv } from "../../node/env.ts";
import { getDatabase } from "../db/client.ts";
import { getSessionRuntime } from "../session/instance.ts";

export interface AdminContext {
  readonly prisma: AppPrismaClient;
  readonly provider: "sqlite" | "postgresql";
  readonly runtime: Pick<SessionRuntime, "config" | "codec" | "store" | "policy" | "engine">;
  readonly now: () => Date;
  /**
   * Attach mode (SESSIONSCOPE_ATTACH=django): the database is a Django site's, whose saves change
   * django_session.expire_date without the meta table's copy, so the listing reads django_session's.
   */
  readonly attached?: boolean;
}

export function appAdminContext(): AdminContext {
  const db = getDatabase();
  return { prisma: db.prisma, provider: db.provider, runtime: getSessionRuntime(), now: () => new Date(), attached: getEnv().SESSIONSCOPE_ATTACH !== undefined };
}
