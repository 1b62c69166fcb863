import { inject } from "vitest";

/**
 * The URL of a real service started for this run, or null when it is not
 * installed (outside CI only: under CI=true the run already failed).
 */
export function serviceUrl(name: "postgresql" | "redis"): string | null {
  return name === "postgresql" ? inject("pgUrl") : inject("redisUrl");
}
