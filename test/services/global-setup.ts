// Vitest global setup for the integration project: reuses the services that
// `npm test` started (their URLs arrive in the environment), or starts its
// own when vitest runs alone.
import type { TestProject } from "vitest/node";
// @ts-expect-error: plain JavaScript module shared with scripts/test.mjs
import { startServices } from "./services.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    pgUrl: string | null;
    redisUrl: string | null;
    missingServices: string;
  }
}

export default async function setup(project: TestProject) {
  let stop = () => {};
  let env: Record<string, string | undefined> = process.env;
  if (!process.env.SESSIONSCOPE_TEST_PG_URL && !process.env.SESSIONSCOPE_TEST_REDIS_URL && !process.env.SESSIONSCOPE_TEST_MISSING) {
    const services = await startServices();
    stop = () => services.stop();
    env = { ...process.env, ...services.env };
  }
  project.provide("pgUrl", env.SESSIONSCOPE_TEST_PG_URL ?? null);
  project.provide("redisUrl", env.SESSIONSCOPE_TEST_REDIS_URL ?? null);
  project.provide("missingServices", env.SESSIONSCOPE_TEST_MISSING ?? "");
  return () => stop();
}
