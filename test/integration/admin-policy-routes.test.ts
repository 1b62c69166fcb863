// The policy routes as Next runs them, on the app's own runtime (SQLite, db
// engine): field-named validation errors, who may read and who may save, and
// a saved change in force from the very next request without a restart (the
// cookie's Max-Age, Secure and SameSite follow it; an idle timeout ends an
// idle session).
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { AdminPolicyView, PolicySettings } from "../../lib/admin-api.ts";
import { GET as policyGET, PUT as policyPUT } from "../../app/api/admin/policy/route.ts";
import { POST as previewPOST } from "../../app/api/admin/policy/preview/route.ts";
import { getDatabase } from "../../lib/server/db/client.ts";
import { getSessionRuntime } from "../../lib/server/session/instance.ts";
import { CREATED_KEY, login } from "../../lib/session/index.ts";
import { createSqliteDatabase, type TestDatabase } from "../helpers/databases.ts";
import { createUsers, passwordHashOf } from "./admin-fixtures.ts";

const SITE = "http://policy.test";
let t: TestDatabase;
let users: Awaited<ReturnType<typeof createUsers>>;

beforeAll(async () => {
  t = await createSqliteDatabase();
  vi.stubEnv("DATABASE_URL", t.url);
  users = await createUsers(t.db.prisma);
});
afterAll(async () => {
  await getDatabase().close();
  await t.dispose();
  vi.unstubAllEnvs();
});

/** A browser signed in as `username`, its session begun `ageSeconds` ago; returns the cookie's value. */
async function browserOf(username: "admin" | "security" | "viewer", ageSeconds = 0): Promise<string> {
  const runtime = getSessionRuntime();
  const session = await runtime.openSession(null, await runtime.policy.get()).load();
  await login(session, { id: users[username].id, password: passwordHashOf(username), isActive: true }, { secretKey: runtime.config.secretKey });
  if (ageSeconds) session.set(CREATED_KEY, Math.floor(Date.now() / 1000) - ageSeconds);
  await session.save();
  return session.key!;
}

type Handler = (request: NextRequest, route: { params: Promise<unknown> }) => Promise<Response>;

async function send(handler: Handler, method: "GET" | "PUT" | "POST", cookie: string, body?: unknown, path = "/api/admin/policy") {
  const headers: Record<string, string> = { host: "policy.test", cookie: `sessionid=${cookie}` };
  if (method !== "GET") Object.assign(headers, { origin: SITE, "content-type": "application/json" });
  const request = new NextRequest(`${SITE}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const response = await handler(request, { params: Promise.resolve({}) });
  return { status: response.status, json: (await response.json()) as Record<string, unknown>, setCookie: response.headers.get("set-cookie") };
}

const readPolicy = async (cookie: string) => (await send(policyGET as Handler, "GET", cookie)).json as unknown as AdminPolicyView;
const save = async (cookie: string, change: Partial<PolicySettings>, version?: number) => {
  const view = await readPolicy(cookie);
  return send(policyPUT as Handler, "PUT", cookie, { ...view.policy, ...change, version: version ?? view.version });
};

describe("the policy routes", () => {
  let admin: string;
  beforeAll(async () => {
    admin = await browserOf("admin");
  });

  it("refuses bad values with a 400 that names the field", async () => {
    const cases: Array<[Partial<PolicySettings>, string]> = [
      [{ cookieAge: 10 }, "cookieAge: must be at least 60 seconds (one minute)"],
      [{ idleTimeout: 7200, absoluteLifetime: 3600 }, "idleTimeout: must not be longer than the absolute lifetime (it could never apply)"],
      [{ cookieSameSite: "None", cookieSecure: false }, 'cookieSameSite: "None" needs cookieSecure on (browsers drop SameSite=None cookies without Secure)'],
      [{ maxSessionsPerUser: 0 }, "maxSessionsPerUser: must be at least 1 (or null for no limit)"],
    ];
    for (const [change, message] of cases) {
      const answer = await save(admin, change);
      expect(answer.status).toBe(400);
      expect(answer.json.error).toMatchObject({ code: "validation_failed", message, details: [{ path: message.split(":")[0] }] });
    }
    const stale = await save(admin, { cookieAge: 3600 }, 7);
    expect([stale.status, (stale.json.error as { code: string }).code]).toEqual([409, "conflict"]);
  });

  it("every role reads the policy and its preview; only admins save", async () => {
    for (const role of ["security", "viewer"] as const) {
      const cookie = await browserOf(role);
      expect(await readPolicy(cookie)).toMatchObject({ canEdit: false, source: "env", version: 0 });
      const preview = await send(previewPOST as Handler, "POST", cookie, (await readPolicy(cookie)).policy);
      expect([preview.status, preview.json.available]).toEqual([200, true]);
      expect((await save(cookie, { cookieAge: 3600 })).status).toBe(403);
    }
    expect((await readPolicy(admin)).canEdit).toBe(true);
  });

  it("the preview counts every session on ?count=exact, and a count it does not know is a 400 that names it", async () => {
    const { policy } = await readPolicy(admin);
    const exact = await send(previewPOST as Handler, "POST", admin, policy, "/api/admin/policy/preview?count=exact");
    expect([exact.status, exact.json.available, exact.json.estimatedFrom]).toEqual([200, true, null]);
    const bad = await send(previewPOST as Handler, "POST", admin, policy, "/api/admin/policy/preview?count=all");
    expect(bad.status).toBe(400);
    expect((bad.json.error as { message: string }).message).toMatch(/count/);
  });

  it("applies a saved change from the next request: the cookie's Max-Age, Secure and SameSite follow it", async () => {
    const before = await send(policyGET as Handler, "GET", admin);
    expect(before.setCookie).toBeNull();
    expect((await save(admin, { cookieAge: 3600, saveEveryRequest: true, cookieSecure: true, cookieSameSite: "Strict" })).status).toBe(200);
    const next = await send(policyGET as Handler, "GET", admin);
    expect(next.setCookie).toMatch(/^sessionid=\w+;.*Max-Age=3600;/);
    expect(next.setCookie).toContain("; Secure");
    expect(next.setCookie).toContain("SameSite=Strict");
  });

  it("an idle timeout saved now ends a session idle for longer at its next request", async () => {
    const viewer = await browserOf("viewer", 2 * 3600);
    expect((await send(policyGET as Handler, "GET", viewer)).status).toBe(200);
    expect((await save(admin, { idleTimeout: 3600 })).status).toBe(200);
    const next = await send(policyGET as Handler, "GET", viewer);
    expect([next.status, (next.json.error as { code: string }).code]).toEqual([401, "unauthenticated"]);
    // The admin's own session was used a moment ago: it stays.
    expect((await send(policyGET as Handler, "GET", admin)).status).toBe(200);
  });
});
