/**
 * What the database does for each dashboard query: the SQL a call sends is
 * recorded (a Prisma client whose raw queries are seen on the way), then
 * explained, and the plan checked for a scan of a big table without an index.
 * Shared by the scale benchmark and the plan-check test.
 */
import type { Database } from "../lib/node/db/connection.ts";
import type { AdminContext } from "../lib/server/admin/context.ts";

/** A statement as Prisma sends it: `?` placeholders (SQLite) or `$n` (PostgreSQL), and the values. */
export interface SentSql {
  readonly sql: string;
  readonly text: string;
  readonly values: readonly unknown[];
}

/** The context with every `$queryRaw` it sends added to `sent`. */
export function recordingContext(context: AdminContext, sent: SentSql[]): AdminContext {
  const prisma = new Proxy(context.prisma, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (property !== "$queryRaw" || typeof value !== "function") return value;
      return (query: SentSql, ...rest: unknown[]) => {
        sent.push({ sql: query.sql, text: query.text, values: [...query.values] });
        return (value as (...args: unknown[]) => unknown).call(target, query, ...rest);
      };
    },
  });
  return { ...context, prisma };
}

/**
 * The single-row reads the detail makes through Prisma's model API (no raw SQL to record),
 * written out so that their plans are checked too.
 */
export function detailStatements(publicId: string, sessionKey: string): SentSql[] {
  return [
    { sql: "SELECT * FROM sessionscope_session_meta WHERE public_id = ?", text: "SELECT * FROM sessionscope_session_meta WHERE public_id = $1", values: [publicId] },
    { sql: "SELECT * FROM django_session WHERE session_key = ?", text: "SELECT * FROM django_session WHERE session_key = $1", values: [sessionKey] },
  ];
}

const BIG_TABLES = ["django_session", "sessionscope_session_meta", "auth_user"];
/** The aliases the dashboard's SQL gives the big tables. */
const ALIASES = ["s", "m", "u", "n", ...BIG_TABLES];

export interface ExplainedPlan {
  readonly lines: string[];
  /** The plan's lines that read a big table without an index. */
  readonly fullScans: string[];
}

export async function explain(db: Database, statement: SentSql): Promise<ExplainedPlan> {
  if (db.provider === "sqlite") {
    const rows = db.sqlite.prepare(`EXPLAIN QUERY PLAN ${statement.sql}`).all(...statement.values) as Array<{ id: number; parent: number; detail: string }>;
    const depth = new Map<number, number>();
    const lines = rows.map((row) => {
      const level = (depth.get(row.parent) ?? -1) + 1;
      depth.set(row.id, level);
      return `${"  ".repeat(level)}${row.detail}`;
    });
    const scan = new RegExp(`^\\s*SCAN (${ALIASES.join("|")})\\b(?!.*\\bUSING\\b)`);
    return { lines, fullScans: lines.filter((line) => scan.test(line)) };
  }
  const { rows } = await db.pool.query<{ "QUERY PLAN": string }>(`EXPLAIN ${statement.text}`, [...statement.values]);
  const lines = rows.map((row) => row["QUERY PLAN"]);
  const seq = new RegExp(`Seq Scan on (${BIG_TABLES.join("|")})\\b`);
  return { lines, fullScans: lines.filter((line) => seq.test(line)) };
}
