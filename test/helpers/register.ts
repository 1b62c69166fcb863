// Registering tests by what a backend declares and what this run has.
import { describe, it } from "vitest";
import { serviceUrl, type Service } from "./services.ts";

/**
 * Registers a test only where it applies: for a backend that does not declare
 * a capability there is nothing to skip (its absence is asserted instead).
 */
export const itIf = (condition: boolean): typeof it => (condition ? it : ((() => {}) as unknown as typeof it));

/**
 * A suite that needs real services. A missing one is loud: outside CI the
 * suite shows up as SKIPPED with the reason; under CI=true it fails (the
 * global setup has already refused to start without it; this holds even when
 * the services' URLs came from outside).
 */
export function describeWithServices(name: string, needs: readonly Service[], body: () => void): void {
  const missing = needs.filter((service) => serviceUrl(service) === null);
  if (missing.length === 0) {
    describe(name, body);
    return;
  }
  const reason = `no ${missing.join(" or ")} server for this run`;
  if (process.env.CI === "true") throw new Error(`${name}: ${reason}; CI=true requires it`);
  describe.skip(`${name} — SKIPPED: ${reason} (CI fails instead)`, () => it("needs the service", () => {}));
  console.warn(`\n*** ${name}: SKIPPED, ${reason} ***\n`);
}
