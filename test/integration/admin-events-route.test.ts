// GET /api/admin/events as Next runs it (the app's runtime on a real SQLite
// database): 401/403 in the house shape, a text/event-stream that delivers
// what is published, ends when the client goes away, when the viewer's
// session is killed or their role withdrawn, and a 503 past the cap.
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as eventsGET } from "../../app/api/admin/events/route.ts";
import { MAX_EVENT_STREAMS } from "../../lib/node/events/sse.ts";
import { getDatabase } from "../../lib/server/db/client.ts";
import { openEventStreams } from "../../lib/server/event-stream.ts";
import { publishAdminEvent } from "../../lib/server/events.ts";
import { getSessionRuntime } from "../../lib/server/session/instance.ts";
import { login } from "../../lib/session/index.ts";
import { createSqliteDatabase, type TestDatabase } from "../helpers/databases.ts";
import { createUsers, FIREFOX, passwordHashOf } from "./admin-fixtures.ts";

const ORIGIN = "http://admin.test";
let t: TestDatabase;
let users: Awaited<ReturnType<typeof createUsers>>;
const keys: string[] = [];

beforeAll(async () => {
  t = await createSqliteDatabase();
  vi.stubEnv("DATABASE_URL", t.url);
  vi.stubEnv("REDIS_URL", "");
  users = await createUsers(t.db.prisma);
});
afterAll(async () => {
  await getDatabase().close();
  await t.dispose();
  vi.unstubAllEnvs();
});

async function signIn(username: keyof typeof users): Promise<string> {
  const runtime = getSessionRuntime();
  const session = await runtime.openSession(null, await runtime.policy.get()).load();
  await login(session, { id: users[username].id, password: passwordHashOf(username), isActive: true }, { secretKey: runtime.config.secretKey });
  await session.save();
  keys.push(session.key!);
  return session.key!;
}

function request(cookie?: string) {
  const abort = new AbortController();
  const headers: Record<string, string> = { host: "admin.test", "user-agent": FIREFOX, accept: "text/event-stream" };
  if (cookie) headers.cookie = `sessionid=${cookie}`;
  const response = eventsGET(new NextRequest(`${ORIGIN}/api/admin/events`, { headers, signal: abort.signal }), { params: Promise.resolve({}) });
  return { response, abort: () => abort.abort() };
}

/** Reads the stream until `until` matches what arrived (or it ends); returns everything read. */
async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, until: RegExp | "end"): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      if (until !== "end") throw new Error(`stream ended before ${until}: ${text}`);
      return text;
    }
    text += decoder.decode(value);
    if (until !== "end" && until.test(text)) return text;
  }
}

async function errorOf(response: Response) {
  return { status: response.status, cacheControl: response.headers.get("cache-control"), body: await response.json() };
}

describe("GET /api/admin/events", () => {
  it("401 signed out, 403 without a dashboard role, in the house shape and never stored", async () => {
    expect(await errorOf(await request().response)).toEqual({
      status: 401,
      cacheControl: "no-store, no-transform",
      body: { error: { code: "unauthenticated", message: expect.any(String) } },
    });
    expect(await errorOf(await request(await signIn("alice")).response)).toMatchObject({ status: 403, body: { error: { code: "forbidden" } } });
  });

  it("streams events to a viewer as text/event-stream, without session keys, and lets go when the client leaves", async () => {
    const viewer = request(await signIn("viewer"));
    const response = await viewer.response;
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-store, no-transform");
    const reader = response.body!.getReader();
    expect(await readUntil(reader, /connected\n\n/)).toMatch(/^retry: \d+\n/);
    expect(openEventStreams()).toBe(1);

    publishAdminEvent({ type: "session.login", userId: users.bob.id });
    const text = await readUntil(reader, /\n\n$/);
    expect(text).toMatch(new RegExp(`^event: session.login\ndata: \\{"type":"session.login","at":"[^"]+","userId":${users.bob.id}\\}\n\n$`));
    for (const key of keys) expect(text).not.toContain(key);

    viewer.abort();
    expect(await readUntil(reader, "end")).toBe("");
    expect(openEventStreams()).toBe(0);
  });

  it("ends the stream when the viewer's session is killed", async () => {
    const key = await signIn("security");
    const reader = (await request(key).response).body!.getReader();
    await readUntil(reader, /connected\n\n/);
    await getSessionRuntime().store.delete(key);
    publishAdminEvent({ type: "session.killed", count: 1, userId: users.security.id });
    expect(await readUntil(reader, "end")).toMatch(/^event: session.killed\n/);
    expect(openEventStreams()).toBe(0);
  });

  it("ends the stream when the viewer's role is withdrawn", async () => {
    const key = await signIn("viewer");
    const reader = (await request(key).response).body!.getReader();
    await readUntil(reader, /connected\n\n/);
    publishAdminEvent({ type: "role.changed", userId: users.admin.id });
    await readUntil(reader, /event: role.changed[^]*\n\n$/);
    await t.db.prisma.userRole.delete({ where: { userId: users.viewer.id } });
    publishAdminEvent({ type: "role.changed", userId: users.viewer.id });
    expect(await readUntil(reader, "end")).toMatch(/^event: role.changed\n/);
  });

  it(`answers 503 with Retry-After past ${MAX_EVENT_STREAMS} open streams in one process, and takes more once some close`, async () => {
    const key = await signIn("admin");
    const open = await Promise.all(Array.from({ length: MAX_EVENT_STREAMS }, async () => {
      const r = request(key);
      expect((await r.response).status).toBe(200);
      return r;
    }));
    const refused = await request(key).response;
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("10");
    expect((await refused.json()).error.code).toBe("service_unavailable");
    open[0]!.abort();
    await vi.waitFor(() => expect(openEventStreams()).toBe(MAX_EVENT_STREAMS - 1));
    const again = request(key);
    expect((await again.response).status).toBe(200);
    again.abort();
    for (const r of open) r.abort();
    await vi.waitFor(() => expect(openEventStreams()).toBe(0));
  });
});
