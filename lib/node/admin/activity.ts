/**
 * The activity record the overview's last 24 hours read: logins, logouts and
 * expiries, one row each as they happen (kills are read from the audit log,
 * which already records each with its exact count). Writes are one insert
 * and never fail the request that makes them. Rows older than
 * ACTIVITY_RETENTION_DAYS are pruned by `sessionscope clearsessions`.
 */
import { sqltag as sql } from "@prisma/client/runtime/client";
import { formatSqliteDate } from "../../session/index.ts";
import type { AppPrismaClient } from "../db/connection.ts";
import { log, rateLimited } from "../log.ts";

export const ACTIVITY_KINDS = ["login", "logout", "expire"] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

export const ACTIVITY_RETENTION_DAYS = 30;
/** How far back clearsessions counts the expiries it removes: the overview's 24 hours and the 24 before them. */
export const EXPIRY_WINDOW_MS = 48 * 3_600_000;

export interface ActivityInput {
  readonly kind: ActivityKind;
  readonly userId?: number | null;
  readonly at?: Date;
  readonly sessionCount?: number;
}

// A database outage fails every write: one line a minute says so.
const warnWriteFailure = rateLimited(log.warn, { limit: 1, windowMs: 60_000 });

/** One insert; a failure is logged, never thrown (a login must not fail because the overview cannot count it). */
export async function recordActivityEvent(prisma: AppPrismaClient, input: ActivityInput): Promise<void> {
  try {
    await prisma.activity.create({
      data: { kind: input.kind, at: input.at ?? new Date(), userId: input.userId ?? null, sessionCount: input.sessionCount ?? 1 },
    });
  } catch (error) {
    warnWriteFailure(`could not record ${input.kind} activity (${(error as Error).message})`);
  }
}

/** Deletes activity rows older than the retention; returns how many. */
export async function pruneActivity(prisma: AppPrismaClient, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - ACTIVITY_RETENTION_DAYS * 86_400_000);
  return (await prisma.activity.deleteMany({ where: { at: { lt: cutoff } } })).count;
}

/**
 * Before clearsessions deletes expired sessions from django_session: counts
 * those that expired in the last 48 hours, per minute of expiry, into the
 * activity record, so the overview's "expiries in 24 h" still counts them
 * once they are gone. A range of the expire_date index; at most 2,880 rows.
 * Returns how many sessions it counted.
 */
export async function recordClearedExpiries(prisma: AppPrismaClient, provider: "sqlite" | "postgresql", now: Date): Promise<number> {
  const from = new Date(now.getTime() - EXPIRY_WINDOW_MS);
  const rows =
    provider === "sqlite"
      ? await prisma.$queryRaw<Array<{ minute: string; n: number | bigint }>>(
          sql`SELECT substr(expire_date, 1, 16) AS minute, count(*) AS n FROM django_session
            WHERE expire_date >= ${formatSqliteDate(from)} AND expire_date < ${formatSqliteDate(now)} GROUP BY minute`,
        )
      : await prisma.$queryRaw<Array<{ minute: string; n: number | bigint }>>(
          sql`SELECT to_char(date_trunc('minute', expire_date AT TIME ZONE 'UTC'), 'YYYY-MM-DD HH24:MI') AS minute, count(*) AS n FROM django_session
            WHERE expire_date >= ${from}::timestamptz AND expire_date < ${now}::timestamptz GROUP BY 1`,
        );
  const data = rows.map((row) => ({ kind: "expire", at: new Date(`${row.minute.replace(" ", "T")}:00Z`), userId: null, sessionCount: Number(row.n) }));
  if (data.length) await prisma.activity.createMany({ data });
  return data.reduce((sum, row) => sum + row.sessionCount, 0);
}

