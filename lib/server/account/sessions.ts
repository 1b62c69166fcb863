import "server-only";
/**
 * "Your sessions": a user's own sessions, addressed by their opaque public
 * id. Session keys never leave the server: a key is a bearer credential.
 */
import { type Session, type SessionListItem, supportsUserIndex } from "@/lib/session";
import type { CurrentUser } from "../auth/auth.ts";
import { API_ERRORS, HttpError } from "../http.ts";
import { getSessionRuntime } from "../session/instance.ts";
import { describeDevice } from "../../node/device.ts";

export interface AccountSession {
  readonly id: string;
  readonly current: boolean;
  readonly device: string;
  readonly ip: string | null;
  readonly createdAt: string | null;
  readonly lastActivity: string | null;
  readonly expiresAt: string;
}

/** The answer to signing out one session: `current` when it was the caller's own (a logout). */
export interface RevokeResult {
  readonly current: boolean;
}

export interface RevokeOthersResult {
  readonly revoked: number;
}

function userIndexedStore() {
  const { store, engine } = getSessionRuntime();
  if (!supportsUserIndex(store)) {
    // The request is fine; this server's configuration cannot answer it (a 5xx, so nothing is saved).
    throw new HttpError(501, API_ERRORS.NOT_IMPLEMENTED, `This server's session engine (${engine}) keeps no per-user index, so sessions cannot be listed or signed out one by one.`);
  }
  return store;
}

function toAccountSession(item: SessionListItem, currentKey: string | null): AccountSession {
  return {
    id: item.publicId ?? "",
    current: item.key === currentKey,
    device: describeDevice(item.userAgent),
    ip: item.ip ?? null,
    createdAt: item.createdAt?.toISOString() ?? null,
    lastActivity: (item.lastActivity ?? item.createdAt)?.toISOString() ?? null,
    expiresAt: item.expireDate.toISOString(),
  };
}

export async function listMySessions(session: Session, user: CurrentUser): Promise<AccountSession[]> {
  const items = await userIndexedStore().listByUser(String(user.id), new Date());
  return items.filter((item) => item.publicId).map((item) => toAccountSession(item, session.key));
}

/** Signs out one of the user's sessions; signing out the current one is a logout. */
export async function revokeMySession(session: Session, user: CurrentUser, publicId: string): Promise<RevokeResult> {
  const store = userIndexedStore();
  const target = (await store.listByUser(String(user.id), new Date())).find((item) => item.publicId === publicId);
  // Someone else's id gives the same answer as a made-up one.
  if (!target) throw new HttpError(404, API_ERRORS.NOT_FOUND, "No such session among yours.");
  if (target.key === session.key) {
    await session.flush();
    return { current: true };
  }
  await store.delete(target.key);
  return { current: false };
}

export async function revokeOtherSessions(session: Session, user: CurrentUser): Promise<RevokeOthersResult> {
  await session.load();
  const revoked = await userIndexedStore().deleteByUser(String(user.id), session.key ?? undefined);
  return { revoked };
}
