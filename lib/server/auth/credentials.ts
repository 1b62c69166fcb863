import "server-only";
/**
 * Password checks, throttled (throttle.ts) and at one cost whatever the
 * account: an unknown username, an unusable or foreign hash and a wrong
 * password all run one PBKDF2 at the configured iteration count and get the
 * same answer, so neither the text nor the timing tells which accounts exist.
 */
import { DEFAULT_PBKDF2_ITERATIONS, checkPassword, hashPassword, passwordNeedsRehash } from "@/lib/session";
import { API_ERRORS, HttpError } from "../http.ts";
import { Throttled, type LoginThrottle } from "./throttle.ts";
import type { UserRecord, UserStore } from "./users.ts";

export interface CredentialCheckerOptions {
  readonly users: UserStore;
  readonly throttle: LoginThrottle;
  /** PBKDF2 iterations of new hashes and of the dummy check. */
  readonly iterations?: number;
}

export interface CredentialChecker {
  /** The user, or HttpError 401 (wrong username or password) or 429 (throttled, with Retry-After). */
  authenticate(username: string, password: string, ip: string | null): Promise<UserRecord>;
  /** Sets a new password after checking the current one: HttpError 400 when it is wrong, 429 when throttled. */
  changePassword(user: { readonly id: number; readonly username: string }, currentPassword: string, newPassword: string, ip: string | null): Promise<UserRecord>;
}

const INVALID = "Invalid username or password.";

export function createCredentialChecker({ users, throttle, iterations = DEFAULT_PBKDF2_ITERATIONS }: CredentialCheckerOptions): CredentialChecker {
  return {
    async authenticate(username, password, ip) {
      const user = await throttled("failed logins", () =>
        throttle.attempt({ account: username, ip }, async () => {
          const found = await users.findByUsername(username);
          if (!(await checkPassword(password, found?.password ?? null, iterations)) || !found?.isActive) return null;
          // Django's hasher upgrade: a hash below today's iteration count is replaced on login.
          return passwordNeedsRehash(found.password, iterations) ? users.setPassword(found.id, await hashPassword(password, { iterations })) : found;
        }),
      );
      if (!user) throw new HttpError(401, API_ERRORS.INVALID_CREDENTIALS, INVALID);
      return user;
    },

    async changePassword(user, currentPassword, newPassword, ip) {
      const updated = await throttled("wrong passwords", () =>
        throttle.attempt({ account: user.username, ip }, async () => {
          const found = await users.findById(user.id);
          if (!(await checkPassword(currentPassword, found?.password ?? null, iterations)) || !found) return null;
          return users.setPassword(found.id, await hashPassword(newPassword, { iterations }));
        }),
      );
      if (!updated) {
        throw new HttpError(400, API_ERRORS.VALIDATION, "The current password is not correct.", {}, [{ path: "currentPassword", message: "incorrect" }]);
      }
      return updated;
    },
  };
}

/** Turns a throttle refusal into the API's 429 with Retry-After. */
async function throttled<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof Throttled)) throw error;
    const wait = error.retryAfterSeconds;
    const minutes = Math.ceil(wait / 60);
    const message =
      error.reason === "busy" ? "Too many password checks at once. Try again in a second." : `Too many ${what}. Try again in ${minutes} minute${minutes > 1 ? "s" : ""}.`;
    throw new HttpError(429, API_ERRORS.RATE_LIMITED, message, { "Retry-After": String(wait) });
  }
}
