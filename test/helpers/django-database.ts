// A Django-made database for the attach tests: an empty SQLite file or
// PostgreSQL database, migrated by real Django (test/django/django_site.py),
// and sessions made as Django's login() makes them.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterEach } from "vitest";
import { requireServiceUrl } from "./services.ts";

const PYTHON = "/usr/bin/python3";
const SITE = join(fileURLToPath(new URL(".", import.meta.url)), "..", "django", "django_site.py");

type DatabaseSpec =
  | { engine: "sqlite"; path: string }
  | { engine: "postgresql"; name: string; host: string; port: number; user: string; password: string };

export interface DjangoDatabase {
  readonly url: string;
  readonly provider: "sqlite" | "postgresql";
  readonly spec: DatabaseSpec;
  dispose(): Promise<void>;
}

function runSite<T>(request: Record<string, unknown>): T {
  const result = spawnSync(PYTHON, [SITE], { input: JSON.stringify(request), encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`Django site failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

let counter = 0;

/** An empty database (no tables at all) on SQLite or on the run's PostgreSQL server. */
export async function createEmptyDatabase(provider: "sqlite" | "postgresql", serverUrl?: string): Promise<DjangoDatabase> {
  if (provider === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "sessionscope-django-"));
    const path = join(dir, "db.sqlite3");
    return { url: `file:${path}`, provider, spec: { engine: "sqlite", path }, async dispose() { rmSync(dir, { recursive: true, force: true }); } };
  }
  if (!serverUrl) throw new Error("createEmptyDatabase: PostgreSQL needs the server's URL");
  const name = `django_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const server = new URL(serverUrl);
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    provider,
    spec: { engine: "postgresql", name, host: server.hostname, port: Number(server.port || 5432), user: decodeURIComponent(server.username), password: decodeURIComponent(server.password) },
    async dispose() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}

/** `manage.py migrate` of a minimal site (contenttypes, auth, sessions). */
export function migrateDjangoSite(db: DjangoDatabase): void {
  runSite({ op: "migrate", database: db.spec });
}

/** Sessions as Django's login() writes them to django_session; users are created first when missing. */
export function createDjangoSessions(
  db: DjangoDatabase,
  secretKey: string,
  request: { users?: Array<{ username: string; password: string }>; sessions: Array<{ username?: string | null; data?: Record<string, unknown> }> },
): Array<{ key: string; user_id: number | null }> {
  return runSite<{ sessions: Array<{ key: string; user_id: number | null }> }>({ op: "login", database: db.spec, secret_key: secretKey, ...request }).sessions;
}

/** For a suite: `fresh()` makes an empty database on `provider`; every one made is dropped after each test. */
export function emptyDatabasesFor(provider: "sqlite" | "postgresql"): () => Promise<DjangoDatabase> {
  const created: DjangoDatabase[] = [];
  afterEach(async () => {
    for (const db of created.splice(0)) await db.dispose();
  });
  return async () => {
    const db = await createEmptyDatabase(provider, provider === "postgresql" ? requireServiceUrl("postgresql") : undefined);
    created.push(db);
    return db;
  };
}
