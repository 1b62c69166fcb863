import "server-only";
/**
 * The audit log as the dashboard reads it: newest first, filtered by actor,
 * action and time, paged with a keyset cursor, and exported as CSV with every
 * matching entry. Read-only: entries are written by the actions themselves
 * (lib/node/admin) and the database refuses to change or delete them.
 */
import type { AuditEntryView, AuditPage } from "@/lib/admin-api";
import { parseDevice } from "../../node/device.ts";
import { assertPermission, type AdminUser } from "./access.ts";
import { appAdminContext, type AdminContext } from "./context.ts";
import { csvRow } from "./csv.ts";
import { openCursor, sealCursor } from "./cursor.ts";
import type { AuditFilter } from "./schemas.ts";

type Entry = Awaited<ReturnType<AdminContext["prisma"]["auditEntry"]["findMany"]>>[number];

const CURSOR_SCOPE = "audit";
const EXPORT_BATCH = 500;

function whereOf(filter: Pick<AuditFilter, "actor" | "action" | "from" | "to">) {
  const numeric = filter.actor !== undefined && /^\d{1,10}$/.test(filter.actor);
  return {
    ...(filter.actor !== undefined && (numeric ? { actorId: Number(filter.actor) } : { actorUsername: filter.actor })),
    // "sessions." matches every sessions.* action; anything else is one action.
    ...(filter.action !== undefined && { action: filter.action.endsWith(".") ? { startsWith: filter.action } : filter.action }),
    ...((filter.from || filter.to) && { at: { ...(filter.from && { gte: filter.from }), ...(filter.to && { lt: filter.to }) } }),
  };
}

type Position = readonly [at: string, id: number];

function afterWhere(position: Position | null) {
  if (!position) return {};
  const at = new Date(position[0]);
  return { OR: [{ at: { lt: at } }, { at, id: { lt: position[1] } }] };
}

async function readPage(context: AdminContext, filter: AuditFilter, after: Position | null, take: number): Promise<Entry[]> {
  return context.prisma.auditEntry.findMany({
    where: { AND: [whereOf(filter), afterWhere(after)] },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take,
  });
}

function parseDetail(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
  } catch {
    return { text };
  }
}

function toView(entry: Entry): AuditEntryView {
  return {
    id: entry.id,
    at: entry.at.toISOString(),
    actor: { id: entry.actorId, username: entry.actorUsername ?? (entry.actorId === null ? "unknown" : `user ${entry.actorId}`) },
    action: entry.action,
    target: entry.target,
    sessionCount: entry.sessionCount,
    ip: entry.ip,
    device: parseDevice(entry.userAgent)?.label ?? null,
    detail: parseDetail(entry.detail),
  };
}

function toPosition(value: unknown): Position {
  if (!Array.isArray(value) || typeof value[0] !== "string" || typeof value[1] !== "number") throw new TypeError("SessionScope: unexpected audit cursor");
  return [value[0], value[1]];
}

/** GET /api/admin/audit: one page, newest first. */
export async function listAudit(caller: AdminUser, filter: AuditFilter, context: AdminContext = appAdminContext()): Promise<AuditPage> {
  assertPermission(caller, "audit:view");
  const secret = context.runtime.config.secretKey;
  const after = filter.cursor ? toPosition(openCursor(secret, CURSOR_SCOPE, filter.cursor)) : null;
  const entries = await readPage(context, filter, after, filter.limit + 1);
  const shown = entries.slice(0, filter.limit);
  const last = shown.at(-1);
  return {
    items: shown.map(toView),
    nextCursor: entries.length > filter.limit && last ? sealCursor(secret, CURSOR_SCOPE, [last.at.toISOString(), last.id]) : null,
  };
}

export const AUDIT_CSV_HEADER = ["id", "at", "actor_id", "actor", "action", "target", "session_count", "ip", "device", "user_agent", "detail"] as const;

function csvLine(entry: Entry): string {
  return csvRow([
    entry.id,
    entry.at.toISOString(),
    entry.actorId,
    entry.actorUsername,
    entry.action,
    entry.target,
    entry.sessionCount,
    entry.ip,
    parseDevice(entry.userAgent)?.label ?? null,
    entry.userAgent,
    entry.detail,
  ]);
}

/** `sessionscope-audit-2026-03-01.csv` */
export function auditCsvFilename(now: Date): string {
  return `sessionscope-audit-${now.toISOString().slice(0, 10)}.csv`;
}

/**
 * GET /api/admin/audit?format=csv: every entry the filters match (the cursor
 * and limit do not apply), newest first, read in batches as the download
 * proceeds so that a long log never sits in memory.
 */
export function exportAuditCsv(caller: AdminUser, filter: AuditFilter, context: AdminContext = appAdminContext()): ReadableStream<Uint8Array> {
  assertPermission(caller, "audit:view");
  const encoder = new TextEncoder();
  let after: Position | null = null;
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(csvRow(AUDIT_CSV_HEADER)));
        return;
      }
      const entries = await readPage(context, filter, after, EXPORT_BATCH);
      if (entries.length) controller.enqueue(encoder.encode(entries.map(csvLine).join("")));
      const last = entries.at(-1);
      if (entries.length < EXPORT_BATCH || !last) controller.close();
      else after = [last.at.toISOString(), last.id];
    },
  });
}
