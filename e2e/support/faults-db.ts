// Database faults for the fault suite: an own PostgreSQL cluster a spec may stop and start again
// on the same port, a TCP proxy that slows the database down, and the app's resident memory.
import { fork } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect, test } from "@playwright/test";
// @ts-expect-error: plain JavaScript module shared with scripts/test.mjs
import { startPostgres as startPostgresServer } from "../../test/services/services.mjs";

export interface PostgresServer {
  /** Its `sessionscope` database, migrated by the app's set-up. */
  readonly url: string;
  readonly port: number;
  /** Fast shutdown, as an operator's restart: connections ended, work in flight rolled back; the data stays. */
  down(): void;
  /** Starts it again on the same port and data. */
  up(): void;
  stop(): void;
}

/** A PostgreSQL cluster of the spec's own (so that stopping it disturbs no other suite), or a skip where none is installed (an error under CI=true). */
export async function startOwnPostgres(): Promise<PostgresServer> {
  const server = (await startPostgresServer()) as PostgresServer | null;
  test.skip(server === null && process.env.CI !== "true", "PostgreSQL is not installed");
  if (!server) throw new Error("CI=true: PostgreSQL must be installed");
  return server;
}

export interface DelayProxy {
  /** Where the app connects instead of the database: postgresql://…@127.0.0.1:<port>/… */
  readonly port: number;
  /** Holds every chunk, either way, this long from now on (a round trip then costs twice). */
  setDelay(delayMs: number): Promise<void>;
  stop(): Promise<void>;
}

/** A TCP proxy to 127.0.0.1:`targetPort`, in its own process (e2e/support/delay-proxy.mjs). */
export async function startDelayProxy(targetPort: number): Promise<DelayProxy> {
  const child = fork(fileURLToPath(new URL("./delay-proxy.mjs", import.meta.url)), [String(targetPort)], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const next = () =>
    new Promise<Record<string, number>>((resolve, reject) => {
      child.once("message", (message) => resolve(message as Record<string, number>));
      child.once("exit", (code) => reject(new Error(`delay proxy exited (${code})`)));
    });
  const { port } = await next();
  return {
    port: port!,
    async setDelay(delayMs) {
      const acknowledged = next();
      child.send({ delayMs });
      await acknowledged;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** The process's resident memory in bytes (VmRSS of /proc/<pid>/status). */
export function residentBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!match?.[1]) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}

/** The cart's quantity per product, as GET /api/cart reads it for this session. */
export async function cartQuantities(origin: string, sessionKey: string): Promise<Record<number, number>> {
  const response = await fetch(`${origin}/api/cart`, { headers: { Cookie: `sessionid=${sessionKey}` } });
  expect(response.status).toBe(200);
  const cart = (await response.json()) as { items: { productId: number; quantity: number }[] };
  return Object.fromEntries(cart.items.map((line) => [line.productId, line.quantity]));
}
