/**
 * The audit log's one writer, shared by the dashboard and the command line.
 * Entries are append-only (database triggers refuse UPDATE and DELETE).
 */
import type { KillRecord } from "../../session/index.ts";
import type { AppPrismaClient } from "../db/connection.ts";

export const AUDIT_ACTIONS = {
  SESSION_KILL: "session.kill",
  SESSIONS_KILL_SELECTED: "sessions.kill_selected",
  SESSIONS_KILL_USER: "sessions.kill_user",
  SESSIONS_KILL_ISSUED_BEFORE: "sessions.kill_issued_before",
  ROLE_GRANT: "role.grant",
  ROLE_REVOKE: "role.revoke",
  POLICY_UPDATE: "policy.update",
  /** A login beyond the policy's sessions-per-user limit ended the user's oldest sessions. */
  SESSION_LIMIT: "session.limit",
} as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[keyof typeof AUDIT_ACTIONS];

/** Who acted: a signed-in dashboard user, or the command line (no user, no address). */
export interface AuditActor {
  readonly id: number | null;
  readonly username: string;
  readonly ip: string | null;
  readonly userAgent: string | null;
}

export const CLI_ACTOR: AuditActor = { id: null, username: "command line", ip: null, userAgent: null };

export interface AuditInput {
  readonly actor: AuditActor;
  readonly action: AuditAction;
  /** What it acted on, addressed without secrets: a public id, `user:<id>`, a date. Never a session key. */
  readonly target?: string | null;
  readonly sessionCount?: number | null;
  readonly detail?: Record<string, unknown>;
  readonly at?: Date;
}

/** The Prisma row for an entry, for writers that insert it inside their own transaction. */
export function auditRow(input: AuditInput) {
  return {
    at: input.at ?? new Date(),
    actorId: input.actor.id,
    actorUsername: input.actor.username.slice(0, 150),
    action: input.action,
    target: input.target?.slice(0, 128) ?? null,
    sessionCount: input.sessionCount ?? null,
    ip: input.actor.ip?.slice(0, 45) ?? null,
    userAgent: input.actor.userAgent?.slice(0, 512) ?? null,
    detail: input.detail ? JSON.stringify(input.detail) : null,
  };
}

/**
 * The entry as a kill record (lib/session's KillRecord): the row an SQL engine
 * writes in the same transaction as the deletion, with the exact count.
 */
export function auditKillRecord(input: Omit<AuditInput, "sessionCount">): KillRecord {
  const row = auditRow(input);
  return {
    table: "sessionscope_audit",
    values: {
      at: row.at,
      actor_id: row.actorId,
      actor_username: row.actorUsername,
      action: row.action,
      target: row.target,
      ip: row.ip,
      user_agent: row.userAgent,
      detail: row.detail,
    },
    countColumn: "session_count",
  };
}

type AuditWriter = Pick<AppPrismaClient, "auditEntry">;

export async function recordAudit(prisma: AuditWriter, input: AuditInput): Promise<number> {
  const row = await prisma.auditEntry.create({ data: auditRow(input), select: { id: true } });
  return row.id;
}
