import { inject } from "vitest";

export type Service = "postgresql" | "redis" | "memcached";

/**
 * The URL of a real service started for this run, or null when it is not
 * installed (outside CI only: under CI=true the run already failed).
 */
export function serviceUrl(name: Service): string | null {
  if (name === "postgresql") return inject("pgUrl");
  // Redis and Memcached: this worker's own server (test/services/global-setup.ts), so files
  // that run side by side never empty each other's.
  const urls = inject(name === "redis" ? "redisUrls" : "memcachedUrls");
  if (urls.length === 0) return null;
  const worker = Number(process.env.VITEST_POOL_ID ?? "1");
  return urls[(worker - 1) % urls.length]!;
}

/** The run's migrated PostgreSQL template database (test/services/global-setup.ts), to copy test databases from. */
export function postgresTemplate(): string | null {
  return inject("pgTemplate");
}

/** The URL of a service a suite declared it needs (describeWithServices registers it only when present). */
export function requireServiceUrl(name: Service): string {
  const url = serviceUrl(name);
  if (url === null) throw new Error(`no ${name} server for this run`);
  return url;
}
