import { describe, expect, it } from "vitest";
import { createSessionCodec } from "../codec.ts";
import { createMemoryStore } from "../engines/memory.ts";
import { Session } from "../session.ts";
import { loadMeta, loadVectors, str } from "../../../test/fixtures/django-vectors.ts";
import {
  AUTH_BACKEND_KEY, AUTH_HASH_KEY, AUTH_USER_ID_KEY, MODEL_BACKEND, getSessionUser, legacySessionAuthHash, login, logout,
  sessionAuthHash, updateSessionAuthHash, type AuthUser,
} from "./session-auth.ts";

const { secret_key: SECRET } = loadMeta();
const keys = { secretKey: SECRET };
const auth = loadVectors("auth.json");
const db = loadVectors("db.json");
const vector = (name: string) => auth.find((v) => v.name === name) ?? db.find((v) => v.name === name)!;
const vectorUser = (name: string): AuthUser => {
  const u = vector(name).user as { pk: number; password_field: string };
  return { id: u.pk, password: u.password_field, isActive: true };
};

function setup() {
  const store = createMemoryStore();
  const codec = createSessionCodec({ secretKey: SECRET });
  const open = (key: string | null = null) => new Session({ key, store, codec });
  return { store, open };
}

async function saved(session: Session): Promise<string> {
  await session.save();
  return session.key!;
}

describe("session auth hash (auth.json)", () => {
  it("is Django's hex HMAC-SHA256 of the stored password hash", () => {
    const v = vector("session_auth_hash_sha256");
    expect(sessionAuthHash(str(v, "password_field"), SECRET)).toBe(v.hash);
  });
  it("has the pre-3.1 SHA-1 variant", () => {
    const v = vector("session_auth_hash_sha1_legacy");
    expect(legacySessionAuthHash(str(v, "password_field"), SECRET)).toBe(v.hash);
  });
});

describe("login", () => {
  it("keeps the anonymous data, changes the key and deletes the old session (login_cycle_key)", async () => {
    const { open, store } = setup();
    const anonymous = await open().load();
    anonymous.set("cart", [1, 2, 3]);
    const before = await saved(anonymous);
    await login(anonymous, vectorUser("login_cycle_key"), keys);
    const after = await saved(anonymous);
    expect(after).not.toBe(before);
    expect(await store.exists(before)).toBe(false);
    expect(Object.fromEntries((await open(after).load()).entries())).toMatchObject(vector("login_cycle_key").decoded as object);
    expect((await open(after).load()).keys().slice(-3)).toEqual([AUTH_USER_ID_KEY, AUTH_BACKEND_KEY, AUTH_HASH_KEY]);
  });

  it("flushes another user's session, dropping its data (login_other_user_flush)", async () => {
    const { open } = setup();
    const session = await open().load();
    session.set("cart", [1, 2, 3]);
    await login(session, vectorUser("login_cycle_key"), keys);
    const aliceKey = await saved(session);
    const again = await open(aliceKey).load();
    await login(again, vectorUser("login_other_user_flush"), keys);
    const bobKey = await saved(again);
    expect(bobKey).not.toBe(aliceKey);
    const bob = Object.fromEntries((await open(bobKey).load()).entries());
    expect(bob).not.toHaveProperty("cart");
    expect(bob).toMatchObject(vector("login_other_user_flush").decoded as object);
  });

  it("keeps the key when the same user logs in again with a valid hash", async () => {
    const { open } = setup();
    const session = await open().load();
    await login(session, vectorUser("login_cycle_key"), keys);
    const key = await saved(session);
    const again = await open(key).load();
    await login(again, vectorUser("login_cycle_key"), keys);
    expect(await saved(again)).toBe(key);
  });

  it("logout flushes everything", async () => {
    const { open, store } = setup();
    const session = await open().load();
    await login(session, vectorUser("login_cycle_key"), keys);
    const key = await saved(session);
    const again = await open(key).load();
    await logout(again);
    expect(again.isEmpty()).toBe(true);
    expect(await store.exists(key)).toBe(false);
  });
});

describe("getSessionUser", () => {
  const alice = vectorUser("login_cycle_key");
  const lookup = async (id: string) => (id === String(alice.id) ? alice : null);

  it("returns the user while the hash matches", async () => {
    const { open } = setup();
    const session = await open().load();
    await login(session, alice, keys);
    const key = await saved(session);
    expect(await getSessionUser(await open(key).load(), lookup, keys)).toBe(alice);
  });

  /** A stored session whose _auth_user_hash no longer matches (Django's get_user_hash_mismatch vector). */
  async function staleSession() {
    const { open, store } = setup();
    const session = await open().load();
    session.update(vector("get_user_hash_mismatch").decoded as Record<string, unknown>);
    return { open, store, key: await saved(session) };
  }

  it("flushes the session when the password changed (get_user_hash_mismatch)", async () => {
    const { open, store, key } = await staleSession();
    const user = await getSessionUser(await open(key).load(), lookup, keys);
    expect(user).toBeNull();
    expect(await store.exists(key)).toBe(false);
  });

  it("read-only callers (server components) get no user but leave the session for a writer to flush", async () => {
    const { open, store, key } = await staleSession();
    expect(await getSessionUser(await open(key).load(), lookup, keys, { readOnly: true })).toBeNull();
    expect(await store.exists(key)).toBe(true);
  });

  it("accepts a hash made with a fallback key once, then rewrites it with the current key", async () => {
    const { open } = setup();
    const session = await open().load();
    await login(session, alice, { secretKey: "old-key" });
    const key = await saved(session);
    const rotated = await open(key).load();
    expect(await getSessionUser(rotated, lookup, { secretKey: SECRET, fallbackKeys: ["old-key"] })).toBe(alice);
    expect(rotated.get(AUTH_HASH_KEY)).toBe(sessionAuthHash(alice.password, SECRET));
    expect(await saved(rotated)).not.toBe(key);
  });

  it("ignores sessions of unknown backends and unknown or inactive users", async () => {
    const { open } = setup();
    const session = await open().load();
    session.update({ [AUTH_USER_ID_KEY]: String(alice.id), [AUTH_BACKEND_KEY]: "other.Backend", [AUTH_HASH_KEY]: "x" });
    expect(await getSessionUser(session, lookup, keys)).toBeNull();
    session.set(AUTH_BACKEND_KEY, MODEL_BACKEND);
    expect(await getSessionUser(session, async () => ({ ...alice, isActive: false }), keys)).toBeNull();
  });
});

describe("updateSessionAuthHash (update_session_auth_hash)", () => {
  it("keeps this session logged in with a new key while the others fail their check", async () => {
    const { open } = setup();
    const v = vector("update_session_auth_hash");
    const bob = vectorUser("login_other_user_flush");
    const here = await open().load();
    await login(here, bob, keys);
    const hereKey = await saved(here);
    const elsewhere = await open().load();
    await login(elsewhere, bob, keys);
    const elsewhereKey = await saved(elsewhere);

    const changed = { ...bob, password: str(v, "new_password_field") };
    const current = await open(hereKey).load();
    await updateSessionAuthHash(current, changed, keys);
    const newKey = await saved(current);
    expect(newKey).not.toBe(hereKey);
    expect(current.get(AUTH_HASH_KEY)).toBe((v.decoded as Record<string, string>)[AUTH_HASH_KEY]);

    const lookup = async () => changed;
    expect(await getSessionUser(await open(newKey).load(), lookup, keys)).toBe(changed);
    expect(await getSessionUser(await open(elsewhereKey).load(), lookup, keys)).toBeNull();
  });
});
