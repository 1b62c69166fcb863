// What the login tests share: users in a real database, the app's credential
// checker on a given counter store, and a count of the PBKDF2 work done.
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import type { AppPrismaClient } from "../../lib/node/db/connection.ts";
import { createCredentialChecker, type CredentialChecker } from "../../lib/server/auth/credentials.ts";
import type { CounterStore } from "../../lib/server/auth/rate-limit.ts";
import { LOGIN_RULES, createLoginThrottle, type ThrottleRules } from "../../lib/server/auth/throttle.ts";
import { createUserStore } from "../../lib/server/auth/users.ts";
import { HttpError } from "../../lib/server/http.ts";
import { PBKDF2_CHANNEL } from "../../lib/session/index.ts";

export async function addUser(prisma: AppPrismaClient, username: string, passwordHash: string): Promise<{ id: number; username: string }> {
  return prisma.authUser.create({
    data: {
      username,
      password: passwordHash,
      firstName: username,
      lastName: "",
      email: `${username}@example.com`,
      isStaff: false,
      isSuperuser: false,
      isActive: true,
      dateJoined: new Date(),
    },
    select: { id: true, username: true },
  });
}

/** One app instance's credential checker: its own throttle (in-flight caps) over `store`. */
export function openCredentials(prisma: AppPrismaClient, store: CounterStore, options: { iterations: number; rules?: ThrottleRules }): CredentialChecker {
  return createCredentialChecker({ users: createUserStore(prisma), throttle: createLoginThrottle(store, options.rules ?? LOGIN_RULES), iterations: options.iterations });
}

/** Counts PBKDF2 derivations (hashing or checking) until stopped, from the core's diagnostics channel. */
export function countPbkdf2(): { readonly iterations: readonly number[]; stop(): void } {
  const iterations: number[] = [];
  const listener = (message: unknown) => iterations.push((message as { iterations: number }).iterations);
  subscribe(PBKDF2_CHANNEL, listener);
  return { iterations, stop: () => unsubscribe(PBKDF2_CHANNEL, listener) };
}

/** The HTTP status a call ends with: 200, or its HttpError's status. Anything else is rethrown. */
export async function statusOf(call: Promise<unknown>): Promise<{ status: number; error?: HttpError }> {
  try {
    await call;
    return { status: 200 };
  } catch (error) {
    if (error instanceof HttpError) return { status: error.status, error };
    throw error;
  }
}
