// The Next binding's rules, through its plain functions on a real SQLite
// session store (and, for outages, a real Redis client whose server is gone).
import { createServer } from "node:net";
import { RequestCookies, ResponseCookies, parseSetCookie } from "next/dist/compiled/@edge-runtime/cookies";
import { NextRequest, NextResponse } from "next/server";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSqliteDatabase, type TestDatabase } from "../../../test/helpers/databases.ts";
import { parseEnv } from "../../node/env.ts";
import { createRedisClient } from "../../node/redis.ts";
import { createSessionRuntime, type SessionRuntime } from "../../node/session/runtime.ts";
import { API_ERRORS, HttpError } from "../http.ts";
import { runActionWithSession, toCookieOptions } from "./action-session.ts";
import { invalidCookieMonitor } from "./invalid-cookies.ts";
import type { SessionContext } from "./lifecycle.ts";
import { mayUseSession, respondWithSession } from "./route-session.ts";

const ORIGIN = "http://shop.test";
const DJANGO_COOKIE = /^sessionid=([a-z0-9]{32}); expires=\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT; HttpOnly; Max-Age=1209600; Path=\/; SameSite=Lax$/;

let t: TestDatabase;
let runtime: SessionRuntime;

beforeAll(async () => {
  t = await createSqliteDatabase();
  runtime = createSessionRuntime(parseEnv({ DATABASE_URL: t.url }), t.db, null);
});
afterAll(() => t.dispose());

function request(method: string, options: { cookie?: string; origin?: string | null; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { host: "shop.test", ...options.headers };
  if (options.cookie !== undefined) headers.cookie = `sessionid=${options.cookie}`;
  if (options.origin !== null && method !== "GET") headers.origin = options.origin ?? ORIGIN;
  return new NextRequest(`${ORIGIN}/api/test`, { method, headers });
}

const respond = (req: NextRequest, handler: (context: SessionContext) => Promise<Response>, using = runtime) => respondWithSession(using, req, handler);

const addToCart = async ({ session }: SessionContext) => {
  await session.load();
  session.modify<number>("cart", (n = 0) => n + 1);
  return NextResponse.json({ ok: true });
};

/** The cart as the store holds it under `key`, or undefined when there is no such session. */
async function storedCart(key: string): Promise<unknown> {
  const session = await runtime.openSession(key, await runtime.policy.get()).load();
  return session.key === null ? undefined : session.get("cart");
}

async function existingSession(): Promise<string> {
  const response = await respond(request("POST"), addToCart);
  return DJANGO_COOKIE.exec(response.headers.get("set-cookie") ?? "")![1]!;
}

describe("the Origin check on unsafe methods", () => {
  const headers = (entries: Record<string, string>) => new Headers(entries);

  it("lets safe methods and cookieless requests through whatever their origin", () => {
    expect(mayUseSession("GET", headers({ origin: "https://evil.example", host: "shop.test" }), true)).toBe(true);
    expect(mayUseSession("POST", headers({ origin: "https://evil.example", host: "shop.test" }), false)).toBe(true);
  });

  it("needs this site's Origin, or Sec-Fetch-Site: same-origin without one, when the cookie comes along", () => {
    expect(mayUseSession("POST", headers({ origin: "http://shop.test", host: "shop.test" }), true)).toBe(true);
    expect(mayUseSession("delete", headers({ origin: "https://shop.example", host: "internal:3000", "x-forwarded-host": "shop.example" }), true)).toBe(true);
    expect(mayUseSession("POST", headers({ origin: "https://evil.example", host: "shop.test" }), true)).toBe(false);
    expect(mayUseSession("PUT", headers({ origin: "null", host: "shop.test" }), true)).toBe(false);
    expect(mayUseSession("PATCH", headers({ host: "shop.test", "sec-fetch-site": "same-origin" }), true)).toBe(true);
    expect(mayUseSession("POST", headers({ host: "shop.test", "sec-fetch-site": "cross-site" }), true)).toBe(false);
    expect(mayUseSession("POST", headers({ host: "shop.test" }), true)).toBe(false);
  });

  it("answers a forged request with 403 and never runs the handler", async () => {
    const key = await existingSession();
    let ran = false;
    const response = await respond(request("POST", { cookie: key, origin: "https://evil.example" }), async (context) => {
      ran = true;
      return addToCart(context);
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: "cross_origin_request" } });
    expect(ran).toBe(false);
    expect(await storedCart(key)).toBe(1);
  });
});

describe("the session cookie on a route handler's response, under Django's middleware rules", () => {
  it("creates the session on its first change and sets Django's cookie, with Vary: Cookie", async () => {
    const response = await respond(request("POST"), addToCart);
    const [, key] = DJANGO_COOKIE.exec(response.headers.get("set-cookie") ?? "") ?? [];
    expect(key).toBeDefined();
    expect(response.headers.get("vary")).toBe("Cookie");
    expect(await storedCart(key!)).toBe(1);
  });

  it("adds Secure when the request came over HTTPS", async () => {
    const response = await respond(request("POST", { headers: { "x-forwarded-proto": "https" } }), addToCart);
    expect(response.headers.get("set-cookie")).toMatch(/; SameSite=Lax; Secure$/);
  });

  it("sets no cookie for a session only read, and no Vary for one never touched", async () => {
    const key = await existingSession();
    const read = await respond(request("GET", { cookie: key }), async ({ session }) => NextResponse.json({ cart: (await session.load()).get("cart") }));
    expect(await read.json()).toEqual({ cart: 1 });
    expect(read.headers.get("set-cookie")).toBeNull();
    expect(read.headers.get("vary")).toBe("Cookie");
    const untouched = await respond(request("GET", { cookie: key }), async () => NextResponse.json({}));
    expect(untouched.headers.get("vary")).toBeNull();
  });

  it("deletes the cookie of a request whose key leads to no session, and counts it", async () => {
    const before = invalidCookieMonitor().stats().byKind.unknown ?? 0;
    const response = await respond(request("GET", { cookie: "k".repeat(32) }), async ({ session }) => NextResponse.json({ empty: (await session.load()).isEmpty() }));
    expect(await response.json()).toEqual({ empty: true });
    expect(response.headers.get("set-cookie")).toBe('sessionid=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; SameSite=Lax');
    expect(invalidCookieMonitor().stats().byKind.unknown).toBe(before + 1);
  });

  it("still saves after a thrown 4xx, which answers in the house error shape", async () => {
    const response = await respond(request("POST"), async (context) => {
      await addToCart(context);
      throw new HttpError(422, API_ERRORS.VALIDATION, "Not that.", {}, [{ path: "quantity", message: "too many" }]);
    });
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({ error: { code: "validation_failed", message: "Not that.", details: [{ path: "quantity", message: "too many" }] } });
    expect(response.headers.get("set-cookie")).toMatch(DJANGO_COOKIE);
  });

  it("saves nothing for a 5xx", async () => {
    const key = await existingSession();
    const response = await respond(request("POST", { cookie: key }), async (context) => {
      await addToCart(context);
      return NextResponse.json({ error: "broken" }, { status: 500 });
    });
    expect(response.status).toBe(500);
    expect(response.headers.get("set-cookie")).toBeNull();
    expect(await storedCart(key)).toBe(1);
  });

  it("puts the cookie on a redirect too (whose headers are immutable)", async () => {
    const response = await respond(request("POST"), async (context) => {
      await addToCart(context);
      return Response.redirect(`${ORIGIN}/cart`, 303);
    });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`${ORIGIN}/cart`);
    expect(response.headers.get("set-cookie")).toMatch(DJANGO_COOKIE);
  });

  it("answers 400 session_interrupted when another request deleted the session meanwhile", async () => {
    const key = await existingSession();
    const response = await respond(request("POST", { cookie: key }), async (context) => {
      await context.session.load();
      await runtime.store.delete(key); // a logout in another tab
      return addToCart(context);
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: "session_interrupted" } });
    expect(response.headers.get("set-cookie")).toBeNull();
    expect(await storedCart(key)).toBeUndefined();
  });
});

describe("a store that goes away", () => {
  let redis: Redis;
  let down: SessionRuntime;

  beforeAll(async () => {
    // A real Redis client on a port where nothing listens: every command fails as in an outage.
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, "127.0.0.1", () => {
        const address = server.address();
        server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
      });
    });
    redis = createRedisClient(`redis://127.0.0.1:${port}`);
    down = createSessionRuntime(parseEnv({ DATABASE_URL: t.url, SESSION_ENGINE: "cache", REDIS_URL: `redis://127.0.0.1:${port}` }), t.db, redis);
  });
  afterAll(() => redis.disconnect());

  it("gives a route handler 503 with Retry-After in the house error shape, and no cookie", async () => {
    for (const req of [request("GET", { cookie: "k".repeat(32) }), request("POST")]) {
      const response = await respond(req, addToCart, down);
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("5");
      expect(response.headers.get("set-cookie")).toBeNull();
      expect(await response.json()).toEqual({
        error: { code: "service_unavailable", message: "The service is briefly unavailable. Nothing was changed; please try again in a few seconds." },
      });
    }
  });

  it("gives a server action { ok: false } with the same error, and no cookie", async () => {
    const { result, cookie } = await runActionWithSession(down, { cookieValue: null, info: { ip: null, userAgent: null, https: false } }, async ({ session }) => {
      await session.load();
      session.set("cart", 1);
      return "added";
    });
    expect(result).toEqual({ ok: false, error: { code: "service_unavailable", message: expect.stringMatching(/Nothing was changed/) } });
    expect(cookie).toBeNull();
  });
});

describe("server actions", () => {
  const info = { ip: "203.0.113.9", userAgent: "test", https: false };
  const run = <T,>(cookieValue: string | null, action: (context: SessionContext) => Promise<T>) => runActionWithSession(runtime, { cookieValue, info }, action);

  it("answer { ok: true, data } and describe the new session's cookie", async () => {
    const { result, cookie } = await run(null, async ({ session }) => {
      await session.load();
      session.set("cart", 3);
      return { count: 3 };
    });
    expect(result).toEqual({ ok: true, data: { count: 3 } });
    expect(cookie).toMatchObject({ name: "sessionid", maxAge: 1209600, httpOnly: true, sameSite: "Lax", secure: false, path: "/" });
    expect(cookie!.value).toMatch(/^[a-z0-9]{32}$/);
    expect(await storedCart(cookie!.value)).toBe(3);
  });

  it("turn a thrown HttpError into { ok: false, error } and still save a 4xx's changes", async () => {
    const { result, cookie } = await run(null, async ({ session }) => {
      await session.load();
      session.set("seen", true);
      throw new HttpError(422, API_ERRORS.VALIDATION, "At most 99 of one product fit in the cart.");
    });
    expect(result).toEqual({ ok: false, error: { code: "validation_failed", message: "At most 99 of one product fit in the cart." } });
    expect(cookie?.value).toMatch(/^[a-z0-9]{32}$/);
  });

  it("report a session deleted meanwhile as session_interrupted", async () => {
    const key = await existingSession();
    const { result, cookie } = await run(key, async ({ session }) => {
      await session.load();
      await runtime.store.delete(key);
      session.set("cart", 2);
    });
    expect(result).toMatchObject({ ok: false, error: { code: "session_interrupted" } });
    expect(cookie).toBeNull();
  });

  it("let any other error through, saving nothing", async () => {
    const key = await existingSession();
    await expect(
      run(key, async ({ session }) => {
        await session.load();
        session.set("cart", 50);
        throw new TypeError("a bug");
      }),
    ).rejects.toThrow("a bug");
    const { result } = await run(key, async ({ session }) => (await session.load()).get("cart"));
    expect(result).toEqual({ ok: true, data: 1 });
  });
});

describe("the action's cookie through Next's cookies() gives the cookie Django's header describes", () => {
  async function commitThroughAction(env: Record<string, string>, change: (context: SessionContext) => Promise<void>, cookieValue: string | null = null) {
    const configured = createSessionRuntime(parseEnv({ DATABASE_URL: t.url, ...env }), t.db, null);
    const { cookie } = await runActionWithSession(configured, { cookieValue, info: { ip: null, userAgent: null, https: false } }, change);
    const jar = new ResponseCookies(new Headers());
    jar.set(toCookieOptions(cookie!));
    return { django: parseSetCookie(cookie!.header)!, next: parseSetCookie(jar.toString())!, cookie: cookie! };
  }
  const store = async ({ session }: SessionContext) => {
    (await session.load()).set("cart", 1);
  };
  const withoutExpires = <T extends { expires?: unknown }>({ expires: _expires, ...rest }: T) => rest;
  const expiresAt = (cookie: { expires?: number | Date }) => (cookie.expires === undefined ? undefined : new Date(cookie.expires).getTime());

  it.each([
    ["the defaults", {}],
    ["Secure, a domain, a path and SameSite=Strict", { SESSION_COOKIE_SECURE: "true", SESSION_COOKIE_DOMAIN: ".shop.test", SESSION_COOKIE_PATH: "/app", SESSION_COOKIE_SAMESITE: "Strict" }],
    ["SameSite=None (which needs Secure)", { SESSION_COOKIE_SAMESITE: "None", SESSION_COOKIE_SECURE: "true", SESSION_COOKIE_HTTPONLY: "false" }],
    ["no SameSite at all", { SESSION_COOKIE_SAMESITE: "false" }],
    ["a browser-session cookie", { SESSION_EXPIRE_AT_BROWSER_CLOSE: "true" }],
  ])("with %s", async (_name, env) => {
    const { django, next } = await commitThroughAction(env, store);
    expect(withoutExpires(next)).toEqual(withoutExpires(django));
    // Next computes expires from Max-Age itself (to the millisecond, Django to the second).
    if (django.expires) expect(Math.abs(expiresAt(next)! - expiresAt(django)!)).toBeLessThan(2_000);
    else expect(next.expires).toBeUndefined();
  });

  it("and deletes the cookie when the session ends empty", async () => {
    const key = await existingSession();
    const { django, next, cookie } = await commitThroughAction({}, async ({ session }) => void (await session.flush()), key);
    expect(cookie).toMatchObject({ value: "", maxAge: 0 });
    expect(withoutExpires(next)).toMatchObject({ name: "sessionid", path: "/", sameSite: "lax" });
    expect(expiresAt(next)).toBe(0);
    expect(expiresAt(django)).toBe(0);
  });

  it("keeps a signed-cookie session's value intact from Set-Cookie back to the next request", async () => {
    const { cookie } = await commitThroughAction({ SESSION_ENGINE: "signed_cookies" }, store);
    expect(cookie.value).toContain(":");
    const jar = new ResponseCookies(new Headers());
    jar.set(toCookieOptions(cookie));
    const sent = new RequestCookies(new Headers({ cookie: jar.toString().split(";")[0]! }));
    expect(sent.get("sessionid")?.value).toBe(cookie.value);
  });
});
