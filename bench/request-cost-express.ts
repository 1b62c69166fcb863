/**
 * express-session's side of the request-cost benchmark (bench/request-cost.ts):
 * the same two routes as /api/bench/plain and /api/bench/session, served in a
 * process of their own with express-session's middleware and one of its stores.
 *
 *   /plain    answers {"visits":1}, no session
 *   /session  express-session loads the session, the handler adds one to its
 *             counter and answers {"visits":n}; express-session saves it and sends
 *             Set-Cookie (a modified session with a max age), as SessionScope does
 *   /cookie   /plain, reading the request's session cookie and answering with a
 *             Set-Cookie of the same value and attributes: the cookie's own cost,
 *             without the session (the floor under /session)
 *
 * Express itself is not installed here (and no package may be added), so the
 * middleware runs on node:http, which is how Express calls it: the same handler
 * for both routes, so Express's router would add the same time to each.
 *
 *   node --import ./bench/ts-as-built.mjs bench/request-cost-express.ts --port 4000 --store sqlite --sqlite-file /tmp/x.db
 *   ... --store postgresql --pg postgresql://...     (connect-pg-simple, no cache in front)
 *   ... --store redis --redis redis://...            (connect-redis on node-redis)
 * Prints "ready" once listening; stops on SIGTERM.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import BetterSqlite3 from "better-sqlite3";
import createBetterSqliteStore from "better-sqlite3-session-store";
import connectPgSimple from "connect-pg-simple";
import { RedisStore } from "connect-redis";
import session from "express-session";
import pg from "pg";
import { createClient } from "redis";
import { DURABILITY, parseArgs } from "./common.ts";

const COOKIE_AGE_MS = 1_209_600_000; // two weeks, as SessionScope's SESSION_COOKIE_AGE
const args = parseArgs();
const required = (name: string): string => {
  const value = args.get(name);
  if (!value) throw new Error(`request-cost-express: --${name} is required`);
  return value;
};

/** The store for `--store`, and what closes its connections. */
async function openStore(kind: string): Promise<{ store: session.Store; close(): Promise<void> }> {
  if (kind === "sqlite") {
    const db = new BetterSqlite3(required("sqlite-file"));
    // SessionScope's default durability (lib/node/db/connection.ts).
    db.pragma("busy_timeout = 5000");
    db.pragma(`journal_mode = ${DURABILITY.normal.journal}`);
    db.pragma(`synchronous = ${DURABILITY.normal.synchronous}`);
    const SqliteStore = createBetterSqliteStore(session);
    const store = new SqliteStore({ client: db, expired: { clear: false, intervalMs: 3_600_000 } });
    return { store, close: async () => void db.close() };
  }
  if (kind === "postgresql") {
    const pool = new pg.Pool({ connectionString: required("pg"), max: 10 });
    const PgStore = connectPgSimple(session);
    const store = new PgStore({ pool, createTableIfMissing: true, pruneSessionInterval: false });
    return { store, close: () => pool.end() };
  }
  if (kind === "redis") {
    const client = createClient({ url: required("redis") });
    client.on("error", (error: Error) => console.error(`request-cost-express: redis: ${error.message}`));
    await client.connect();
    const store = new RedisStore({ client, prefix: "sess:" }) as unknown as session.Store;
    return { store, close: async () => void (await client.quit()) };
  }
  throw new Error(`request-cost-express: unknown --store ${kind} (sqlite, postgresql, redis)`);
}

type SessionRequest = IncomingMessage & { session: session.Session & { visits?: number } };
type Middleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

const json = (res: ServerResponse, body: unknown) => {
  res.statusCode = 200;
  res.setHeader("content-type", "application/json");
  res.end(JSON.stringify(body));
};

const { store, close } = await openStore(required("store"));
const middleware = session({
  store,
  name: "sessionid",
  secret: "sessionscope-request-cost-benchmark-secret-not-for-production-use",
  resave: false,
  saveUninitialized: false,
  cookie: { maxAge: COOKIE_AGE_MS, httpOnly: true, sameSite: "lax", path: "/" },
}) as unknown as Middleware;

/** The cookie's value from a Cookie header, as express-session's parser finds it. */
const sessionCookie = (header: string | undefined) => /(?:^|;\s*)sessionid=([^;]*)/.exec(header ?? "")?.[1] ?? "";

const server = createServer((req, res) => {
  if (req.url === "/plain") return json(res, { visits: 1 });
  if (req.url === "/cookie") {
    const expires = new Date(Date.now() + COOKIE_AGE_MS).toUTCString();
    res.setHeader("Set-Cookie", `sessionid=${sessionCookie(req.headers.cookie)}; Path=/; Expires=${expires}; HttpOnly; SameSite=Lax`);
    return json(res, { visits: 1 });
  }
  if (req.url !== "/session") {
    res.statusCode = 404;
    return res.end();
  }
  middleware(req, res, (error) => {
    if (error) {
      res.statusCode = 500;
      return res.end(String(error));
    }
    const s = (req as SessionRequest).session;
    s.visits = (s.visits ?? 0) + 1;
    json(res, { visits: s.visits });
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(required("port")), "127.0.0.1", () => console.log("ready"));
process.on("SIGTERM", () => {
  server.close();
  server.closeAllConnections();
  void close().finally(() => process.exit(0));
});
