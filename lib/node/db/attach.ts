/**
 * Attach mode (SESSIONSCOPE_ATTACH=django): SessionScope runs on a Django
 * site's own database. Django's tables (django_session, auth_user) are used
 * as they are: checked, never created, altered or dropped. SessionScope adds
 * only its own prefixed tables, through a chain derived from the committed
 * migrations (statement by statement, by the table each one touches), and
 * keeps its bookkeeping in its own prefixed table too.
 */
import { createHash } from "node:crypto";
import type { Migration, MigrationConnection } from "./migrate.ts";

/** SessionScope's bookkeeping table in an attached database (the same columns as Prisma's). */
export const ATTACH_MIGRATIONS_TABLE = "sessionscope_migrations";

export type TableOwner = "django" | "sessionscope" | "shop" | "own-database";

/**
 * Marks a statement that belongs in SessionScope's own database only: its
 * bookkeeping hung on Django's table (the trigger-kept session count). An
 * attached database never gets it, so Django's table stays as Django made it.
 */
export const OWN_DATABASE_ONLY = "-- sessionscope: own database only";

const OWNER_PREFIXES: ReadonlyArray<readonly [string, TableOwner]> = [
  ["sessionscope_", "sessionscope"],
  ["shop_", "shop"],
  ["django_", "django"],
  ["auth_", "django"],
];

function ownerOf(name: string): TableOwner {
  const found = OWNER_PREFIXES.find(([prefix]) => name.startsWith(prefix));
  if (!found) throw new Error(`SessionScope: attach mode cannot tell who owns "${name}" (tables, indexes and functions must start with sessionscope_, shop_, django_ or auth_)`);
  return found[1];
}

// The objects a statement creates, changes, drops or fills follow these keywords; REFERENCES only points at one.
const TARGET = /\b(?:TABLE|INDEX|ON|FUNCTION|TRIGGER|EXISTS|INTO|UPDATE)\s+"([^"]+)"/gi;

/**
 * Splits a migration into its statements (a `;` at the end of a line, outside
 * a `$$` function body or a SQLite trigger's BEGIN ... END), each with the
 * comment lines above it.
 */
export function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let lines: string[] = [];
  let dollarQuoted = false;
  let triggerBody = false;
  for (const line of sql.split("\n")) {
    lines.push(line);
    if ((line.match(/\$\$/g)?.length ?? 0) % 2 === 1) dollarQuoted = !dollarQuoted;
    if (/^\s*BEGIN\s*$/i.test(line)) triggerBody = true;
    if (triggerBody && /^\s*END;\s*$/i.test(line)) triggerBody = false;
    if (!dollarQuoted && !triggerBody && /;\s*$/.test(line)) {
      statements.push(lines.join("\n").trim());
      lines = [];
    }
  }
  const rest = lines.join("\n").trim();
  if (rest.split("\n").some((line) => line.trim() !== "" && !line.trim().startsWith("--"))) statements.push(rest);
  return statements;
}

/** Each statement of a migration with its owner. A statement touching two owners is refused: split it. */
export function statementOwners(sql: string): Array<{ owner: TableOwner; sql: string }> {
  return splitStatements(sql).map((statement) => {
    if (statement.split("\n").some((line) => line.startsWith(OWN_DATABASE_ONLY))) return { owner: "own-database" as const, sql: statement };
    const owners = new Set([...statement.matchAll(TARGET)].map((match) => ownerOf(match[1]!)));
    if (owners.size !== 1) {
      throw new Error(`SessionScope: attach mode cannot place this statement (${owners.size === 0 ? "no table found" : `touches ${[...owners].join(" and ")}`}):\n${statement}`);
    }
    return { owner: [...owners][0]!, sql: statement };
  });
}

const DJANGO_TABLE = `"(?:django_|auth_)[^"]*"`;
const STANDALONE_DJANGO_FK = new RegExp(`^ALTER TABLE "[^"]+" ADD CONSTRAINT "[^"]+" FOREIGN KEY \\([^)]*\\) REFERENCES ${DJANGO_TABLE}`, "m");
const INLINE_DJANGO_FK = new RegExp(`,\\s*\\n\\s*CONSTRAINT "[^"]+" FOREIGN KEY \\([^)]*\\) REFERENCES ${DJANGO_TABLE}\\s*\\([^)]*\\)[^,\\n]*`, "g");

/**
 * Why: a foreign key into auth_user would change how Django's own table
 * behaves (PostgreSQL adds triggers to it, `manage.py flush` could no longer
 * truncate it, a Django migration of its id would trip on it). An attached
 * database keeps the user id columns without the constraint.
 */
function withoutDjangoReferences(sql: string): string | null {
  if (STANDALONE_DJANGO_FK.test(sql)) return null;
  return sql.replace(INLINE_DJANGO_FK, "");
}

/**
 * The migrations an attached database gets: each committed migration keeps
 * only the statements of `owner`, less their foreign keys into Django's
 * tables; a migration left empty is skipped. Shop migrations are named apart
 * so both chains share one bookkeeping table.
 */
export function deriveAttachChain(migrations: readonly Migration[], owner: "sessionscope" | "shop"): Migration[] {
  return migrations.flatMap((migration) => {
    const kept = statementOwners(migration.sql)
      .filter((statement) => statement.owner === owner)
      .flatMap((statement) => withoutDjangoReferences(statement.sql) ?? []);
    if (kept.length === 0) return [];
    const sql = kept.join("\n\n") + "\n";
    const name = owner === "shop" ? `${migration.name}_shop` : migration.name;
    return [{ name, sql, checksum: createHash("sha256").update(sql).digest("hex") }];
  });
}

type Family = "text" | "datetime" | "integer" | "boolean";

const FAMILY_NAMES: Record<Family, string> = { text: "text", datetime: "a date-time", integer: "an integer", boolean: "a boolean" };

/** The columns SessionScope reads or writes in Django's tables, as Django 3.2 to 5.x create them. */
export const DJANGO_TABLES: Readonly<Record<"django_session" | "auth_user", Readonly<Record<string, Family>>>> = {
  django_session: { session_key: "text", session_data: "text", expire_date: "datetime" },
  auth_user: {
    id: "integer",
    password: "text",
    last_login: "datetime",
    is_superuser: "boolean",
    username: "text",
    first_name: "text",
    last_name: "text",
    email: "text",
    is_staff: "boolean",
    is_active: "boolean",
    date_joined: "datetime",
  },
};

const SQLITE_FAMILIES: Record<Family, RegExp> = {
  text: /^(varchar|text|char|character varying|character|nvarchar)$/,
  datetime: /^(datetime|timestamp)$/,
  integer: /^(integer|int|bigint|smallint)$/,
  boolean: /^(bool|boolean)$/,
};

// Django's PostgreSQL backend always creates DateTimeField as timestamp with time zone, whatever USE_TZ says.
const POSTGRES_FAMILIES: Record<Family, RegExp> = {
  text: /^(character varying|text|character)$/,
  datetime: /^timestamp with time zone$/,
  integer: /^(integer|bigint|smallint)$/,
  boolean: /^boolean$/,
};

export interface DjangoSchemaReport {
  /** What is wrong, one line each; empty when the tables are fit. */
  readonly problems: readonly string[];
  readonly tables: Readonly<Record<string, "present" | "missing">>;
}

async function columnsOf(db: MigrationConnection, table: string): Promise<Map<string, string>> {
  if (db.provider === "sqlite") {
    const rows = await db.query<{ name: string; type: string }>(`PRAGMA table_info("${table}")`);
    return new Map(rows.map((row) => [row.name, row.type.toLowerCase().replace(/\s*\(.*\)\s*$/, "").trim()]));
  }
  const rows = await db.query<{ column_name: string; data_type: string }>(
    "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1",
    [table],
  );
  return new Map(rows.map((row) => [row.column_name, row.data_type]));
}

async function hasIndexOn(db: MigrationConnection, table: string, column: string): Promise<boolean> {
  if (db.provider === "sqlite") {
    const indexes = await db.query<{ name: string }>(`PRAGMA index_list("${table}")`);
    for (const index of indexes) {
      const columns = await db.query<{ name: string }>(`PRAGMA index_info("${index.name.replace(/"/g, '""')}")`);
      if (columns[0]?.name === column) return true;
    }
    return false;
  }
  const rows = await db.query<{ indexdef: string }>("SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1", [table]);
  return rows.some((row) => new RegExp(`\\(\\s*"?${column}"?\\s*[,)]`).test(row.indexdef));
}

/** Checks Django's tables without changing anything: present, with the columns SessionScope uses, of the right types. */
export async function inspectDjangoTables(db: MigrationConnection): Promise<DjangoSchemaReport> {
  const problems: string[] = [];
  const tables: Record<string, "present" | "missing"> = {};
  const families = db.provider === "sqlite" ? SQLITE_FAMILIES : POSTGRES_FAMILIES;
  for (const [table, expected] of Object.entries(DJANGO_TABLES)) {
    const columns = await columnsOf(db, table);
    if (columns.size === 0) {
      tables[table] = "missing";
      problems.push(`${table}: table missing`);
      continue;
    }
    tables[table] = "present";
    for (const [column, family] of Object.entries(expected)) {
      const type = columns.get(column);
      if (type === undefined) problems.push(`${table}.${column}: column missing`);
      else if (!families[family].test(type)) problems.push(`${table}.${column}: type "${type}", expected ${FAMILY_NAMES[family]}`);
    }
  }
  if (tables.django_session === "present" && !(await hasIndexOn(db, "django_session", "expire_date"))) {
    problems.push("django_session.expire_date: no index (Django creates django_session_expire_date_a5c62663; clearing expired sessions would scan the table)");
  }
  return { problems, tables };
}

export class AttachError extends Error {
  override readonly name = "AttachError";
}

/** The refusal an operator reads: what was found, and what to do. */
export function attachRefusal(report: DjangoSchemaReport): AttachError {
  return new AttachError(
    "SessionScope: SESSIONSCOPE_ATTACH=django, but this database's Django tables are not as Django creates them:\n" +
      report.problems.map((problem) => `  ${problem}\n`).join("") +
      "SessionScope never creates or alters Django's tables. Point DATABASE_URL at the Django site's database and run\n" +
      "  python manage.py migrate\n" +
      "there first (django.contrib.auth and django.contrib.sessions in INSTALLED_APPS). `npx sessionscope django check` reports the same without writing anything.",
  );
}
