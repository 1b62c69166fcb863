/** Facts about this machine and the software versions the report states. */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { createClient } from "redis";
import { ROOT } from "./options.ts";
import { PYTHON } from "./plan.ts";

const NPM_PACKAGES = [
  "express-session", "better-sqlite3-session-store", "connect-pg-simple", "connect-redis", "redis", "pg", "better-sqlite3", "ioredis",
] as const;
export type NpmPackage = (typeof NPM_PACKAGES)[number];

export interface MachineFacts {
  readonly cpu: string;
  readonly cores: number;
  readonly ram: string;
  readonly node: string;
  readonly python: string;
  readonly django: string;
  readonly pySqlite: string;
  readonly djangoRedis: string;
  readonly psycopg2: string;
  readonly fs: string;
  readonly kernel: string;
  readonly npm: Readonly<Record<NpmPackage, string>>;
  readonly nodeSqlite: string;
  /** Only when the run started PostgreSQL. */
  readonly postgres?: string;
  readonly pgFsync?: string;
  readonly pgSyncCommit?: string;
  /** Only when the run started Redis. */
  readonly redis?: string;
  readonly redisAof?: "on" | "off";
}

/** The command's trimmed output, or null when it fails. */
function sh(command: string, args: readonly string[]): string | null {
  const r = spawnSync(command, args, { encoding: "utf8" });
  return r.status === 0 ? (r.stdout || r.stderr).trim() : null;
}

const python = (code: string) => sh(PYTHON, ["-c", code]);

function npmVersion(name: NpmPackage): string {
  try {
    const manifest = JSON.parse(readFileSync(join(ROOT, "node_modules", name, "package.json"), "utf8")) as { version?: unknown };
    return typeof manifest.version === "string" ? manifest.version : "?";
  } catch {
    return "?";
  }
}

function nodeSqliteVersion(): string {
  try {
    const db = new BetterSqlite3(":memory:");
    const row = db.prepare("select sqlite_version() v").get() as { v: string } | undefined;
    db.close();
    return row?.v ?? "?";
  } catch {
    return "?";
  }
}

async function postgresFacts(url: string): Promise<Pick<MachineFacts, "postgres" | "pgFsync" | "pgSyncCommit">> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const show = async (setting: string) => (await client.query<Record<string, string>>(`SHOW ${setting}`)).rows[0]?.[setting] ?? "?";
    return { postgres: await show("server_version"), pgFsync: await show("fsync"), pgSyncCommit: await show("synchronous_commit") };
  } finally {
    await client.end();
  }
}

async function redisFacts(url: string): Promise<Pick<MachineFacts, "redis" | "redisAof">> {
  const client = createClient({ url });
  await client.connect();
  try {
    const server = await client.info("server");
    const persistence = await client.info("persistence");
    return {
      redis: /redis_version:(\S+)/.exec(server)?.[1] ?? "?",
      redisAof: /aof_enabled:(\d)/.exec(persistence)?.[1] === "1" ? "on" : "off",
    };
  } finally {
    await client.quit();
  }
}

/** `dir` is where the SQLite files live (its file system is reported). */
export async function machineFacts({ pgUrl, redisUrl, dir }: { pgUrl: string | null; redisUrl: string | null; dir: string }): Promise<MachineFacts> {
  const cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
  return {
    cpu: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    ram: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: process.version,
    python: sh(PYTHON, ["--version"]) ?? "not found",
    django: python("import django; print(django.get_version())") ?? "not found",
    pySqlite: python("import sqlite3; print(sqlite3.sqlite_version)") ?? "?",
    djangoRedis: python("import django_redis, redis; print(django_redis.__version__, '/ redis-py', redis.__version__)") ?? "?",
    psycopg2: python("import psycopg2; print(psycopg2.__version__.split()[0])") ?? "?",
    fs: sh("findmnt", ["-n", "-o", "FSTYPE", "-T", dir]) ?? sh("stat", ["-f", "-c", "%T", dir]) ?? "?",
    kernel: sh("uname", ["-sr"]) ?? "?",
    npm: Object.fromEntries(NPM_PACKAGES.map((name) => [name, npmVersion(name)])) as Record<NpmPackage, string>,
    nodeSqlite: nodeSqliteVersion(),
    ...(pgUrl ? await postgresFacts(pgUrl) : {}),
    ...(redisUrl ? await redisFacts(redisUrl) : {}),
  };
}
