import "server-only";
/**
 * Login throttling; the rules are documented in docs/security.md ("Login
 * throttling"). Every password check, at login or on a password change, runs
 * through `attempt()`:
 *
 * 1. the attempt is claimed on its counters before any work, and refused
 *    when one is at its limit: per account+address pair, per address, and
 *    per account (a softer limit, waived for addresses the account has
 *    logged in from, so that nobody can lock the owner out);
 * 2. it takes a slot on the in-flight caps (per account, per address, in
 *    total), or is refused for a second;
 * 3. the check runs. A failure stays counted; a success clears the pair's
 *    counter, gives back its claim on the others and remembers the address.
 */
import { addressKey } from "./client-address.ts";
import { createInFlightLimiter, type InFlightLimiter } from "./in-flight.ts";
import type { CounterStore, WindowRule } from "./rate-limit.ts";

export interface ThrottleRules {
  readonly pair: WindowRule;
  readonly address: WindowRule;
  /** Soft: does not apply to addresses the account logged in from within `knownAddressSeconds`. */
  readonly account: WindowRule;
  readonly knownAddressSeconds: number;
  readonly inFlight: { readonly account: number; readonly address: number; readonly total: number };
}

const FIFTEEN_MINUTES = 15 * 60;

export const LOGIN_RULES: ThrottleRules = {
  pair: { limit: 5, windowSeconds: FIFTEEN_MINUTES },
  address: { limit: 20, windowSeconds: FIFTEEN_MINUTES },
  account: { limit: 50, windowSeconds: FIFTEEN_MINUTES },
  knownAddressSeconds: 30 * 24 * 60 * 60,
  inFlight: { account: 2, address: 4, total: 8 },
};

/** Refused before any password work: too many failures, or too many checks running now. */
export class Throttled extends Error {
  constructor(
    readonly reason: "failures" | "busy",
    readonly retryAfterSeconds: number,
  ) {
    super(reason === "busy" ? "too many password checks in flight" : "too many failed password checks");
    this.name = "Throttled";
  }
}

export interface Claimant {
  /** The username as typed: existing or not, it is throttled the same way. */
  readonly account: string;
  readonly ip: string | null;
}

export interface LoginThrottle {
  /** Runs `check` (null means the password was wrong) under the throttle; throws Throttled when refused. */
  attempt<T>(claimant: Claimant, check: () => Promise<T | null>): Promise<T | null>;
}

/** Usernames differing only in case or Unicode form share counters. */
const normalizeAccount = (username: string) => username.normalize("NFKC").toLowerCase();

export function createLoginThrottle(store: CounterStore, rules: ThrottleRules = LOGIN_RULES, inFlight: InFlightLimiter = createInFlightLimiter()): LoginThrottle {
  return {
    async attempt<T>(claimant: Claimant, check: () => Promise<T | null>): Promise<T | null> {
      const account = normalizeAccount(claimant.account);
      const address = addressKey(claimant.ip);
      // The address goes first: it never contains "|", so no username can forge another pair's key.
      const pairKey = `pair:${address}|${account}`;
      const addressCounter = `address:${address}`;
      const accountCounter = `account:${account}`;
      const knownKey = `known:${address}|${account}`;
      const known = await store.isMarked(knownKey);
      const claim = await store.claim([
        { key: pairKey, ...rules.pair },
        { key: addressCounter, ...rules.address },
        { key: accountCounter, windowSeconds: rules.account.windowSeconds, limit: known ? null : rules.account.limit },
      ]);
      if (!claim.ok) throw new Throttled("failures", claim.retryAfterSeconds);
      const claimed = [pairKey, addressCounter, accountCounter];
      const leave = inFlight.tryAcquire([
        { key: accountCounter, limit: rules.inFlight.account },
        { key: addressCounter, limit: rules.inFlight.address },
        { key: "total", limit: rules.inFlight.total },
      ]);
      if (!leave) {
        await store.release(claimed);
        throw new Throttled("busy", 1);
      }
      let result: T | null;
      try {
        result = await check();
      } catch (error) {
        // Not an attempt (the database failed, say): it must not count against the user.
        await store.release(claimed);
        throw error;
      } finally {
        leave();
      }
      if (result !== null) {
        await Promise.all([store.reset(pairKey), store.release([addressCounter, accountCounter]), store.mark(knownKey, rules.knownAddressSeconds)]);
      }
      return result;
    },
  };
}
