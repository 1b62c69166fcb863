/**
 * What runs for each backend: Django's script (bench/django/bench_sessions.py
 * with Debian's /usr/bin/python3), express-session's stores and SessionScope's
 * engines (TypeScript benches, compiled as the app's build compiles: see NODE_TS), plus the floor. Each implementation
 * gets its own SQLite file, PostgreSQL database and Redis logical database.
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { SectionId } from "../report/targets.ts";
import { type Backend, ROOT } from "./options.ts";
import { withPath } from "./services.ts";

export const PYTHON = "/usr/bin/python3";
/**
 * Node running a TypeScript bench compiled as the production build compiles the app
 * (bench/ts-as-built.mjs: tsx resolves, esbuild strips types without keepNames).
 */
export const NODE_TS = { command: process.execPath, args: ["--import", pathToFileURL(join(ROOT, "bench", "ts-as-built.mjs")).href] } as const;

/** The command and arguments that run a TypeScript bench (its path, then its arguments) under NODE_TS. */
export function nodeTs(...args: readonly string[]): { command: string; args: string[] } {
  return { command: NODE_TS.command, args: [...NODE_TS.args, ...args] };
}

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
  label, impl: "express-session", ...nodeTs(join("bench", "express-session.bench.ts"), "--only", only, ...args),
});
const scope = (label: string, only: string, args: readonly string[]): Step => ({
  label, impl: "sessionscope", ...nodeTs(join("bench", "sessionscope.bench.ts"), "--only", only, ...args),
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

/**
 * SessionScope's codec alone, for the load bounds' decode (see stats.ts) when the run judges a
 * load but does not run the codec backend; null otherwise.
 */
export function planDecode(only: readonly Backend[]): Step | null {
  if (only.includes("codec") || !only.length) return null;
  return scope("sessionscope codec (the load bounds' decode)", "codec", []);
}

/** A section bench: one child process that writes its own section of the report and prints its verdict lines. */
export interface SectionStep {
  readonly id: SectionId;
  readonly label: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly timeoutMs: number;
}

export interface SectionContext {
  /** PostgreSQL started by the run (a server URL), for the benches that can take one. */
  readonly pgUrl: string | null;
  /** The run's --seconds, --warmup and --rounds when they were given, for the benches that take them. */
  readonly timing: { readonly seconds: number; readonly warmup: number; readonly rounds: number } | null;
}

const MINUTE = 60_000;

/** The section benches, in the order given (SECTION_IDS order), with timeouts well above their usual run. */
export function planSections(sections: readonly SectionId[], { pgUrl, timing }: SectionContext): SectionStep[] {
  const seconds = timing ? ["--seconds", String(timing.seconds)] : [];
  const warmup = timing ? ["--warmup", String(timing.warmup)] : [];
  const rounds = timing ? ["--rounds", String(timing.rounds)] : [];
  const bench = (id: SectionId, label: string, file: string, args: readonly string[], minutes: number): SectionStep => ({
    id, label, ...nodeTs(join("bench", file), ...args), timeoutMs: minutes * MINUTE,
  });
  return sections.map((id) => {
    switch (id) {
      case "codec3":
        return bench(id, "codec at three sizes", "codec.bench.ts", ["--write", ...seconds, ...warmup, ...rounds], 15);
      case "store-sizes":
        return {
          id, label: "the store at three session sizes", timeoutMs: 10 * MINUTE,
          ...nodeTs("--import", "./bench/server-only.mjs", join("bench", "store-sizes.bench.ts"), ...rounds),
        };
      case "write-breakdown":
        return bench(id, "where SQLite and PostgreSQL writes spend their time", "write-breakdown.ts", [...rounds, ...(pgUrl ? ["--pg", pgUrl] : [])], 10);
      case "redis-breakdown":
        return bench(id, "where a Redis load and write spend their time", "redis-breakdown.ts", rounds, 10);
      case "cli":
        return bench(id, "command-line start-up", "cli-startup.bench.ts", rounds, 10);
      case "clearsessions":
        return bench(id, "clearsessions", "clearsessions.bench.ts", ["--layout", "seed", "--rows", "50000"], 20);
      case "seed":
        return {
          id, label: "seed against a bulk insert", timeoutMs: 30 * MINUTE,
          ...nodeTs("--import", "./bench/server-only.mjs", join("bench", "admin-scale.ts"), "--seed-only", "--sizes", "1000,100000", "--db", "sqlite,postgresql", ...(pgUrl ? ["--pg", pgUrl] : [])),
        };
      case "request-cost":
        return bench(id, "request cost", "request-cost.ts", [...seconds, ...rounds], 45);
    }
  });
}
