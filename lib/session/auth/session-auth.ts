/**
 * Session-based authentication exactly as django.contrib.auth does it
 * (docs/django-format.md §9): the three session keys, the session auth hash, login with
 * key rotation, logout with flush, and the per-request hash check that ends
 * a user's other sessions when the password changes.
 */
import { constantTimeEqual } from "../crypto.ts";
import type { Session } from "../session.ts";
import { saltedHmac } from "../signing.ts";
import { AUTH_BACKEND_KEY, AUTH_HASH_KEY, AUTH_USER_ID_KEY, MODEL_BACKEND } from "./auth-keys.ts";

export { AUTH_BACKEND_KEY, AUTH_HASH_KEY, AUTH_USER_ID_KEY, MODEL_BACKEND };

const AUTH_HASH_SALT = "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash";

/** What authentication needs to know of a user. */
export interface AuthUser {
  readonly id: number | string;
  /** The stored password hash (e.g. `pbkdf2_sha256$...`), not the password. */
  readonly password: string;
  readonly isActive: boolean;
}

export interface AuthKeys {
  readonly secretKey: string;
  readonly fallbackKeys?: readonly string[];
}

/** Django's `get_session_auth_hash()`: hex HMAC-SHA256 of the stored password hash. */
export function sessionAuthHash(passwordHash: string, secretKey: string): string {
  return saltedHmac(AUTH_HASH_SALT, passwordHash, secretKey, "sha256").toString("hex");
}

/** The pre-3.1 SHA-1 variant, still accepted by Django 3.1/3.2 (not written). */
export function legacySessionAuthHash(passwordHash: string, secretKey: string): string {
  return saltedHmac(AUTH_HASH_SALT, passwordHash, secretKey, "sha1").toString("hex");
}

/**
 * Django's `login()`. An anonymous session gets a new key with its data kept
 * (a cart survives): rotating the key defeats session fixation. A session of
 * another user, or with a stale hash, is flushed. The same user logging in
 * again on a valid session keeps it as it is, as in Django.
 */
export async function login(session: Session, user: AuthUser, keys: AuthKeys, backend = MODEL_BACKEND): Promise<void> {
  await session.load();
  const hash = sessionAuthHash(user.password, keys.secretKey);
  const userId = String(user.id);
  if (session.has(AUTH_USER_ID_KEY)) {
    const stored = session.get(AUTH_HASH_KEY);
    if (session.get(AUTH_USER_ID_KEY) !== userId || typeof stored !== "string" || !constantTimeEqual(stored, hash)) {
      await session.flush();
    }
  } else {
    await session.cycleKey();
  }
  session.set(AUTH_USER_ID_KEY, userId);
  session.set(AUTH_BACKEND_KEY, backend);
  session.set(AUTH_HASH_KEY, hash);
}

/** Django's `logout()`: everything goes, and the middleware deletes the cookie. */
export async function logout(session: Session): Promise<void> {
  await session.flush();
}

export type UserLookup<U extends AuthUser> = (id: string) => Promise<U | null>;

/**
 * Django's `get_user()`: the logged-in user, or null. A session whose hash no
 * longer matches (the password changed elsewhere) is flushed. A hash made with
 * a fallback key is accepted once and rewritten with the current key.
 */
export async function getSessionUser<U extends AuthUser>(
  session: Session,
  lookup: UserLookup<U>,
  keys: AuthKeys,
  options: {
    backends?: readonly string[];
    acceptLegacySha1?: boolean;
    /** Where nothing can be saved (Next server components): accept a fallback-key hash without rewriting it. */
    readOnly?: boolean;
  } = {},
): Promise<U | null> {
  await session.load();
  const id = session.get(AUTH_USER_ID_KEY);
  const backend = session.get(AUTH_BACKEND_KEY);
  const backends = options.backends ?? [MODEL_BACKEND];
  if (typeof id !== "string" || typeof backend !== "string" || !backends.includes(backend)) return null;
  const user = await lookup(id);
  // Django's ModelBackend: an unknown or inactive user is anonymous (the session stays).
  if (!user || !user.isActive) return null;
  const stored = session.get(AUTH_HASH_KEY);
  if (typeof stored === "string") {
    if (constantTimeEqual(stored, sessionAuthHash(user.password, keys.secretKey))) return user;
    for (const fallback of keys.fallbackKeys ?? []) {
      if (constantTimeEqual(stored, sessionAuthHash(user.password, fallback))) {
        // Django 4.1+: accept the old key's hash once, then move to the new key.
        if (options.readOnly) return user;
        await session.cycleKey();
        session.set(AUTH_HASH_KEY, sessionAuthHash(user.password, keys.secretKey));
        return user;
      }
    }
    if (options.acceptLegacySha1 && constantTimeEqual(stored, legacySessionAuthHash(user.password, keys.secretKey))) return user;
  }
  // Read-only callers get "no user"; the next request that can write flushes the session.
  if (!options.readOnly) await session.flush();
  return null;
}

/**
 * Django's `update_session_auth_hash()`: after a password change, keep THIS
 * session logged in (new key, new hash) while every other session of the
 * user fails its hash check on its next request.
 */
export async function updateSessionAuthHash(session: Session, user: AuthUser, keys: AuthKeys): Promise<void> {
  await session.load();
  await session.cycleKey();
  if (session.get(AUTH_USER_ID_KEY) === String(user.id)) session.set(AUTH_HASH_KEY, sessionAuthHash(user.password, keys.secretKey));
}
