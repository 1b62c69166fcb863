/**
 * `sessionscope django check`: what attach mode would find in a Django site's
 * database, read through connections that cannot write (SQLite opened
 * read-only, PostgreSQL in read-only transactions).
 */
import { existsSync } from "node:fs";
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { createSessionCodec, parsePasswordHash } from "../../session/index.ts";
import type { Env } from "../env.ts";
import { ATTACH_MIGRATIONS_TABLE, deriveAttachChain, inspectDjangoTables, type DjangoSchemaReport } from "./attach.ts";
import { sqlitePathFromUrl } from "./connection.ts";
import { migrationsDir, readMigrations, type MigrationConnection } from "./migrate.ts";
import { PROJECT_ROOT } from "./setup.ts";

export interface KeySample {
  readonly sampled: number;
  readonly secretKey: number;
  readonly fallbackKey: number;
  /** Verify only as Django 3.1/3.2 legacy values (SHA-1 or the pre-3.1 format). */
  readonly legacy: number;
  /** Legacy values that verify, but SESSION_ACCEPT_LEGACY is off. */
  readonly legacyRefused: number;
  readonly none: number;
}

/** The PBKDF2 work factors of a sample of auth_user's password hashes, most recent logins first. */
export interface PasswordSample {
  readonly sampled: number;
  /** pbkdf2_sha256 hashes by iteration count, the most frequent first. */
  readonly iterations: ReadonlyArray<{ readonly iterations: number; readonly count: number }>;
  /** Other algorithms (argon2, bcrypt...) and unusable passwords ("!..."). */
  readonly other: number;
}

export interface DjangoCheckReport {
  readonly database: { readonly reachable: true; readonly where: string } | { readonly reachable: false; readonly error: string };
  readonly django: DjangoSchemaReport | null;
  /** SessionScope's own migrations: how many of the attach chain are applied. */
  readonly sessionscope: { readonly applied: number; readonly total: number } | null;
  readonly keys: KeySample | null;
  readonly passwords: PasswordSample | null;
  readonly problems: readonly string[];
  /** Not in the way of attaching, but worth fixing (the exit status stays 0). */
  readonly warnings: readonly string[];
}

interface ReadOnlyConnection extends MigrationConnection {
  close(): Promise<void>;
}

async function openReadOnly(env: Env): Promise<ReadOnlyConnection> {
  if (env.databaseProvider === "sqlite") {
    const path = sqlitePathFromUrl(env.DATABASE_URL);
    if (!existsSync(path)) throw new Error(`no SQLite database at ${path}`);
    const sqlite = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
    return {
      provider: "sqlite",
      async exec() {
        throw new Error("django check writes nothing");
      },
      async query<T>(sql: string, params: readonly unknown[] = []) {
        return sqlite.prepare(sql).all(...params) as T[];
      },
      async close() {
        sqlite.close();
      },
    };
  }
  const client = new pg.Client({ connectionString: env.DATABASE_URL, connectionTimeoutMillis: 5_000 });
  await client.connect();
  await client.query("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
  return {
    provider: "postgresql",
    async exec() {
      throw new Error("django check writes nothing");
    },
    async query<T>(sql: string, params: readonly unknown[] = []) {
      return (await client.query(sql, [...params])).rows as T[];
    },
    async close() {
      await client.end();
    },
  };
}

async function tableExists(db: MigrationConnection, table: string): Promise<boolean> {
  const rows =
    db.provider === "sqlite"
      ? await db.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [table])
      : await db.query("SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1", [table]);
  return rows.length > 0;
}

/** Which key verifies each of the newest `size` sessions. */
export async function sampleKeys(db: MigrationConnection, env: Env, size: number): Promise<KeySample> {
  const rows = await db.query<{ session_data: string }>(
    `SELECT session_data FROM django_session ORDER BY expire_date DESC LIMIT ${db.provider === "sqlite" ? "?" : "$1"}`,
    [size],
  );
  const config = env.session;
  const codec = createSessionCodec({ secretKey: config.secretKey, fallbackKeys: config.secretKeyFallbacks, legacy: true });
  const counts = { sampled: rows.length, secretKey: 0, fallbackKey: 0, legacy: 0, legacyRefused: 0, none: 0 };
  for (const row of rows) {
    const result = codec.inspect(row.session_data);
    if (!result.ok) counts.none++;
    else if (result.signedWith === "secret_key") counts.secretKey++;
    else if (result.signedWith === "fallback_key") counts.fallbackKey++;
    else if (config.allowLegacyFormats) counts.legacy++;
    else counts.legacyRefused++;
  }
  return counts;
}

/**
 * The hashes of the `size` users who logged in last (a hash is re-made at login when its work
 * factor is not the site's, so theirs show the Django site's current setting).
 */
export async function samplePasswords(db: MigrationConnection, size: number): Promise<PasswordSample> {
  const rows = await db.query<{ password: string }>(
    `SELECT password FROM auth_user ORDER BY (last_login IS NULL), last_login DESC, id DESC LIMIT ${db.provider === "sqlite" ? "?" : "$1"}`,
    [size],
  );
  const counts = new Map<number, number>();
  let other = 0;
  for (const { password } of rows) {
    const parsed = parsePasswordHash(password);
    if (parsed) counts.set(parsed.iterations, (counts.get(parsed.iterations) ?? 0) + 1);
    else other++;
  }
  const iterations = [...counts].map(([n, count]) => ({ iterations: n, count })).sort((a, b) => b.count - a.count || b.iterations - a.iterations);
  return { sampled: rows.length, iterations, other };
}

/** The warning when sampled hashes have another work factor than PASSWORD_PBKDF2_ITERATIONS, or null. */
export function iterationsWarning(passwords: PasswordSample, configured: number): string | null {
  const differing = passwords.iterations.filter((entry) => entry.iterations !== configured);
  if (differing.length === 0) return null;
  const count = differing.reduce((sum, entry) => sum + entry.count, 0);
  const likely = passwords.iterations[0]!.iterations;
  const fix = likely !== configured ? `set PASSWORD_PBKDF2_ITERATIONS=${likely} (the Django site's PBKDF2 work factor, most hashes sampled have it)` : "check the Django site's PASSWORD_HASHERS";
  return (
    `${count} of the ${passwords.sampled} sampled password hashes use ${differing.map((entry) => entry.iterations).join(", ")} PBKDF2 iterations, SessionScope ${configured} (PASSWORD_PBKDF2_ITERATIONS): ` +
    `each side re-hashes a password at login when the count differs from its own, which signs the user out on the other side; ${fix}`
  );
}

export async function checkDjangoSite(env: Env, options: { sample: number }): Promise<DjangoCheckReport> {
  const where = env.databaseProvider === "sqlite" ? `SQLite ${sqlitePathFromUrl(env.DATABASE_URL)}` : "PostgreSQL (DATABASE_URL)";
  let db: ReadOnlyConnection;
  try {
    db = await openReadOnly(env);
    await db.query("SELECT 1");
  } catch (error) {
    const message = (error as Error).message;
    return { database: { reachable: false, error: message }, django: null, sessionscope: null, keys: null, passwords: null, problems: [`database not reachable: ${message}`], warnings: [] };
  }
  try {
    const problems: string[] = [];
    const django = await inspectDjangoTables(db);
    problems.push(...django.problems);
    const total = deriveAttachChain(readMigrations(migrationsDir(PROJECT_ROOT, db.provider)), "sessionscope").length;
    const applied = (await tableExists(db, ATTACH_MIGRATIONS_TABLE))
      ? (await db.query<{ n: number | string }>(`SELECT count(*) AS n FROM "${ATTACH_MIGRATIONS_TABLE}" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL AND migration_name NOT LIKE '%\\_shop' ESCAPE '\\'`))[0]?.n ?? 0
      : 0;
    let keys: KeySample | null = null;
    if (django.tables.django_session === "present" && !django.problems.some((p) => p.startsWith("django_session.session_data"))) {
      keys = await sampleKeys(db, env, options.sample);
      if (keys.sampled > 0 && keys.secretKey + keys.fallbackKey + keys.legacy === 0) {
        problems.push(`none of the ${keys.sampled} sampled sessions verifies with SESSION_SECRET_KEY or SESSION_SECRET_KEY_FALLBACKS: is it the site's SECRET_KEY?`);
      }
      if (keys.legacyRefused > 0) problems.push(`${keys.legacyRefused} sampled sessions are in Django 3.1/3.2's legacy formats: set SESSION_ACCEPT_LEGACY=true to read them`);
    }
    const warnings: string[] = [];
    let passwords: PasswordSample | null = null;
    if (django.tables.auth_user === "present" && !django.problems.some((p) => p.startsWith("auth_user."))) {
      passwords = await samplePasswords(db, options.sample);
      const warning = iterationsWarning(passwords, env.PASSWORD_PBKDF2_ITERATIONS);
      if (warning) warnings.push(warning);
    }
    return { database: { reachable: true, where }, django, sessionscope: { applied: Number(applied), total }, keys, passwords, problems, warnings };
  } finally {
    await db.close();
  }
}

/** What the dashboard shows of a Django site's sessions on each engine. */
export function engineSummary(env: Env): string {
  switch (env.SESSION_ENGINE) {
    case "db":
      return "db: every session in django_session, with its user, decoded data and expiry; creation is estimated for sessions Django made (no IP or device)";
    case "cached_db":
      return `cached_db: as db (django_session is the truth); a kill also deletes the cache entry ${env.CACHE_KEY_PREFIX}:${env.CACHE_VERSION}:django.contrib.sessions.cached_db<key>`;
    case "cache":
      return `cache: the sessions in Redis under ${env.CACHE_KEY_PREFIX}:${env.CACHE_VERSION}:django.contrib.sessions.cache<key> (pickled dicts read as data, never executed); nothing in django_session`;
    case "file":
      return `file: the session files in ${env.SESSION_FILE_PATH} (Django's SESSION_FILE_PATH must be the same folder)`;
    case "signed_cookies":
      return "signed_cookies: sessions live in the browsers' cookies only: the dashboard can neither list nor kill them";
  }
}
