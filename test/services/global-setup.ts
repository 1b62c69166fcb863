// Vitest global setup for the integration projects: reuses the services that
// `npm test` started (their URLs arrive in the environment), or starts its
// own when vitest runs alone. On PostgreSQL it migrates one template database
// that every test database is copied from.
//
// Test files run side by side (one per worker). PostgreSQL and SQLite give
// each test its own database; Redis and Memcached are emptied by the tests
// that use them, so each worker gets a server of its own: the run's server
// for the first worker, one started here for each other (serviceUrl picks by
// VITEST_POOL_ID).
import type { TestProject } from "vitest/node";
import { createPostgresTemplate } from "../helpers/databases.ts";
// @ts-expect-error: plain JavaScript module shared with scripts/test.mjs
import { startMemcached, startRedis, startServices } from "./services.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    pgUrl: string | null;
    /** A migrated database on pgUrl's server to copy test databases from. */
    pgTemplate: string | null;
    /** One Redis server per worker (index: VITEST_POOL_ID - 1); empty when Redis is missing. */
    redisUrls: string[];
    /** One Memcached server per worker, likewise. */
    memcachedUrls: string[];
    missingServices: string;
  }
}

interface Started {
  url: string;
  stop(): void;
}

/** The given server, and one more of the same kind per further worker (each one's stop added to `stops`). */
async function perWorker(given: string | undefined, workers: number, start: () => Promise<Started | null>, stops: Array<() => void>): Promise<string[]> {
  if (!given) return [];
  const urls = [given];
  while (urls.length < workers) {
    const service = await start();
    if (!service) throw new Error(`could not start a second server beside ${given}`);
    stops.push(() => service.stop());
    urls.push(service.url);
  }
  return urls;
}

export default async function setup(project: TestProject) {
  const stops: Array<() => void> = [];
  const stopServices = () => {
    for (const stop of stops.reverse()) stop();
  };
  let env: Record<string, string | undefined> = process.env;
  if (!process.env.SESSIONSCOPE_TEST_PG_URL && !process.env.SESSIONSCOPE_TEST_REDIS_URL && !process.env.SESSIONSCOPE_TEST_MISSING) {
    const services = await startServices();
    stops.push(() => services.stop());
    env = { ...process.env, ...services.env };
  }
  // fileParallelism: false resolves to one worker.
  const workers = Math.max(1, Number(project.config.maxWorkers) || 1);
  const pgUrl = env.SESSIONSCOPE_TEST_PG_URL ?? null;
  let template: Awaited<ReturnType<typeof createPostgresTemplate>> | null = null;
  try {
    template = pgUrl ? await createPostgresTemplate(pgUrl) : null;
    project.provide("redisUrls", await perWorker(env.SESSIONSCOPE_TEST_REDIS_URL, workers, startRedis, stops));
    project.provide("memcachedUrls", await perWorker(env.SESSIONSCOPE_TEST_MEMCACHED_URL, workers, startMemcached, stops));
  } catch (error) {
    await template?.drop();
    stopServices();
    throw error;
  }
  project.provide("pgUrl", pgUrl);
  project.provide("pgTemplate", template?.name ?? null);
  project.provide("missingServices", env.SESSIONSCOPE_TEST_MISSING ?? "");
  return async () => {
    try {
      await template?.drop();
    } finally {
      stopServices();
    }
  };
}
