import "server-only";
/**
 * How the dashboard runs its reads over every live session (the overview's
 * breakdowns, the policy preview): through the context's SQLite reader when
 * it has one (a worker thread with its own connection: the request thread
 * stays free for the shop and the rest of the dashboard), else through
 * Prisma (PostgreSQL runs them on the server; a SQLite file not in WAL mode
 * keeps them on the request thread, lib/server/db/client.ts).
 *
 * The queries a caller starts in the same tick (a Promise.all) go to the
 * reader as one batch, run in one read transaction: they see the same moment.
 */
import type { Sql } from "@prisma/client/runtime/client";
import { sqliteStatement, type SqliteReader } from "../../node/db/sqlite-reader.ts";
import type { AdminContext } from "./context.ts";

export type HeavyQuery = <T>(query: Sql) => Promise<T[]>;

function batched(reader: SqliteReader): HeavyQuery {
  let pending: Array<{ query: Sql; resolve(rows: unknown[]): void; reject(error: unknown): void }> = [];
  const flush = () => {
    const batch = pending;
    pending = [];
    reader.readAll(batch.map((item) => sqliteStatement(item.query))).forEach((rows, i) => rows.then(batch[i]!.resolve, batch[i]!.reject));
  };
  return <T,>(query: Sql) =>
    new Promise<T[]>((resolve, reject) => {
      if (pending.length === 0) queueMicrotask(flush);
      pending.push({ query, resolve: resolve as (rows: unknown[]) => void, reject });
    });
}

/**
 * A query function for one heavy read (a set of queries started together share a transaction on
 * SQLite). On PostgreSQL each query runs in a transaction that gives it the server's own
 * parallel-worker setting back (SessionScope's connections run without workers, lib/node/db/connection.ts):
 * a pass over every live session is what they are for, on a server with the cores for it.
 */
export function heavyQuery(context: AdminContext): HeavyQuery {
  if (context.provider === "sqlite" && context.reader) return batched(context.reader);
  if (context.provider === "sqlite") return <T,>(query: Sql) => context.prisma.$queryRaw<T[]>(query);
  // An interactive transaction, for its timeout: Prisma 7 ends any transaction after 5 s by default,
  // the array form included (with no way to say otherwise), which a pass over a million sessions on
  // a busy server can outlast. The server's statement_timeout (DATABASE_TIMEOUT_MS) bounds the query.
  return <T,>(query: Sql) =>
    context.prisma.$transaction(
      async (tx) => {
        await tx.$executeRaw`SET LOCAL max_parallel_workers_per_gather TO DEFAULT`;
        return tx.$queryRaw<T[]>(query);
      },
      { timeout: HEAVY_READ_TIMEOUT_MS, maxWait: HEAVY_READ_MAX_WAIT_MS },
    );
}

/** The longest a heavy read's transaction may stay open: DATABASE_TIMEOUT_MS's highest value, so the statement's own limit is what ends it. */
export const HEAVY_READ_TIMEOUT_MS = 600_000;
/** How long a heavy read waits for a pooled connection, as any query does (lib/node/db/connection.ts). */
const HEAVY_READ_MAX_WAIT_MS = 5_000;
