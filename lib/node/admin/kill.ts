/**
 * Ending sessions, with the audit entry that proves it: shared by the
 * dashboard's kills and the role command (a change of role ends the user's
 * sessions). Kills go through the engine, so that caches follow (cached_db's
 * tombstones) and a killed session is dead on its next request.
 *
 * Why the engine writes the audit entry (its `kill` with a record) rather
 * than a Prisma transaction doing the delete: the engine owns the deletion
 * (which rows, in which order its cache must follow), and only inside its own
 * transaction can the entry carry the exact count and commit with it. The SQL
 * engines (db, cached_db) therefore write the entry atomically with the
 * deletion: both or neither. Redis (the cache engine) has no transaction
 * shared with the database: the entry is written right after the kill, with
 * the count the kill returned.
 */
import { supportsIssuedBefore, supportsKill, supportsUserIndex, type KillTarget, type SessionStore } from "../../session/index.ts";
import type { AppPrismaClient } from "../db/connection.ts";
import { auditKillRecord, recordAudit, type AuditInput } from "./audit.ts";

export type { KillTarget } from "../../session/index.ts";

export interface KillOutcome {
  /** Sessions actually deleted. */
  readonly revoked: number;
  readonly auditId: number;
}

export class KillUnsupported extends Error {
  override readonly name = "KillUnsupported";
}

/** Engines without the kill capability (file, signed cookies, memory): what their other methods allow. */
async function deleteWithoutKill(store: SessionStore, target: KillTarget): Promise<number> {
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

/** Ends the target's sessions and writes the audit entry with the exact count (atomically where the engine can). */
export async function killSessions(prisma: AppPrismaClient, store: SessionStore, target: KillTarget, audit: Omit<AuditInput, "sessionCount">): Promise<KillOutcome> {
  if (supportsKill(store) && store.recordsKills) {
    const result = await store.kill(target, auditKillRecord(audit));
    return { revoked: result.deleted, auditId: result.recordId! };
  }
  const revoked = supportsKill(store) ? (await store.kill(target)).deleted : await deleteWithoutKill(store, target);
  return { revoked, auditId: await recordAudit(prisma, { ...audit, sessionCount: revoked }) };
}
