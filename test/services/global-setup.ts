// Vitest global setup for the integration project: reuses the services that
// `npm test` started (their URLs arrive in the environment), or starts its
// own when vitest runs alone. On PostgreSQL it migrates one template database
// that every test database is copied from.
import type { TestProject } from "vitest/node";
import { createPostgresTemplate } from "../helpers/databases.ts";
// @ts-expect-error: plain JavaScript module shared with scripts/test.mjs
import { startServices } from "./services.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    pgUrl: string | null;
    /** A migrated database on pgUrl's server to copy test databases from. */
    pgTemplate: string | null;
    redisUrl: string | null;
    memcachedUrl: string | null;
    missingServices: string;
  }
}

export default async function setup(project: TestProject) {
  let stopServices = () => {};
  let env: Record<string, string | undefined> = process.env;
  if (!process.env.SESSIONSCOPE_TEST_PG_URL && !process.env.SESSIONSCOPE_TEST_REDIS_URL && !process.env.SESSIONSCOPE_TEST_MISSING) {
    const services = await startServices();
    stopServices = () => services.stop();
    env = { ...process.env, ...services.env };
  }
  const pgUrl = env.SESSIONSCOPE_TEST_PG_URL ?? null;
  let template: Awaited<ReturnType<typeof createPostgresTemplate>> | null = null;
  try {
    template = pgUrl ? await createPostgresTemplate(pgUrl) : null;
  } catch (error) {
    stopServices();
    throw error;
  }
  project.provide("pgUrl", pgUrl);
  project.provide("pgTemplate", template?.name ?? null);
  project.provide("redisUrl", env.SESSIONSCOPE_TEST_REDIS_URL ?? null);
  project.provide("memcachedUrl", env.SESSIONSCOPE_TEST_MEMCACHED_URL ?? null);
  project.provide("missingServices", env.SESSIONSCOPE_TEST_MISSING ?? "");
  return async () => {
    try {
      await template?.drop();
    } finally {
      stopServices();
    }
  };
}
