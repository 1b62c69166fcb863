import "server-only";
/**
 * Stopping `next start` cleanly on SIGTERM (and SIGINT): stop listening, end
 * the dashboard's event streams, let the requests in flight finish (at most
 * SESSIONSCOPE_SHUTDOWN_TIMEOUT seconds), close the database and cache
 * clients, exit 0. Next's own handler would wait for every connection (an
 * open event stream holds it forever) and exit 143; `npm start` sets
 * NEXT_MANUAL_SIG_HANDLE so Next leaves the signals to this one.
 *
 * Requests are seen through Node's `http.server.request.start` diagnostics
 * channel (Next does not hand out its server), which also names the server to
 * close. A session is never half-written either way: each save is one SQLite
 * transaction or one PostgreSQL statement.
 */
import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage, Server, ServerResponse } from "node:http";

interface ShutdownState {
  readonly servers: Set<Server>;
  /** Responses not yet finished, with their request's method and path. */
  readonly inFlight: Map<ServerResponse, string>;
  /** Aborted when stopping begins: long-lived responses (event streams) end on it. */
  readonly controller: AbortController;
  installed: boolean;
  stopping: boolean;
}

// On globalThis: instrumentation.ts and the route bundles load this module separately.
const holder = globalThis as typeof globalThis & {
  __sessionscopeShutdown?: ShutdownState;
  // The process's clients (lib/server/db/client.ts, redis-client.ts, memcached-client.ts, events.ts), closed when present.
  __sessionscopeDb?: { close(): Promise<void> };
  __sessionscopeReader?: { readonly reader: { close(): Promise<void> } | null };
  __sessionscopeEventBus?: { close(): Promise<void> };
  __sessionscopeRedis?: { quit(): Promise<unknown>; disconnect(): void } | null;
  __sessionscopeMemcached?: { close(): void } | null;
};

function state(): ShutdownState {
  holder.__sessionscopeShutdown ??= { servers: new Set(), inFlight: new Map(), controller: new AbortController(), installed: false, stopping: false };
  return holder.__sessionscopeShutdown;
}

/** Aborted once the process has begun to stop. */
export function shutdownSignal(): AbortSignal {
  return state().controller.signal;
}

export interface ShutdownOptions {
  /** How long requests in flight may take to finish once a signal came. */
  readonly timeoutMs: number;
  readonly log?: (message: string) => void;
  readonly exit?: (code: number) => void;
}

/** Closing a client that hangs (a Redis that is down) must not hold the exit. */
const CLOSE_TIMEOUT_MS = 2_000;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** "2 requests in flight (GET /api/admin/events, POST /api/cart/items)": the first five named. */
function inFlightText(inFlight: ReadonlyMap<ServerResponse, string>): string {
  const names = [...inFlight.values()];
  const listed = names.slice(0, 5).join(", ") + (names.length > 5 ? `, ${names.length - 5} more` : "");
  return `${plural(names.length, "request")} in flight${names.length ? ` (${listed})` : ""}`;
}

async function closeClients(): Promise<void> {
  const closing: Array<Promise<unknown>> = [
    holder.__sessionscopeEventBus?.close(),
    holder.__sessionscopeReader?.reader?.close(),
    holder.__sessionscopeDb?.close(),
    holder.__sessionscopeRedis?.quit(),
  ].map((step) => Promise.resolve(step).catch(() => {}));
  holder.__sessionscopeMemcached?.close();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.all(closing), new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_TIMEOUT_MS)))]);
  clearTimeout(timer);
  holder.__sessionscopeRedis?.disconnect();
}

/**
 * Takes SIGTERM and SIGINT over from `next start`. Called once, from instrumentation's register(),
 * which runs after next start has set up its own handlers: those are removed when
 * NEXT_MANUAL_SIG_HANDLE did not keep Next from adding them (a plain `next start`).
 */
export function installGracefulShutdown(options: ShutdownOptions): void {
  const current = state();
  if (current.installed) return;
  current.installed = true;
  const log = options.log ?? ((message: string) => console.log(`SessionScope: ${message}`));
  const exit = options.exit ?? ((code: number) => process.exit(code));

  subscribe("http.server.request.start", (message) => {
    const { server, request, response } = message as { server: Server; request: IncomingMessage; response: ServerResponse };
    current.servers.add(server);
    // The path without its query (which may carry a token).
    current.inFlight.set(response, `${request.method} ${(request.url ?? "").replace(/\?.*$/s, "")}`);
    // A request that came on a connection kept alive from before: answered, and that connection closed.
    if (current.stopping) response.shouldKeepAlive = false;
    response.once("close", () => current.inFlight.delete(response));
  });

  const stop = async (signal: NodeJS.Signals) => {
    // A terminal's Ctrl+C reaches both npm start and next, and npm start passes it on too: once is enough.
    if (current.stopping) return;
    current.stopping = true;
    const seconds = options.timeoutMs / 1000;
    log(`${signal} received: no new connections; waiting up to ${seconds} s for ${inFlightText(current.inFlight)}`);
    for (const server of current.servers) server.close();
    for (const response of current.inFlight.keys()) if (!response.headersSent) response.shouldKeepAlive = false;
    current.controller.abort();
    const deadline = Date.now() + options.timeoutMs;
    while (current.inFlight.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    const left = current.inFlight.size;
    if (left > 0) log(`${inFlightText(current.inFlight).replace(" in flight", " still in flight")} after ${seconds} s (SESSIONSCOPE_SHUTDOWN_TIMEOUT); stopping anyway`);
    for (const server of current.servers) server.closeAllConnections();
    await closeClients();
    log(left > 0 ? "stopped (requests cut short)" : "stopped cleanly");
    exit(left > 0 ? 1 : 0);
  };

  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    if (!process.env.NEXT_MANUAL_SIG_HANDLE) process.removeAllListeners(signal);
    process.on(signal, () => void stop(signal));
  }
}
