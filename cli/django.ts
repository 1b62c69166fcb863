/** `sessionscope django <check|backfill>`: attaching SessionScope to a Django site (docs/django.md). */
import { backfillSessionMeta, countMissingMeta } from "../lib/node/admin/backfill.ts";
import { cacheIndexerFromEnv } from "../lib/node/admin/cache-backfill.ts";
import { openDatabaseFromEnv } from "../lib/node/db/connection.ts";
import { checkDjangoSite, engineSummary, type DjangoCheckReport } from "../lib/node/db/django-check.ts";
import { createSessionCodecFromConfig } from "../lib/node/session/engines.ts";
import { ConfigError, parseEnv, type Env } from "../lib/node/env.ts";
import { createRedisClient } from "../lib/node/redis.ts";
import { UsageError, parseCommandArgs, wholeNumber } from "./args.ts";
import { exitWith, oneLine, type CliEnv, type CliIo } from "./io.ts";
import { withProgress } from "./progress.ts";

export const DJANGO_HELP = `Usage: sessionscope django <command> [options]

Commands:
  check     check the configuration against the Django site's database; writes nothing
  backfill  fill in SessionScope's metadata for the sessions Django wrote

Run "sessionscope django <command> --help" for a command's options.`;

export const DJANGO_CHECK_HELP = `Usage: sessionscope django check [--sample N]

Reads the configuration (DATABASE_URL, SESSION_SECRET_KEY, SESSION_SECRET_KEY_FALLBACKS,
SESSION_ENGINE, ...) and the Django site's database, and reports, writing nothing:
the database is reachable; django_session and auth_user are there with Django's
columns and types; SessionScope's own tables are there or still to be created;
which key verifies each of the newest N stored sessions (a wrong key is the
commonest mistake); the PBKDF2 work factor of the password hashes of the N
users who logged in last, with a warning when it is not PASSWORD_PBKDF2_ITERATIONS;
the engine and what the dashboard will show on it.

Options:
  --sample N   sessions and users to sample (1 to 100000, default 200)
Exit status: 0 ready (warnings may be printed), 1 problems found, 2 usage error.`;

export const DJANGO_BACKFILL_HELP = `Usage: sessionscope django backfill [--batch-size N]

Gives every session in django_session that has no SessionScope metadata a
sessionscope_session_meta row: the user from _auth_user_id, the creation
estimated as expire_date minus SESSION_COOKIE_AGE (marked as estimated), no
IP or device; sessions no configured key opens are marked undecodable. Then
deletes metadata whose session Django deleted. Django's rows are only read.
\`npm start\` in attach mode runs the same at start-up, then every minute, and
picks up new sessions every SESSIONSCOPE_BACKFILL_INTERVAL seconds (default 5).
With SESSION_ENGINE=cache, instead indexes the session entries a Django site
wrote into Redis (REDIS_URL, CACHE_KEY_PREFIX, CACHE_VERSION), decoded the same
way, and drops index entries of sessions Django deleted; attached or not.
The file and signed_cookies engines have nothing to fill in.

Options:
  --batch-size N   sessions per transaction (1 to 100000, default 5000)
Exit status: 0 done, 1 failed, 2 usage error.`;

type Subcommand = (argv: readonly string[], env: CliEnv, io: CliIo, tty: NodeJS.WriteStream | null) => Promise<number>;

const SUBCOMMANDS: Readonly<Record<string, Subcommand>> = { check: runDjangoCheck, backfill: runDjangoBackfill };

export async function runDjango(argv: readonly string[], env: CliEnv, io: CliIo, tty: NodeJS.WriteStream | null = null): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h") return exitWith(io.stdout, DJANGO_HELP, name === undefined ? 2 : 0);
  const command = SUBCOMMANDS[name];
  if (!command) return exitWith(io.stderr, `django: unknown command "${name}" (see sessionscope django --help)`, 2);
  return command(rest, env, io, tty);
}

export async function runDjangoBackfill(argv: readonly string[], source: CliEnv, io: CliIo, tty: NodeJS.WriteStream | null = null): Promise<number> {
  let batchSize: number;
  try {
    const { values, positionals, help } = parseCommandArgs(argv, { "batch-size": { type: "string" } });
    if (help) return exitWith(io.stdout, DJANGO_BACKFILL_HELP, 0);
    if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
    batchSize = wholeNumber(values["batch-size"], "batch-size", { min: 1, max: 100_000, fallback: 5_000 });
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return exitWith(io.stderr, `django backfill: ${error.message}`, 2);
  }
  const env = configurationOrReport(source, io);
  if (env === null) return 1;
  const engine = env.SESSION_ENGINE;
  if (engine === "cache") return backfillCacheIndex(env, io, tty);
  if (engine !== "db" && engine !== "cached_db") {
    return exitWith(io.stdout, `Nothing to backfill: the ${engine} engine keeps no session metadata in the database.`, 0);
  }
  const db = openDatabaseFromEnv(env);
  try {
    const total = await countMissingMeta(db);
    const codec = createSessionCodecFromConfig(env.session);
    const result = await withProgress("Backfilling session metadata", total, tty, (report) =>
      backfillSessionMeta(db, { codec, cookieAge: env.session.cookieAge, engine, batchSize, onProgress: report }),
    );
    io.stdout(
      `Filled in metadata for ${plural(result.written, "session")} (${result.undecodable} undecodable); ` +
        `removed ${plural(result.removed, "orphaned row")}.`,
    );
    return 0;
  } catch (error) {
    io.stderr(oneLine(`django backfill: ${(error as Error).message}`));
    return 1;
  } finally {
    await db.close();
  }
}

/** The cache engine: index the session entries a Django site wrote into Redis (lib/node/admin/cache-backfill.ts). */
async function backfillCacheIndex(env: Env, io: CliIo, tty: NodeJS.WriteStream | null): Promise<number> {
  const redis = createRedisClient(env.REDIS_URL!);
  try {
    const result = await withProgress("Indexing cache sessions (entries scanned)", null, tty, (report) =>
      cacheIndexerFromEnv(env, redis, { onProgress: ({ scanned }) => report(scanned) }).run(),
    );
    io.stdout(
      `Indexed ${plural(result.indexed, "cache session")} a Django site wrote (${result.undecodable} undecodable) of ${plural(result.scanned, "entry", "entries")} scanned; ` +
        `removed ${plural(result.removed, "index entry", "index entries")} of deleted sessions.`,
    );
    return 0;
  } catch (error) {
    io.stderr(oneLine(`django backfill: ${(error as Error).message}`));
    return 1;
  } finally {
    redis.disconnect();
  }
}

export async function runDjangoCheck(argv: readonly string[], source: CliEnv, io: CliIo): Promise<number> {
  let sample: number;
  try {
    const { values, positionals, help } = parseCommandArgs(argv, { sample: { type: "string" } });
    if (help) return exitWith(io.stdout, DJANGO_CHECK_HELP, 0);
    if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
    sample = wholeNumber(values.sample, "sample", { min: 1, max: 100_000, fallback: 200 });
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return exitWith(io.stderr, `django check: ${error.message}`, 2);
  }
  const env = configurationOrReport(source, io);
  if (env === null) return 1;
  const report = await checkDjangoSite(env, { sample });
  for (const line of describeReport(report, env)) io.stdout(line);
  return report.problems.length === 0 ? 0 : 1;
}

/** The configuration, or null after printing why it is refused. */
function configurationOrReport(source: CliEnv, io: CliIo): Env | null {
  try {
    return parseEnv(source);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr(error.message);
    return null;
  }
}

const plural = (n: number, word: string, words = `${word}s`) => `${n.toLocaleString("en-US")} ${n === 1 ? word : words}`;

export function describeReport(report: DjangoCheckReport, env: Env): string[] {
  const lines: string[] = [];
  if (!report.database.reachable) {
    lines.push(`database        NOT REACHABLE: ${report.database.error}`);
  } else {
    lines.push(`database        reachable (${report.database.where})`);
    const django = report.django!;
    for (const [table, state] of Object.entries(django.tables)) {
      const issues = django.problems.filter((p) => p.startsWith(`${table}.`) || p.startsWith(`${table}:`));
      lines.push(`${table.padEnd(16)}${state === "missing" ? "MISSING" : issues.length ? `WRONG SHAPE: ${issues.join("; ")}` : "present, Django's shape"}`);
    }
    const own = report.sessionscope!;
    lines.push(
      `sessionscope_*  ${own.applied === own.total ? "present, up to date" : own.applied === 0 ? `to be created at start-up (${plural(own.total, "migration")})` : `${own.total - own.applied} of ${plural(own.total, "migration")} to apply at start-up`}`,
    );
    const keys = report.keys;
    if (keys) {
      lines.push(
        keys.sampled === 0
          ? "secret key      no stored sessions to check it against"
          : `secret key      ${plural(keys.sampled, "session")} sampled: ${keys.secretKey} verify with SESSION_SECRET_KEY, ${keys.fallbackKey} with a fallback key, ` +
              `${keys.legacy + keys.legacyRefused} only in a legacy format${keys.legacyRefused ? " (refused: SESSION_ACCEPT_LEGACY is off)" : ""}, ${keys.none} with no key`,
      );
    }
  }
  const passwords = report.passwords;
  if (passwords) {
    const counts = passwords.iterations.map((entry) => `${entry.count} at ${entry.iterations}`);
    if (passwords.other) counts.push(`${passwords.other} another algorithm or unusable`);
    lines.push(
      passwords.sampled === 0
        ? "passwords       no users yet"
        : `passwords       ${plural(passwords.sampled, "user")} sampled (last logins first), PBKDF2 iterations: ${counts.join(", ")}; SessionScope hashes with ${env.PASSWORD_PBKDF2_ITERATIONS}`,
    );
  }
  lines.push(`engine          ${engineSummary(env)}`);
  if (!env.SESSIONSCOPE_ATTACH) lines.push("attach mode     off: set SESSIONSCOPE_ATTACH=django so that `npm start` leaves Django's tables alone");
  lines.push(report.problems.length === 0 ? "OK: ready to attach." : `${plural(report.problems.length, "problem")}:`);
  for (const problem of report.problems) lines.push(`  - ${problem}`);
  if (report.warnings.length) lines.push(`${plural(report.warnings.length, "warning")}:`);
  for (const warning of report.warnings) lines.push(`  - ${warning}`);
  return lines;
}
