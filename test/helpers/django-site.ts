// Runs the minimal Django site of test/django/site on 127.0.0.1 for the tests:
// Django 3.2 (Debian 12's python3-django) or 4.2 (Debian 13's, unpacked by
// scripts/fetch-django.mjs), against a given database and session engine,
// with the same secret key and cookie name as the SessionScope it shares
// sessions with. Stopped by its own PID.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { fetchDjango } from "../../scripts/fetch-django.mjs";
// @ts-expect-error: plain JavaScript module shared with scripts/test.mjs
import { freePort } from "../services/services.mjs";

const PYTHON = "/usr/bin/python3";
const SITE = fileURLToPath(new URL("../django/site", import.meta.url));

export type DjangoVersion = "3.2" | "4.2";
export const DJANGO_VERSIONS: readonly DjangoVersion[] = ["3.2", "4.2"];

/**
 * Each version's default PBKDF2 work factor (PBKDF2PasswordHasher.iterations): SessionScope's
 * PASSWORD_PBKDF2_ITERATIONS must match, or each side re-hashes at login and signs the other out.
 */
export const DJANGO_PBKDF2_ITERATIONS: Readonly<Record<DjangoVersion, number>> = { "3.2": 260_000, "4.2": 600_000 };

export interface DjangoSiteOptions {
  readonly version: DjangoVersion;
  /** `file:/abs/path.db` (SQLite) or `postgresql://…`: the database SessionScope uses too. */
  readonly databaseUrl: string;
  readonly secretKey: string;
  readonly secretKeyFallbacks?: readonly string[];
  readonly engine: "db" | "cached_db" | "cache";
  /** `redis://host:port/db`; required by cached_db and cache. */
  readonly cacheUrl?: string;
  /** Django's built-in RedisCache (4.0+) or django-redis; default: built-in on 4.2, django-redis on 3.2 (which has no built-in one). */
  readonly cacheBackend?: "django" | "django-redis";
  readonly cacheKeyPrefix?: string;
  readonly cacheVersion?: number;
  readonly cookieName?: string;
  /**
   * PBKDF2 iterations of the site's hasher (default Django's own, DJANGO_PBKDF2_ITERATIONS). A
   * site on another count than SessionScope's PASSWORD_PBKDF2_ITERATIONS re-hashes each password
   * at login, signing the user out of SessionScope (and SessionScope does the same the other way round).
   */
  readonly pbkdf2Iterations?: number;
  readonly port?: number;
}

export interface DjangoSite {
  readonly url: string;
  readonly version: DjangoVersion;
  /** Creates a user through Django's ORM (create_user), with the site's hasher. */
  createUser(username: string, password: string): void;
  stop(): Promise<void>;
}

/** PYTHONPATH for a Django version: the unpacked Django (4.2) and the drivers both versions need. */
export function pythonPath(version: DjangoVersion): string {
  return join(fetchDjango(version), "usr", "lib", "python3", "dist-packages");
}

/**
 * Whether this Django version can run here (fetching it on first use). Under
 * CI=true a missing piece throws, so the suites using it fail instead of skipping.
 */
export function djangoSiteAvailable(version: DjangoVersion): boolean {
  let problem: string | null = null;
  if (!existsSync(PYTHON)) problem = `${PYTHON} is missing`;
  else {
    try {
      const path = pythonPath(version);
      const probe = spawnSync(PYTHON, ["-c", `import django, psycopg2, redis, django_redis; assert django.get_version().startswith("${version}."), django.get_version()`], {
        env: { ...process.env, PYTHONPATH: path },
        encoding: "utf8",
      });
      if (probe.status !== 0) problem = `Django ${version} does not import: ${probe.stderr.trim().split("\n").at(-1)}`;
    } catch (error) {
      problem = (error as Error).message;
    }
  }
  if (problem === null) return true;
  if (process.env.CI === "true") throw new Error(`CI=true requires Django ${version} (python3-django for 3.2, scripts/fetch-django.mjs for the rest): ${problem}`);
  console.warn(`!!! Django ${version} is not available (${problem}): its site tests are SKIPPED`);
  return false;
}

/** Only what the site reads: none of the test run's own variables leak into Django. */
function siteEnv(options: DjangoSiteOptions): NodeJS.ProcessEnv {
  return {
    NODE_ENV: "test",
    PATH: process.env.PATH,
    PYTHONPATH: pythonPath(options.version),
    PYTHONDONTWRITEBYTECODE: "1",
    PYTHONUNBUFFERED: "1",
    DJANGO_SETTINGS_MODULE: "sessionsite.settings",
    DJANGO_DATABASE_URL: options.databaseUrl,
    DJANGO_SECRET_KEY: options.secretKey,
    DJANGO_SECRET_KEY_FALLBACKS: (options.secretKeyFallbacks ?? []).join(","),
    DJANGO_SESSION_ENGINE: options.engine,
    DJANGO_CACHE_URL: options.cacheUrl ?? "",
    DJANGO_CACHE_BACKEND: options.cacheBackend ?? (options.version === "3.2" ? "django-redis" : "django"),
    DJANGO_CACHE_KEY_PREFIX: options.cacheKeyPrefix ?? "",
    DJANGO_CACHE_VERSION: String(options.cacheVersion ?? 1),
    DJANGO_SESSION_COOKIE_NAME: options.cookieName ?? "sessionid",
    DJANGO_PBKDF2_ITERATIONS: options.pbkdf2Iterations === undefined ? "" : String(options.pbkdf2Iterations),
  };
}

/**
 * `manage.py migrate` of the site (contenttypes, auth, sessions) on an empty database: the
 * tables as this Django version makes them, for SessionScope to attach to.
 */
export function migrateWithDjango(version: DjangoVersion, databaseUrl: string): void {
  const env = siteEnv({ version, databaseUrl, secretKey: "migrate-only-secret-key", engine: "db" });
  const result = spawnSync(PYTHON, ["manage.py", "migrate", "--no-input"], { cwd: SITE, env, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`Django ${version} could not migrate ${databaseUrl}: ${result.stderr}`);
}

/** Starts `manage.py runserver --noreload` and waits until it answers. */
export async function startDjangoSite(options: DjangoSiteOptions): Promise<DjangoSite> {
  if (options.engine !== "db" && !options.cacheUrl) throw new Error(`startDjangoSite: the ${options.engine} engine needs cacheUrl`);
  const port = options.port ?? ((await freePort()) as number);
  const env = siteEnv(options);
  const child: ChildProcess = spawn(PYTHON, ["manage.py", "runserver", "--noreload", `127.0.0.1:${port}`], { cwd: SITE, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  };
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/whoami/`)).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 150 || child.exitCode !== null) {
      await stop();
      throw new Error(`Django ${options.version} site did not start on ${url}:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const createUser = (username: string, password: string) => {
    const code = "import os; from django.contrib.auth.models import User; User.objects.create_user(os.environ['NEW_USERNAME'], password=os.environ['NEW_PASSWORD'])";
    const result = spawnSync(PYTHON, ["manage.py", "shell", "-c", code], { cwd: SITE, env: { ...env, NEW_USERNAME: username, NEW_PASSWORD: password }, encoding: "utf8" });
    if (result.status !== 0) throw new Error(`Django ${options.version} could not create ${username}: ${result.stderr}`);
  };
  return { url, version: options.version, createUser, stop };
}
