/**
 * PostgreSQL and Redis for the run (the test harness's servers, on 127.0.0.1),
 * and the teardown that stops them, the bench processes and the temp folder by
 * their own PIDs and paths, even on error or Ctrl-C.
 */
import type { ChildProcess } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
// @ts-expect-error: plain JavaScript module shared with scripts/test.mjs; typed below
import * as harness from "../../test/services/services.mjs";

/** A server started on 127.0.0.1 in its own temp folder. */
export interface Service {
  readonly name: string;
  readonly pid: number;
  readonly url: string;
  readonly port: number;
  /** Stops the server (by its PID) and removes its folder; synchronous. */
  stop(): void;
}

/** PostgreSQL 15 with fsync off, or null when it is not installed. */
export const startPostgres: () => Promise<Service | null> = harness.startPostgres;
/** redis-server without persistence, or null when it is not installed. */
export const startRedis: () => Promise<Service | null> = harness.startRedis;
/**
 * PostgreSQL or Redis for a bench run, stopped by `teardown` (by its PID) at the end; an error
 * that names the package to install when the server is missing.
 */
export async function startRequired(kind: "postgresql" | "redis", teardown: Teardown): Promise<Service> {
  const server = kind === "postgresql" ? await startPostgres() : await startRedis();
  if (!server) throw new Error(`bench: ${kind === "postgresql" ? "PostgreSQL is not installed (apt-get install -y postgresql)" : "redis-server is not installed (apt-get install -y redis-server)"}`);
  teardown.addService(server);
  return server;
}

/** A free TCP port on 127.0.0.1. */
export const freePort: () => Promise<number> = harness.freePort;

/** `url` with its path replaced: a database name for PostgreSQL, a logical database number for Redis. */
export function withPath(url: string, path: string): string {
  const u = new URL(url);
  u.pathname = `/${path}`;
  return u.toString();
}

/** Everything the run started, stopped once, children first, then servers in reverse order. */
export class Teardown {
  readonly #services: Service[] = [];
  readonly #children = new Set<ChildProcess>();
  readonly #folders: string[] = [];
  #done = false;

  addService(service: Service): void {
    this.#services.push(service);
  }

  addFolder(path: string): void {
    this.#folders.push(path);
  }

  trackChild(child: ChildProcess): void {
    this.#children.add(child);
  }

  forgetChild(child: ChildProcess): void {
    this.#children.delete(child);
  }

  run(): void {
    if (this.#done) return;
    this.#done = true;
    // SIGTERM first: a section bench stops the servers it started itself (pg_ctl and redis-server
    // daemonize, out of its process group) in its own teardown; then SIGKILL whatever is left.
    for (const child of this.#children) signalGroup(child, "SIGTERM");
    for (const child of this.#children) {
      waitSync(() => hasExited(child), CHILD_GRACE_MS);
      killGroup(child);
    }
    for (const service of [...this.#services].reverse()) {
      try {
        service.stop();
      } catch (error) {
        console.error(`bench: could not stop ${service.name} (pid ${service.pid}): ${(error as Error).message}`);
      }
    }
    for (const path of this.#folders) rmSync(path, { recursive: true, force: true });
  }

  /** Runs the teardown at exit and on SIGINT, SIGTERM and SIGHUP (then exits with 130). */
  install(): void {
    process.on("exit", () => this.run());
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
      process.on(signal, () => {
        console.error(`\nbench: ${signal}, stopping servers`);
        this.run();
        process.exit(130);
      });
    }
  }
}

/** How long a child may take to stop what it started after SIGTERM, before SIGKILL. */
export const CHILD_GRACE_MS = 15_000;

/** Whether a child has exited: its exit seen, no such process, or a zombie not reaped yet. */
function hasExited(child: ChildProcess): boolean {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return true;
  try {
    return /^\d+ \(.*\) [ZX]/s.test(readFileSync(`/proc/${child.pid}/stat`, "utf8"));
  } catch {
    return true;
  }
}

/** Blocks until `done()` or `ms` have passed (the teardown runs at exit, where nothing async runs). */
function waitSync(done: () => boolean, ms: number): void {
  const cell = new Int32Array(new SharedArrayBuffer(4));
  for (const end = Date.now() + ms; !done() && Date.now() < end; ) Atomics.wait(cell, 0, 0, 50);
}

/** `signal` to a child started with `detached: true` and to everything in its process group; a group that has gone is fine. */
export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already exited
  }
}

/**
 * SIGKILL to a child started with `detached: true` and everything it started:
 * tsx runs each TypeScript bench in a node process of its own, which killing
 * tsx alone would leave running. A group that has already gone is fine.
 */
export function killGroup(child: ChildProcess): void {
  signalGroup(child, "SIGKILL");
}
