/**
 * What runs for each backend: Django's script (bench/django/bench_sessions.py
 * with Debian's /usr/bin/python3), express-session's stores and SessionScope's
 * engines (TypeScript benches through tsx), plus the floor. Each implementation
 * gets its own SQLite file, PostgreSQL database and Redis logical database.
 */
import { join } from "node:path";
import { type Backend, ROOT } from "./options.ts";
import { withPath } from "./services.ts";

export const PYTHON = "/usr/bin/python3";
export const TSX = join(ROOT, "node_modules", ".bin", "tsx");

/** The PostgreSQL databases the runner creates, one per implementation. */
export const PG_DATABASES = { django: "bench_django", express: "bench_express", sessionscope: "bench_sessionscope" } as const;

export type Impl = "django" | "express-session" | "sessionscope";

export interface Step {
  readonly label: string;
  readonly impl: Impl;
  readonly command: string;
  readonly args: readonly string[];
}

export interface PlanContext {
  /** Temp folder for every SQLite file of the run. */
  readonly dir: string;
  readonly pgUrl: string | null;
  readonly redisUrl: string | null;
}

const django = (label: string, args: readonly string[]): Step => ({
  label, impl: "django", command: PYTHON, args: [join("bench", "django", "bench_sessions.py"), ...args],
});
const express = (label: string, only: string, args: readonly string[]): Step => ({
  label, impl: "express-session", command: TSX, args: [join("bench", "express-session.bench.ts"), "--only", only, ...args],
});
const scope = (label: string, only: string, args: readonly string[]): Step => ({
  label, impl: "sessionscope", command: TSX, args: [join("bench", "sessionscope.bench.ts"), "--only", only, ...args],
});

function required(url: string | null, what: string): string {
  if (url === null) throw new Error(`bench: this backend needs ${what}, which the run did not start`);
  return url;
}

/** The backends that need PostgreSQL (Django's redis bench keeps its users there) and Redis. */
export const needsPostgres = (b: Backend) => b === "postgresql" || b === "cached_db" || b === "redis";
export const needsRedis = (b: Backend) => b === "redis" || b === "cached_db";

/** Per backend: Django, express-session, SessionScope, back to back. */
export function planBackend(backend: Backend, { dir, pgUrl, redisUrl }: PlanContext): Step[] {
  const sqliteDir = ["--sqlite-dir", dir];
  const sqliteDb = (file: string) => `sqlite:${join(dir, file)}`;
  const db = (name: string) => withPath(required(pgUrl, "PostgreSQL"), name);
  const rdb = (n: number) => withPath(required(redisUrl, "Redis"), String(n));
  switch (backend) {
    case "codec":
      return [
        django("django codec", ["--database", sqliteDb("django-codec.db"), "--engines", "", "--codec"]),
        express("express codec", "codec", []),
        scope("sessionscope codec", "codec", []),
      ];
    case "sqlite-full":
      return [
        django("django sqlite-full", ["--database", sqliteDb("django-full.db"), "--durability", "full", "--engines", "db"]),
        express("express sqlite-full", "sqlite-full", sqliteDir),
        scope("sessionscope sqlite-full", "sqlite-full", sqliteDir),
      ];
    case "sqlite-default":
      return [
        django("django sqlite-default", ["--database", sqliteDb("django-normal.db"), "--durability", "normal", "--engines", "db"]),
        express("express sqlite-default", "sqlite-default", sqliteDir),
        scope("sessionscope sqlite-default", "sqlite-default", sqliteDir),
      ];
    case "postgresql":
      return [
        django("django postgresql", ["--database", db(PG_DATABASES.django), "--engines", "db"]),
        express("express postgresql", "postgresql", ["--pg", db(PG_DATABASES.express)]),
        scope("sessionscope postgresql", "postgresql", ["--pg", db(PG_DATABASES.sessionscope)]),
      ];
    case "redis":
      return [
        django("django redis", ["--database", db(PG_DATABASES.django), "--redis", rdb(1), "--engines", "cache"]),
        express("express redis", "redis", ["--redis", rdb(2)]),
        scope("sessionscope redis", "redis", ["--redis", rdb(3)]),
      ];
    case "cached_db":
      return [
        django("django cached_db", ["--database", db(PG_DATABASES.django), "--redis", rdb(1), "--engines", "cached_db"]),
        scope("sessionscope cached_db", "cached_db", ["--pg", db(PG_DATABASES.sessionscope), "--redis", rdb(3)]),
      ];
  }
}

/** The floor bench's arguments for the chosen backends (cached_db's floor is PostgreSQL's and Redis's), or null if none. */
export function planFloor(only: readonly Backend[], { dir, pgUrl, redisUrl }: PlanContext): string[] | null {
  const backends = new Set<string>(only.filter((b) => b !== "cached_db"));
  if (only.includes("cached_db")) backends.add("postgresql").add("redis");
  if (!backends.size) return null;
  const args = [join("bench", "floor.bench.ts"), "--only", [...backends].join(","), "--sqlite-dir", dir];
  if (pgUrl) args.push("--pg", withPath(pgUrl, PG_DATABASES.express));
  if (redisUrl) args.push("--redis", withPath(redisUrl, "4"));
  return args;
}
