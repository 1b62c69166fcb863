import "server-only";
/**
 * How the dashboard runs its listing SQL (a query built with Prisma's `sql`
 * tag): on the driver itself, pg's pool or the better-sqlite3 connection,
 * rather than through Prisma's `$queryRaw`.
 *
 * Why: at a million sessions the list's queries take a few milliseconds, and
 * a call through `$queryRaw` left the process's young-generation collections
 * far slower: 14-16 ms each on PostgreSQL and a median of 20 ms on SQLite,
 * against 1.2 ms and 5 ms for the same queries on the driver (3,000 calls of
 * one page, `node --trace-gc`). One call in twenty met one, which set the 95th
 * percentile of whichever query it fell on (docs/benchmarks.md, "A million
 * sessions"). The rows are the same: dates as the driver reads them (sessions.ts
 * parses SQLite's text and pg's Dates alike), counts as strings or numbers,
 * each read through Number().
 */
import type { Sql } from "@prisma/client/runtime/client";
import type { AppPrismaClient, Database } from "../../node/db/connection.ts";
import { bindable } from "../../node/db/sqlite-reader.ts";

export type RawQuery = <T>(query: Sql) => Promise<T[]>;

/** Runs queries on `db`'s own driver (the connection its engines use). */
export function driverQuery(db: Database): RawQuery {
  if (db.provider === "postgresql") {
    const pool = db.pool;
    return async <T,>(query: Sql) => (await pool.query(query.text, query.values as unknown[])).rows as T[];
  }
  const connection = db.sqlite;
  return async <T,>(query: Sql) => connection.prepare(query.sql).all(...query.values.map(bindable)) as T[];
}

/** The context's driver when it has one, else Prisma's `$queryRaw` (an AdminContext's `query` and `prisma`). */
export function rawQuery(context: { readonly query?: RawQuery; readonly prisma: AppPrismaClient }): RawQuery {
  return context.query ?? (<T,>(query: Sql) => context.prisma.$queryRaw<T[]>(query));
}
