import "server-only";
import { burnPasswordCheck, getSessionUser, hashPassword, login as loginSession, logout as logoutSession, passwordNeedsRehash, type Session, updateSessionAuthHash, verifyPassword } from "@/lib/session";
import { API_ERRORS, HttpError } from "../http.ts";
import { getRedis, getSessionRuntime } from "../session/instance.ts";
import type { RequestInfo } from "../../node/session/request-info.ts";
import { LOGIN_RULES, createMemoryCounter, createRedisCounter, type FailureCounter } from "./rate-limit.ts";
import { findUserById, findUserByUsername, setUserPassword, touchLastLogin, type UserRecord } from "./users.ts";

/** The signed-in user as pages and routes see it: no password hash. */
export interface CurrentUser {
  readonly id: number;
  readonly username: string;
  readonly firstName: string;
  readonly role: UserRecord["role"];
}

const toCurrentUser = ({ id, username, firstName, role }: UserRecord): CurrentUser => ({ id, username, firstName, role });

const holder = globalThis as typeof globalThis & { __sessionscopeLoginCounter?: FailureCounter };
function failures(): FailureCounter {
  if (!holder.__sessionscopeLoginCounter) {
    const redis = getRedis();
    holder.__sessionscopeLoginCounter = redis ? createRedisCounter(redis) : createMemoryCounter();
  }
  return holder.__sessionscopeLoginCounter;
}

function authKeys() {
  const { config } = getSessionRuntime();
  return { secretKey: config.secretKey, fallbackKeys: config.secretKeyFallbacks };
}

const INVALID = "Invalid username or password.";

/**
 * Checks a username and password, throttled per account and per IP. One
 * message for every failure and the same work whether the account exists,
 * so neither the text nor the timing tells which usernames are real.
 */
export async function authenticate(username: string, password: string, info: RequestInfo): Promise<UserRecord> {
  const counter = failures();
  const accountKey = `account:${username.toLowerCase()}`;
  const ipKey = `ip:${info.ip ?? "unknown"}`;
  const wait = Math.max(await counter.retryAfter(accountKey, LOGIN_RULES.account), await counter.retryAfter(ipKey, LOGIN_RULES.ip));
  if (wait > 0) {
    throw new HttpError(429, API_ERRORS.RATE_LIMITED, `Too many failed logins. Try again in ${Math.ceil(wait / 60)} minute${wait > 60 ? "s" : ""}.`, {
      "Retry-After": String(wait),
    });
  }
  const user = await findUserByUsername(username);
  const ok = user ? await verifyPassword(password, user.password) : await burnPasswordCheck(password);
  if (!user || !ok || !user.isActive) {
    await Promise.all([counter.recordFailure(accountKey, LOGIN_RULES.account), counter.recordFailure(ipKey, LOGIN_RULES.ip)]);
    throw new HttpError(401, API_ERRORS.INVALID_CREDENTIALS, INVALID);
  }
  await counter.reset(accountKey);
  if (passwordNeedsRehash(user.password)) return setUserPassword(user.id, await hashPassword(password));
  return user;
}

/** Logs the user into this session: new key, anonymous cart kept, Django's three auth keys. */
export async function logIn(session: Session, user: UserRecord): Promise<CurrentUser> {
  await loginSession(session, user, authKeys());
  await touchLastLogin(user.id, new Date());
  return toCurrentUser(user);
}

export async function logOut(session: Session): Promise<void> {
  await logoutSession(session);
}

/**
 * The user of this session, or null. Verifies the session auth hash on every
 * call: after a password change elsewhere, this session is flushed. Server
 * components pass `readOnly`, since nothing can be saved there.
 */
export async function getCurrentUser(session: Session, options: { readOnly?: boolean } = {}): Promise<CurrentUser | null> {
  const user = await getSessionUser(session, findUserById, authKeys(), options);
  return user ? toCurrentUser(user) : null;
}

export async function requireUser(session: Session): Promise<CurrentUser> {
  const user = await getCurrentUser(session);
  if (!user) throw new HttpError(401, API_ERRORS.UNAUTHENTICATED, "Log in first.");
  return user;
}

/**
 * Changes the password of the session's user. This session stays logged in
 * (new key, new hash); every other session of the user fails its next hash
 * check, as in Django.
 */
export async function changePassword(session: Session, currentPassword: string, newPassword: string): Promise<void> {
  const current = await requireUser(session);
  const user = await findUserById(current.id);
  if (!user || !(await verifyPassword(currentPassword, user.password))) {
    throw new HttpError(400, API_ERRORS.VALIDATION, "The current password is not correct.", {}, [{ path: "currentPassword", message: "incorrect" }]);
  }
  const updated = await setUserPassword(user.id, await hashPassword(newPassword));
  await updateSessionAuthHash(session, updated, authKeys());
}
