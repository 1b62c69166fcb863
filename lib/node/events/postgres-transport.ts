/**
 * Events across instances through PostgreSQL's LISTEN/NOTIFY. Listening
 * holds one dedicated connection (a pooled one would be recycled, and its
 * LISTEN with it); when the server restarts or kills it, it reconnects with
 * a growing delay. Sending is one short `pg_notify` on the app's pool, so a
 * publisher never waits on the listener's reconnects.
 */
import pg from "pg";
import type { EventTransport } from "./shared-bus.ts";

export const POSTGRES_EVENTS_CHANNEL = "sessionscope_events";

export interface Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { initialMs: 250, maxMs: 10_000 };

/** The delay before reconnect attempt `attempt` (0-based): doubling from `initialMs` up to `maxMs`, with up to 20% jitter so instances do not reconnect in step. */
export function backoffDelay(attempt: number, backoff: Backoff = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const base = Math.min(backoff.initialMs * 2 ** Math.min(attempt, 30), backoff.maxMs);
  return Math.round(base * (0.8 + 0.2 * random()));
}

export interface PostgresTransportOptions {
  /** The database's URL, for the dedicated listening connection. */
  readonly url: string;
  /** Where NOTIFY is sent from (the app's pool). */
  readonly pool: Pick<pg.Pool, "query">;
  readonly channel?: string;
  readonly backoff?: Backoff;
  /** Connection lost or refused, and back: for the log. */
  readonly onStatus?: (status: "listening" | "lost", detail?: string) => void;
}

const quoteIdentifier = (name: string) => `"${name.replaceAll('"', '""')}"`;

export function createPostgresTransport(options: PostgresTransportOptions): EventTransport {
  const channel = options.channel ?? POSTGRES_EVENTS_CHANNEL;
  let current: pg.Client | null = null;
  let timer: NodeJS.Timeout | null = null;
  let attempt = 0;
  let closed = false;
  let onMessage: (payload: string) => void = () => {};

  function retryLater(client: pg.Client, reason: string): void {
    if (current !== client) return; // already handled (an "error" is followed by an "end")
    current = null;
    client.end().catch(() => {});
    if (closed || timer) return;
    options.onStatus?.("lost", reason);
    timer = setTimeout(() => {
      timer = null;
      void connect();
    }, backoffDelay(attempt++, options.backoff));
    timer.unref();
  }

  async function connect(): Promise<void> {
    if (closed) return;
    const client = new pg.Client({ connectionString: options.url, keepAlive: true, connectionTimeoutMillis: 5_000 });
    current = client;
    client.on("notification", (message) => {
      if (message.channel === channel && message.payload !== undefined) onMessage(message.payload);
    });
    client.on("error", (error) => retryLater(client, error.message));
    client.on("end", () => retryLater(client, "connection closed"));
    try {
      await client.connect();
      await client.query(`LISTEN ${quoteIdentifier(channel)}`);
      if (current !== client) return;
      attempt = 0;
      options.onStatus?.("listening");
    } catch (error) {
      retryLater(client, (error as Error).message);
    }
  }

  return {
    name: "postgresql",
    async send(payload) {
      await options.pool.query("SELECT pg_notify($1, $2)", [channel, payload]);
    },
    listen(listener) {
      onMessage = listener;
      void connect();
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      const client = current;
      current = null;
      await client?.end().catch(() => {});
    },
  };
}
