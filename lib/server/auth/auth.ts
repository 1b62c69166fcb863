import "server-only";
import { AUTH_USER_ID_KEY, getSessionUser, login as loginSession, logout as logoutSession, type Session, updateSessionAuthHash } from "@/lib/session";
import { enforceSessionLimit } from "../admin/policy-limit.ts";
import { API_ERRORS, HttpError } from "../http.ts";
import { getPrisma } from "../db/client.ts";
import { publishAdminEvent } from "../events.ts";
import { recordActivityEvent } from "../../node/admin/activity.ts";
import { getEnv } from "../../node/env.ts";
import { getRedis, getSessionRuntime } from "../session/instance.ts";
import type { RequestInfo } from "../../node/session/request-info.ts";
import { createCredentialChecker, type CredentialChecker } from "./credentials.ts";
import { createMemoryCounterStore, createRedisCounterStore } from "./rate-limit.ts";
import { createLoginThrottle } from "./throttle.ts";
import { createUserStore, type UserRecord } from "./users.ts";

/** The signed-in user as pages and routes see it: no password hash. */
export interface CurrentUser {
  readonly id: number;
  readonly username: string;
  readonly firstName: string;
  readonly role: UserRecord["role"];
}

const toCurrentUser = ({ id, username, firstName, role }: UserRecord): CurrentUser => ({ id, username, firstName, role });

const users = () => createUserStore(getPrisma());

// One throttle per server process (its in-flight caps and, without Redis, its counters), kept across dev reloads.
const holder = globalThis as typeof globalThis & { __sessionscopeCredentials?: CredentialChecker };
function credentials(): CredentialChecker {
  if (!holder.__sessionscopeCredentials) {
    const redis = getRedis();
    const store = redis ? createRedisCounterStore(redis) : createMemoryCounterStore();
    const iterations = getEnv().PASSWORD_PBKDF2_ITERATIONS;
    holder.__sessionscopeCredentials = createCredentialChecker({ users: users(), throttle: createLoginThrottle(store), iterations });
  }
  return holder.__sessionscopeCredentials;
}

function authKeys() {
  const { config } = getSessionRuntime();
  return { secretKey: config.secretKey, fallbackKeys: config.secretKeyFallbacks };
}

/** Checks a username and password: the user, or 401, or 429 with Retry-After (credentials.ts, throttle.ts). */
export async function authenticate(username: string, password: string, info: RequestInfo): Promise<UserRecord> {
  return credentials().authenticate(username, password, info.ip);
}

/** Logs the user into this session: new key, anonymous cart kept, Django's three auth keys. */
export async function logIn(session: Session, user: UserRecord): Promise<CurrentUser> {
  await loginSession(session, user, authKeys());
  await users().touchLastLogin(user.id, new Date());
  await recordActivityEvent(getPrisma(), { kind: "login", userId: user.id });
  const { maxSessionsPerUser } = await getSessionRuntime().policy.get();
  if (maxSessionsPerUser !== null) await enforceSessionLimit(getPrisma(), getSessionRuntime().store, user, session.key, maxSessionsPerUser);
  publishAdminEvent({ type: "session.login", userId: user.id });
  return toCurrentUser(user);
}

export async function logOut(session: Session): Promise<void> {
  await session.load();
  const userId = Number(session.get(AUTH_USER_ID_KEY) ?? NaN);
  await logoutSession(session);
  const knownUser = Number.isSafeInteger(userId) ? userId : null;
  // Only a signed-in session's logout is one: an anonymous visitor pressing "log out" ends nothing worth counting.
  if (knownUser !== null) await recordActivityEvent(getPrisma(), { kind: "logout", userId: knownUser });
  publishAdminEvent({ type: "session.logout", userId: knownUser });
}

/**
 * The user of this session, or null. Verifies the session auth hash on every
 * call: after a password change elsewhere, this session is flushed. Server
 * components pass `readOnly`, since nothing can be saved there.
 */
export async function getCurrentUser(session: Session, options: { readOnly?: boolean } = {}): Promise<CurrentUser | null> {
  // SESSION_ACCEPT_LEGACY also accepts Django 3.1's SHA-1 session auth hashes, as it accepts its session format.
  const acceptLegacySha1 = getSessionRuntime().config.allowLegacyFormats;
  const user = await getSessionUser(session, users().findById, authKeys(), { ...options, acceptLegacySha1 });
  return user ? toCurrentUser(user) : null;
}

export async function requireUser(session: Session): Promise<CurrentUser> {
  const user = await getCurrentUser(session);
  if (!user) throw new HttpError(401, API_ERRORS.UNAUTHENTICATED, "Log in first.");
  return user;
}

/**
 * Changes the password of the session's user, throttled like a login. This
 * session stays logged in (new key, new hash); every other session of the
 * user fails its next hash check, as in Django.
 */
export async function changePassword(session: Session, currentPassword: string, newPassword: string, info: RequestInfo): Promise<void> {
  const current = await requireUser(session);
  const updated = await credentials().changePassword(current, currentPassword, newPassword, info.ip);
  await updateSessionAuthHash(session, updated, authKeys());
}
