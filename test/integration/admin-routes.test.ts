// The admin API's route handlers as Next runs them (the app's own runtime on a
// real SQLite database, the db engine): who gets 401, 403 or an answer on
// every route, the house error shape, `Cache-Control: no-store` on every
// answer, the Origin rule for unsafe methods, and no session key in any
// answer's raw text.
import { NextRequest } from "next/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { GET as auditGET } from "../../app/api/admin/audit/route.ts";
import { DELETE as sessionDELETE, GET as sessionGET } from "../../app/api/admin/sessions/[id]/route.ts";
import { POST as revokePOST, GET as revokeGET } from "../../app/api/admin/sessions/revoke/route.ts";
import { GET as sessionsGET } from "../../app/api/admin/sessions/route.ts";
import { PUT as rolePUT } from "../../app/api/admin/users/[id]/role/route.ts";
import { GET as usersGET } from "../../app/api/admin/users/route.ts";
import { getDatabase } from "../../lib/server/db/client.ts";
import { getSessionRuntime } from "../../lib/server/session/instance.ts";
import { login, supportsActivity, supportsUserIndex } from "../../lib/session/index.ts";
import { createSqliteDatabase, type TestDatabase } from "../helpers/databases.ts";
import { createUsers, FIREFOX, passwordHashOf } from "./admin-fixtures.ts";

const ORIGIN = "http://admin.test";
const USERS = ["admin", "security", "viewer", "alice", "bob"] as const;
type Username = (typeof USERS)[number];

let t: TestDatabase;
const ids = {} as Record<Username, number>;
/** Every session key made in this file: none may appear in any answer. */
const keys: string[] = [];

beforeAll(async () => {
  t = await createSqliteDatabase();
  vi.stubEnv("DATABASE_URL", t.url);
  Object.assign(ids, Object.fromEntries(Object.entries(await createUsers(t.db.prisma)).map(([name, user]) => [name, user.id])));
});
afterAll(async () => {
  await getDatabase().close();
  await t.dispose();
  vi.unstubAllEnvs();
});

/** A browser logged in as `username` (Django's login on the app's runtime); returns its cookie value. */
async function signIn(username: Username): Promise<string> {
  const runtime = getSessionRuntime();
  const session = await runtime.openSession(null, await runtime.policy.get()).load();
  await login(session, { id: ids[username], password: passwordHashOf(username), isActive: true }, { secretKey: runtime.config.secretKey });
  await session.save();
  keys.push(session.key!);
  if (supportsActivity(runtime.store)) await runtime.store.recordActivity(session.key!, { at: new Date(), ip: "203.0.113.9", userAgent: FIREFOX });
  return session.key!;
}

interface Call {
  readonly method: "GET" | "POST" | "PUT" | "DELETE";
  readonly path: string;
  readonly cookie?: string;
  readonly body?: unknown;
  readonly origin?: string | null;
}

type Handler = (request: NextRequest, route: { params: Promise<Record<string, string>> }) => Promise<Response>;

interface Answer {
  readonly status: number;
  readonly text: string;
  readonly json: unknown;
  readonly headers: Headers;
}

async function call(handler: Handler, params: Record<string, string>, c: Call): Promise<Answer> {
  const headers: Record<string, string> = { host: "admin.test", "user-agent": FIREFOX };
  if (c.cookie) headers.cookie = `sessionid=${c.cookie}`;
  if (c.method !== "GET" && c.origin !== null) headers.origin = c.origin ?? ORIGIN;
  if (c.body !== undefined) headers["content-type"] = "application/json";
  const request = new NextRequest(`${ORIGIN}${c.path}`, { method: c.method, headers, body: c.body === undefined ? undefined : JSON.stringify(c.body) });
  const response = await handler(request, { params: Promise.resolve(params) });
  const text = await response.text();
  for (const key of keys) expect(text, `${c.method} ${c.path}`).not.toContain(key);
  expect(response.headers.get("cache-control"), `${c.method} ${c.path}`).toBe("no-store");
  let json: unknown = null;
  if ((response.headers.get("content-type") ?? "").startsWith("application/json")) json = JSON.parse(text);
  // The house shape; validation errors add `details` (every problem, not just the first).
  if (response.status >= 400) expect(json, `${c.method} ${c.path}`).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
  return { status: response.status, text, json, headers: response.headers };
}

/** One request to each admin route, as `cookie`'s user. `target` is a listed session's public id. */
async function everyRoute(cookie: string | undefined, target: string): Promise<Record<string, number>> {
  const statuses: Record<string, number> = {};
  const run = async (name: string, handler: Handler, params: Record<string, string>, c: Omit<Call, "cookie">) => {
    statuses[name] = (await call(handler, params, { ...c, ...(cookie && { cookie }) })).status;
  };
  await run("list", sessionsGET as Handler, {}, { method: "GET", path: "/api/admin/sessions" });
  await run("detail", sessionGET as Handler, { id: target }, { method: "GET", path: `/api/admin/sessions/${target}` });
  await run("audit", auditGET as Handler, {}, { method: "GET", path: "/api/admin/audit" });
  await run("users", usersGET as Handler, {}, { method: "GET", path: "/api/admin/users" });
  // Mutations that would change nothing if allowed: an unknown id, a moment before every session, bob's own role.
  await run("kill", sessionDELETE as Handler, { id: "AAAAAAAAAAAAAAAAAAAAAA" }, { method: "DELETE", path: "/api/admin/sessions/AAAAAAAAAAAAAAAAAAAAAA" });
  await run("revoke", revokePOST as Handler, {}, { method: "POST", path: "/api/admin/sessions/revoke", body: { issuedBefore: "2000-01-01T00:00:00Z" } });
  await run("role", rolePUT as Handler, { id: String(ids.bob) }, { method: "PUT", path: `/api/admin/users/${ids.bob}/role`, body: { role: null } });
  return statuses;
}

describe("the admin API's rules, route by route", () => {
  let target: string;
  const cookies = {} as Record<Username, string>;
  beforeAll(async () => {
    for (const username of USERS) cookies[username] = await signIn(username);
    const page = (await call(sessionsGET as Handler, {}, { method: "GET", path: "/api/admin/sessions?user=alice", cookie: cookies.admin })).json as { items: Array<{ id: string }> };
    target = page.items[0]!.id;
  });

  it("signed out: 401 from every route", async () => {
    const statuses = await everyRoute(undefined, target);
    expect(Object.values(statuses)).toEqual(Array(7).fill(401));
  });

  it("signed in without a role: 403 from every route", async () => {
    expect(Object.values(await everyRoute(cookies.alice, target))).toEqual(Array(7).fill(403));
  });

  it("viewer: reads sessions and the audit log; 403 from every mutating route and the users page", async () => {
    expect(await everyRoute(cookies.viewer, target)).toEqual({ list: 200, detail: 200, audit: 200, users: 403, kill: 403, revoke: 403, role: 403 });
  });

  it("security: reads and kills; cannot see or change roles", async () => {
    expect(await everyRoute(cookies.security, target)).toEqual({ list: 200, detail: 200, audit: 200, users: 403, kill: 404, revoke: 200, role: 403 });
  });

  it("admin: everything", async () => {
    expect(await everyRoute(cookies.admin, target)).toEqual({ list: 200, detail: 200, audit: 200, users: 200, kill: 404, revoke: 200, role: 200 });
  });

  it("unsafe methods need this site's Origin", async () => {
    const answer = await call(revokePOST as Handler, {}, { method: "POST", path: "/api/admin/sessions/revoke", cookie: cookies.admin, origin: "https://evil.example", body: { ids: [target] } });
    expect([answer.status, (answer.json as { error: { code: string } }).error.code]).toEqual([403, "cross_origin_request"]);
    const without = await call(sessionDELETE as Handler, { id: target }, { method: "DELETE", path: `/api/admin/sessions/${target}`, cookie: cookies.admin, origin: null });
    expect(without.status).toBe(403);
  });

  it("bad input is a 400 naming the problem; an unknown id a 404", async () => {
    const bad = async (handler: Handler, params: Record<string, string>, c: Omit<Call, "cookie">) => {
      const answer = await call(handler, params, { ...c, cookie: cookies.admin });
      return [answer.status, (answer.json as { error: { message: string } }).error.message];
    };
    expect(await bad(sessionsGET as Handler, {}, { method: "GET", path: "/api/admin/sessions?sort=size" })).toEqual([400, expect.stringMatching(/^sort: /)]);
    expect(await bad(sessionsGET as Handler, {}, { method: "GET", path: "/api/admin/sessions?cursor=abc" })).toEqual([400, "invalid cursor: start again from the first page."]);
    expect(await bad(sessionGET as Handler, { id: "not/an id" }, { method: "GET", path: "/api/admin/sessions/x" })).toEqual([400, "input: is not a session id"]);
    expect(await bad(sessionGET as Handler, { id: "AAAAAAAAAAAAAAAAAAAAAA" }, { method: "GET", path: "/api/admin/sessions/AAAAAAAAAAAAAAAAAAAAAA" })).toEqual([404, expect.stringMatching(/^No such session/)]);
    expect(await bad(revokePOST as Handler, {}, { method: "POST", path: "/api/admin/sessions/revoke", body: { ids: [], userId: 1 } })).toEqual([400, "input: send exactly one of {ids}, {userId} or {issuedBefore}"]);
    expect(await bad(rolePUT as Handler, { id: String(ids.bob) }, { method: "PUT", path: "/api/admin/users/x/role", body: { role: "owner" } })).toEqual([400, expect.stringMatching(/^role: /)]);
    expect(await bad(rolePUT as Handler, { id: "12x" }, { method: "PUT", path: "/api/admin/users/12x/role", body: { role: null } })).toEqual([400, "input: is not a user id"]);
    expect(await bad(auditGET as Handler, {}, { method: "GET", path: "/api/admin/audit?from=soon" })).toEqual([400, "from: must be an ISO 8601 date or time"]);
    expect(await bad(revokeGET as Handler, {}, { method: "GET", path: "/api/admin/sessions/revoke" })).toEqual([404, expect.stringMatching(/^No such session/)]);
  });
});

describe("what the routes do", () => {
  let admin: string;
  beforeEach(async () => {
    admin = await signIn("admin");
  });

  it("a kill ends the session: the killed browser's next request is anonymous", async () => {
    // Bob's sessions from earlier tests go first: creation times are whole seconds (Django's), so one made
    // in the same second would tie with the victim's in the list's order.
    const runtime = getSessionRuntime();
    if (!supportsUserIndex(runtime.store)) throw new Error("the SQLite engine finds sessions by user");
    await runtime.store.deleteByUser(String(ids.bob));
    const victim = await signIn("bob");
    const list = (await call(sessionsGET as Handler, {}, { method: "GET", path: "/api/admin/sessions?user=bob", cookie: admin })).json as { items: Array<{ id: string }> };
    expect(list.items).toHaveLength(1);
    const killed = await call(sessionDELETE as Handler, { id: list.items[0]!.id }, { method: "DELETE", path: `/api/admin/sessions/${list.items[0]!.id}`, cookie: admin });
    expect(killed.json).toEqual({ revoked: 1, auditId: expect.any(Number) });
    const next = await runtime.openSession(victim, await runtime.policy.get()).load();
    expect(next.key).toBeNull();
  });

  it("the audit log downloads as CSV with every entry", async () => {
    const answer = await call(auditGET as Handler, {}, { method: "GET", path: "/api/admin/audit?format=csv&action=sessions.", cookie: admin });
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(answer.headers.get("content-disposition")).toMatch(/^attachment; filename="sessionscope-audit-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = answer.text.split("\r\n");
    expect(lines[0]).toBe("id,at,actor_id,actor,action,target,session_count,ip,device,user_agent,detail");
    expect(lines.at(-1)).toBe("");
    const count = await t.db.prisma.auditEntry.count({ where: { action: { startsWith: "sessions." } } });
    expect(lines.length - 2).toBe(count);
    expect(lines.slice(1, -1).every((line) => /^\d+,\d{4}-/.test(line))).toBe(true);
  });

  it("an admin who changes their own role is signed out by the answer", async () => {
    await call(rolePUT as Handler, { id: String(ids.security) }, { method: "PUT", path: "/role", cookie: admin, body: { role: "admin" } });
    const answer = await call(rolePUT as Handler, { id: String(ids.admin) }, { method: "PUT", path: "/role", cookie: admin, body: { role: "viewer" } });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ user: { username: "admin", role: "viewer" }, previousRole: "admin" });
    expect(answer.headers.get("set-cookie")).toMatch(/^sessionid=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0/);
    const runtime = getSessionRuntime();
    expect((await runtime.openSession(admin, await runtime.policy.get()).load()).key).toBeNull();
  });
});
