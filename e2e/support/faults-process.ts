// Process faults (e2e/faults-process.spec.ts): writers that remember what the app told them it
// saved, a request held in flight, and checks of the database an app was killed on.
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { connect } from "node:net";
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { expect } from "@playwright/test";
import { addToCart, setCookieSession } from "./cache-services";

/** Products the writers add, one a request in turn (the seeded catalogue has more; a line holds at most 99). */
const PRODUCTS = [1, 2, 3, 4];

export interface Writer {
  /** The session's key, once the app has answered the first add. */
  key: string | null;
  /** Items per product the app answered 201 for. */
  readonly acked: Map<number, number>;
  /** Answers other than 201 (none is expected before the fault). */
  readonly failures: string[];
}

export const ackedCount = (writer: Writer) => [...writer.acked.values()].reduce((sum, n) => sum + n, 0);

/**
 * `count` writers, each with its own session, adding one item a request, one request at a time,
 * spread over `origins` in turn, until `rounds` adds are done or a request fails to get an answer
 * (the server was killed). Returns the writers and a promise that settles when all have stopped.
 */
export function startWriters(origins: readonly string[], count: number, rounds = Number.POSITIVE_INFINITY) {
  const writers: Writer[] = Array.from({ length: count }, () => ({ key: null, acked: new Map(), failures: [] }));
  const done = Promise.all(
    writers.map(async (writer, w) => {
      for (let i = 0; i < rounds; i++) {
        const productId = PRODUCTS[(w + i) % PRODUCTS.length]!;
        let response: Response;
        try {
          response = await addToCart(origins[(w + i) % origins.length]!, productId, writer.key ?? undefined);
        } catch {
          return; // no answer: the server is gone
        }
        if (response.status !== 201) {
          writer.failures.push(`${response.status} ${await response.text()}`);
          return;
        }
        writer.key ??= setCookieSession(response);
        writer.acked.set(productId, (writer.acked.get(productId) ?? 0) + 1);
      }
    }),
  );
  return { writers, done, acked: () => writers.reduce((sum, writer) => sum + ackedCount(writer), 0) };
}

/** The cart the app shows for a session: quantity per product. */
export async function cartOf(origin: string, key: string): Promise<Map<number, number>> {
  const response = await fetch(`${origin}/api/cart`, { headers: { Cookie: `sessionid=${key}` } });
  expect(response.status).toBe(200);
  const cart = (await response.json()) as { items: Array<{ productId: number; quantity: number }> };
  return new Map(cart.items.map((line) => [line.productId, line.quantity]));
}

/**
 * Every item a writer was told was added is in its cart. `inFlightAtFault`: a writer's one request
 * in flight when the server died may have been saved without an answer, so one item more is allowed.
 */
export async function expectEveryAckedWrite(origin: string, writers: readonly Writer[], { inFlightAtFault }: { inFlightAtFault: boolean }) {
  for (const writer of writers) {
    expect(writer.failures).toEqual([]);
    if (writer.key === null) continue; // its first add got no answer
    const cart = await cartOf(origin, writer.key);
    for (const [productId, quantity] of writer.acked) expect(cart.get(productId) ?? 0, `product ${productId}`).toBeGreaterThanOrEqual(quantity);
    const total = [...cart.values()].reduce((sum, n) => sum + n, 0);
    expect(total).toBeLessThanOrEqual(ackedCount(writer) + (inFlightAtFault ? 1 : 0));
  }
}

/** Resolves once `condition()` holds, polling every 10 ms; fails after `timeoutMs`. */
export async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Resolves once a TCP connection to the server's port is refused (it stopped listening). */
export async function waitUntilRefused(origin: string, timeoutMs = 10_000): Promise<void> {
  const { hostname, port } = new URL(origin);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect(Number(port), hostname);
      socket.once("connect", () => (socket.destroy(), resolve(false)));
      socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code === "ECONNREFUSED"));
    });
    if (refused) return;
    if (Date.now() > deadline) throw new Error(`${origin} still accepts connections`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface HeldRequest {
  /** Settles once the server has read the request's head and is handling it (its 100 Continue). */
  readonly handling: Promise<void>;
  /** Sends the body: the request can finish. */
  send(): void;
  readonly answer: Promise<{ status: number; headers: IncomingHttpHeaders; body: string }>;
}

/**
 * A POST whose body the client holds back (as a slow upload does): the server handles it and waits
 * for the body, so the request stays in flight until `send()`.
 */
export function heldPost(origin: string, path: string, sessionKey: string, body: unknown): HeldRequest {
  const text = JSON.stringify(body);
  const url = new URL(path, origin);
  const request = httpRequest({
    host: url.hostname,
    port: url.port,
    path: url.pathname,
    method: "POST",
    agent: false,
    headers: {
      "Content-Type": "application/json",
      "Content-Length": Buffer.byteLength(text),
      Origin: origin,
      Cookie: `sessionid=${sessionKey}`,
      Expect: "100-continue",
    },
  });
  const handling = new Promise<void>((resolve) => request.once("continue", () => resolve()));
  const answer = new Promise<{ status: number; headers: IncomingHttpHeaders; body: string }>((resolve, reject) => {
    request.once("error", reject);
    request.once("response", (response) => {
      let received = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (received += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: received }));
    });
  });
  answer.catch(() => {}); // a request the server cut off is looked at by the test, if at all
  request.flushHeaders();
  return { handling, send: () => request.end(text), answer };
}

/** Logs in through the API: the session key. */
export async function logIn(origin: string, username: string): Promise<string> {
  const response = await fetch(`${origin}/api/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: origin },
    body: JSON.stringify({ username, password: `demo-${username}` }),
  });
  expect(response.status).toBe(200);
  return setCookieSession(response);
}

/**
 * Rows of one table without their partner in the other, and pairs whose expiry copy is out of its
 * bounds (later than the session's expiry, or more than the engines' one-minute slack behind it:
 * docs/scaling.md): all 0 when every save was whole. `lagSeconds` is the dialect's seconds between two instants.
 */
const pairingSql = (lagSeconds: (later: string, earlier: string) => string) => `SELECT
  (SELECT count(*) FROM django_session s WHERE NOT EXISTS (SELECT 1 FROM sessionscope_session_meta m WHERE m.session_key = s.session_key)) AS sessions_without_meta,
  (SELECT count(*) FROM sessionscope_session_meta m WHERE NOT EXISTS (SELECT 1 FROM django_session s WHERE s.session_key = m.session_key)) AS meta_without_session,
  (SELECT count(*) FROM django_session s JOIN sessionscope_session_meta m ON m.session_key = s.session_key
    WHERE m.expire_date IS NULL OR m.expire_date > s.expire_date OR ${lagSeconds("s.expire_date", "m.expire_date")} > 60) AS expiry_copies_out_of_bounds,
  (SELECT count(*) FROM django_session) AS sessions`;
const SQLITE_PAIRING_SQL = pairingSql((later, earlier) => `(julianday(${later}) - julianday(${earlier})) * 86400`);
const POSTGRES_PAIRING_SQL = pairingSql((later, earlier) => `EXTRACT(EPOCH FROM ${later} - ${earlier})`);

interface Pairing {
  sessions_without_meta: number;
  meta_without_session: number;
  expiry_copies_out_of_bounds: number;
  sessions: number;
}

/** The SQLite file passes `PRAGMA integrity_check`, and every session row has its meta row and back. Returns the session count. */
export function expectSqliteIntact(path: string): number {
  const db = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    expect(db.pragma("foreign_key_check")).toEqual([]);
    const pairing = db.prepare(SQLITE_PAIRING_SQL).get() as Pairing;
    expect(pairing).toMatchObject({ sessions_without_meta: 0, meta_without_session: 0, expiry_copies_out_of_bounds: 0 });
    return pairing.sessions;
  } finally {
    db.close();
  }
}

/**
 * The session tables' B-tree indexes pass amcheck's bt_index_check (with every heap tuple looked
 * up in its index), and every session row has its meta row and back. Returns the session count.
 */
export async function expectPostgresIntact(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("CREATE EXTENSION IF NOT EXISTS amcheck");
    const checked = await client.query<{ index: string }>(
      `SELECT c.relname AS index, bt_index_check(c.oid, true) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
       JOIN pg_am a ON a.oid = c.relam AND a.amname = 'btree'
       WHERE i.indrelid IN ('django_session'::regclass, 'sessionscope_session_meta'::regclass, 'sessionscope_session_sighting'::regclass)`,
    );
    expect(checked.rows.map((row) => row.index)).toContain("django_session_pkey");
    const pairing = (await client.query(POSTGRES_PAIRING_SQL)).rows[0] as Record<keyof Pairing, string>;
    expect(pairing).toMatchObject({ sessions_without_meta: "0", meta_without_session: "0", expiry_copies_out_of_bounds: "0" });
    return Number(pairing.sessions);
  } finally {
    await client.end();
  }
}
