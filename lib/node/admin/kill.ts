/**
 * Ending sessions, with the audit entry that proves it: shared by the
 * dashboard's kills and the role command (a change of role ends the user's
 * sessions). Kills go through the engine, so that caches follow (cached_db's
 * tombstones) and a killed session is dead on its next request.
 */
import { supportsIssuedBefore, supportsUserIndex, type SessionStore } from "../../session/index.ts";
import type { AppPrismaClient } from "../db/connection.ts";
import { recordAudit, type AuditInput } from "./audit.ts";

/** What a kill ends: sessions by key, every session of a user, or every session created before a moment. */
export type KillTarget = { readonly keys: readonly string[] } | { readonly userId: string } | { readonly issuedBefore: Date };

export interface KillOutcome {
  /** Sessions actually deleted. */
  readonly revoked: number;
  readonly auditId: number;
}

export class KillUnsupported extends Error {
  override readonly name = "KillUnsupported";
}

async function deleteTarget(store: SessionStore, target: KillTarget): Promise<number> {
  if ("keys" in target) {
    let deleted = 0;
    for (const key of target.keys) {
      if (!(await store.exists(key))) continue;
      await store.delete(key);
      deleted++;
    }
    return deleted;
  }
  if ("userId" in target) {
    if (!supportsUserIndex(store)) throw new KillUnsupported(`the ${store.engine} engine keeps no per-user index: it cannot end a user's sessions`);
    return store.deleteByUser(target.userId);
  }
  if (!supportsIssuedBefore(store)) throw new KillUnsupported(`the ${store.engine} engine does not record when sessions were issued`);
  return store.deleteIssuedBefore(target.issuedBefore);
}

/** Ends the target's sessions and writes the audit entry with the exact count. */
export async function killSessions(prisma: AppPrismaClient, store: SessionStore, target: KillTarget, audit: Omit<AuditInput, "sessionCount">): Promise<KillOutcome> {
  const revoked = await deleteTarget(store, target);
  const auditId = await recordAudit(prisma, { ...audit, sessionCount: revoked });
  return { revoked, auditId };
}
