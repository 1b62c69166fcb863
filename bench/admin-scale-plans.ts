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

/** The context with every raw query it sends (on its driver or through `$queryRaw`) added to `sent`. */
export function recordingContext(context: AdminContext, sent: SentSql[]): AdminContext {
  const query = context.query;
  return {
    ...context,
    prisma: recording(context.prisma, sent),
    ...(query && {
      query: <T,>(sql: Parameters<typeof query>[0]) => {
        sent.push({ sql: sql.sql, text: sql.text, values: [...sql.values] });
        return query<T>(sql);
      },
    }),
  };
}

/** The client with its $queryRaw recorded, and that of the client an interactive transaction hands its callback (heavy-read.ts). */
function recording<T extends object>(client: T, sent: SentSql[]): T {
  return new Proxy(client, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      if (property === "$queryRaw") {
        return (query: SentSql, ...rest: unknown[]) => {
          sent.push({ sql: query.sql, text: query.text, values: [...query.values] });
          return (value as (...args: unknown[]) => unknown).call(target, query, ...rest);
        };
      }
      if (property === "$transaction") {
        return (work: unknown, ...rest: unknown[]) =>
          (value as (...args: unknown[]) => unknown).call(target, typeof work === "function" ? (tx: object) => (work as (tx: object) => unknown)(recording(tx, sent)) : work, ...rest);
      }
      return value;
    },
  });
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
  /** The plan's lines that read a big table without an index, with nothing to stop them early. */
  readonly fullScans: string[];
  /**
   * Scans under a LIMIT (a capped count whose filter matches nearly every row: the planner rightly
   * reads rows in table order and stops after the cap), which read at most a few thousand rows.
   */
  readonly boundedScans: string[];
}

const indent = (line: string) => line.length - line.trimStart().length;

/** Whether a LIMIT (a capped count) is above the plan line at `index` (ancestors have less indent). */
function underLimit(lines: readonly string[], index: number, isLimit: (line: string) => boolean): boolean {
  let level = indent(lines[index]!);
  for (let i = index - 1; i >= 0; i--) {
    const line = lines[i]!;
    if (indent(line) >= level) continue;
    if (isLimit(line)) return true;
    level = indent(line);
  }
  return false;
}

function classify(lines: string[], isScan: (line: string) => boolean, isLimit: (line: string) => boolean): ExplainedPlan {
  const scans = lines.map((line, i) => ({ line, bounded: underLimit(lines, i, isLimit) })).filter(({ line }) => isScan(line));
  return { lines, fullScans: scans.filter((s) => !s.bounded).map((s) => s.line), boundedScans: scans.filter((s) => s.bounded).map((s) => s.line) };
}

/**
 * The statement's plan. `avoidSeqScan` (PostgreSQL): sequential scans priced out, so that on a
 * small table (where reading it whole is rightly cheaper) the plan shows whether an index could serve.
 */
export async function explain(db: Database, statement: SentSql, options: { readonly avoidSeqScan?: boolean } = {}): Promise<ExplainedPlan> {
  if (db.provider === "sqlite") {
    const rows = db.sqlite.prepare(`EXPLAIN QUERY PLAN ${statement.sql}`).all(...statement.values) as Array<{ id: number; parent: number; detail: string }>;
    const depth = new Map<number, number>();
    const lines = rows.map((row) => {
      const level = (depth.get(row.parent) ?? -1) + 1;
      depth.set(row.id, level);
      return `${"  ".repeat(level)}${row.detail}`;
    });
    const scan = new RegExp(`^\\s*SCAN (${ALIASES.join("|")})\\b(?!.*\\bUSING\\b)`);
    // A subquery under an alias (a page's preselected rows) is read as a co-routine or materialized:
    // "SCAN m" then reads its rows, not the table.
    const subqueries = new Set(lines.flatMap((line) => /^\s*(?:CO-ROUTINE|MATERIALIZE) (\w+)$/.exec(line)?.[1] ?? []));
    const tableScan = (line: string) => scan.test(line) && !subqueries.has(/SCAN (\w+)/.exec(line)![1]!);
    // The dashboard's capped counts are the co-routine "capped" (SELECT … LIMIT cap + 1).
    return classify(lines, tableScan, (line) => /CO-ROUTINE capped/.test(line));
  }
  const client = await db.pool.connect();
  let lines: string[];
  try {
    await client.query("BEGIN");
    if (options.avoidSeqScan) await client.query("SET LOCAL enable_seqscan = off");
    const { rows } = await client.query<{ "QUERY PLAN": string }>(`EXPLAIN ${statement.text}`, [...statement.values]);
    lines = rows.map((row) => row["QUERY PLAN"]);
  } finally {
    await client.query("ROLLBACK");
    client.release();
  }
  const seq = new RegExp(`Seq Scan on (${BIG_TABLES.join("|")})\\b`);
  return classify(lines, (line) => seq.test(line), (line) => /(^|->\s*)Limit\b/.test(line.trim()));
}
