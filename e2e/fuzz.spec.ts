// An HTTP fuzz pass over the product's JSON interface: random cookies, headers and
// bodies against every route. Whatever arrives, the answer is never a 5xx, every error
// is `{ error: { code, message } }`, the admin routes refuse a visitor without a dashboard role, and a
// real browser's cart survives. Deterministic: FUZZ_SEED replays a run (the seed is printed on failure),
// FUZZ_RUNS sets the number of requests per route.
import fc from "fast-check";
import { expect, request as playwrightRequest, test, type APIRequestContext, type APIResponse } from "@playwright/test";
import { addFromCatalogue, logIn, sessionCookie } from "./shop-helpers";

const SEED = Number(process.env.FUZZ_SEED ?? 20_260_214);
const RUNS_PER_ROUTE = Number(process.env.FUZZ_RUNS ?? 25);

type Method = "GET" | "POST" | "PUT" | "DELETE";
interface Route {
  readonly method: Method;
  /** `:param` is replaced by a generated path segment. */
  readonly path: string;
  /** Admin routes are not built yet: they must refuse (401/403/404), whatever is sent. */
  readonly admin?: boolean;
}

const ROUTES: readonly Route[] = [
  { method: "POST", path: "/api/auth/login" },
  { method: "POST", path: "/api/auth/logout" },
  { method: "GET", path: "/api/products" },
  { method: "GET", path: "/api/cart" },
  { method: "POST", path: "/api/cart/items" },
  { method: "DELETE", path: "/api/cart/items/:param" },
  { method: "GET", path: "/api/account/sessions" },
  { method: "DELETE", path: "/api/account/sessions/:param" },
  { method: "POST", path: "/api/account/sessions/revoke-others" },
  { method: "POST", path: "/api/account/password" },
  { method: "GET", path: "/api/admin/sessions", admin: true },
  { method: "GET", path: "/api/admin/sessions/:param", admin: true },
  { method: "DELETE", path: "/api/admin/sessions/:param", admin: true },
  { method: "POST", path: "/api/admin/sessions/revoke", admin: true },
  { method: "GET", path: "/api/admin/audit", admin: true },
  { method: "GET", path: "/api/admin/users", admin: true },
  { method: "PUT", path: "/api/admin/users/:param/role", admin: true },
  { method: "GET", path: "/api/admin/policy", admin: true },
  { method: "PUT", path: "/api/admin/policy", admin: true },
  { method: "POST", path: "/api/admin/policy/preview", admin: true },
  { method: "GET", path: "/api/admin/stats", admin: true },
  { method: "GET", path: "/api/admin/events", admin: true },
];

/** Node refuses request heads over 16 KB itself (431, empty body), before any route runs. */
const FROM_HTTP_SERVER = new Set([431]);

/** Bytes of `text` as UTF-8, carried in a header as Latin-1 (HTTP headers are bytes); controls dropped. */
const headerBytes = (text: string) => Buffer.from(text, "utf8").toString("latin1").replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, "");

const KEY_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

function cookieArbitrary(realKey: string): fc.Arbitrary<string> {
  const tampered = fc
    .tuple(fc.nat({ max: realKey.length - 1 }), fc.constantFrom(...KEY_ALPHABET), fc.constantFrom("flip", "truncate", "append", "upper"))
    .map(([at, char, how]) => {
      if (how === "truncate") return realKey.slice(0, at);
      if (how === "append") return realKey + char;
      if (how === "upper") return realKey.toUpperCase();
      return realKey.slice(0, at) + (realKey[at] === char ? (char === "a" ? "b" : "a") : char) + realKey.slice(at + 1);
    });
  // Django's signed form (signed_cookies engine): payload:timestamp:signature, with any part forged.
  const signed = fc
    .tuple(fc.base64String({ maxLength: 200 }), fc.stringMatching(/^[0-9a-zA-Z]{1,8}$/), fc.base64String({ maxLength: 60 }), fc.boolean())
    .map(([payload, stamp, signature, compressed]) => `${compressed ? "." : ""}${payload.replace(/=+$/, "")}:${stamp}:${signature.replace(/=+$/, "")}`);
  const value = fc.oneof(
    tampered,
    signed,
    fc.string({ unit: "binary", maxLength: 80 }).map(headerBytes),
    fc.string({ unit: "grapheme", maxLength: 40 }).map(headerBytes),
    fc.stringMatching(/^[a-z0-9]{32}$/),
    fc.integer({ min: 4_000, max: 20_000 }).map((size) => "a".repeat(size)),
  );
  const one = value.map((v) => `sessionid=${v}`);
  const many = fc
    .array(fc.tuple(fc.oneof(fc.constant("sessionid"), fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/)), value), { minLength: 2, maxLength: 150 })
    .map((pairs) => pairs.map(([name, v]) => `${name}=${v.slice(0, 200)}`).join("; "));
  return fc.oneof({ arbitrary: fc.constant(""), weight: 2 }, { arbitrary: one, weight: 4 }, { arbitrary: many, weight: 2 }, fc.string({ maxLength: 60 }).map(headerBytes));
}

function headersArbitrary(origin: string): fc.Arbitrary<Record<string, string>> {
  const url = new URL(origin);
  const originHeader = fc.option(
    fc.oneof(
      fc.constantFrom(origin, "null", "https://evil.example", `${origin}/`, `${url.protocol}//${url.hostname}`, `https://${url.host}`, origin.toUpperCase(), `http://localhost:${url.port}`, "http://[::1]", "://"),
      fc.webUrl(),
      fc.string({ maxLength: 40 }).map(headerBytes),
    ),
    { nil: undefined },
  );
  const contentType = fc.option(
    fc.oneof(
      { arbitrary: fc.constant("application/json"), weight: 4 },
      fc.constantFrom(
        "application/json; charset=utf-8",
        "application/json; charset=utf-16",
        "Application/JSON",
        "application/json-patch+json",
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
      ),
      fc.string({ maxLength: 40 }).map(headerBytes),
    ),
    { nil: undefined, freq: 4 },
  );
  const extra = fc.dictionary(
    fc.constantFrom("X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "Sec-Fetch-Site", "Accept", "Accept-Encoding", "User-Agent", "X-Padding", "Referer"),
    fc.oneof(
      fc.constantFrom("evil.example", "https", "same-origin", "cross-site", "1.2.3.4, 5.6.7.8", "*/*", "gzip, deflate, br"),
      fc.string({ unit: "grapheme", maxLength: 60 }).map(headerBytes),
      fc.integer({ min: 1_000, max: 18_000 }).map((size) => "x".repeat(size)),
    ),
    { maxKeys: 3 },
  );
  return fc.tuple(originHeader, contentType, extra).map(([originValue, type, rest]) => ({
    ...rest,
    ...(originValue === undefined ? {} : { Origin: originValue }),
    ...(type === undefined ? {} : { "Content-Type": type }),
  }));
}

/** A login body that could authenticate would count against the suite's shared per-IP failure budget. */
const couldAuthenticate = (body: unknown) =>
  typeof body === "object" && body !== null && typeof (body as { username?: unknown }).username === "string" && typeof (body as { password?: unknown }).password === "string";

function bodyArbitrary(route: Route): fc.Arbitrary<Buffer | undefined> {
  const json = (value: unknown) => Buffer.from(JSON.stringify(value) ?? "null");
  const shaped = fc
    .record(
      {
        productId: fc.oneof(fc.integer(), fc.double(), fc.string({ maxLength: 12 }), fc.constant(null)),
        quantity: fc.oneof(fc.integer({ min: -5, max: 200 }), fc.string({ maxLength: 4 }), fc.constant(1e308)),
        currentPassword: fc.oneof(fc.string({ maxLength: 20 }), fc.integer()),
        newPassword: fc.oneof(fc.string({ maxLength: 30 }), fc.array(fc.string(), { maxLength: 3 })),
        username: fc.oneof(fc.string({ unit: "grapheme", maxLength: 200 }), fc.integer(), fc.constant(null)),
        password: fc.oneof(fc.integer(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 })),
        ids: fc.oneof(fc.array(fc.string({ maxLength: 40 }), { maxLength: 30 }), fc.string()),
      },
      { requiredKeys: [] },
    )
    .filter((body) => route.path !== "/api/auth/login" || !couldAuthenticate(body))
    .map(json);
  // Bodies the route accepts, so that the odd cookies and headers meet its real work.
  const valid =
    route.path === "/api/cart/items"
      ? fc.record({ productId: fc.integer({ min: 1, max: 10 }), quantity: fc.integer({ min: 1, max: 3 }) }).map(json)
      : route.path === "/api/account/password"
        ? fc.record({ currentPassword: fc.string({ minLength: 1, maxLength: 20 }), newPassword: fc.string({ minLength: 12, maxLength: 30 }) }).map(json)
        : shaped;
  const nested = fc
    .tuple(fc.integer({ min: 100, max: 8_000 }), fc.boolean())
    .map(([depth, objects]) => Buffer.from(objects ? `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}` : `${"[".repeat(depth)}${"]".repeat(depth)}`));
  return fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 2 },
    { arbitrary: shaped, weight: 3 },
    { arbitrary: valid, weight: 4 },
    fc.jsonValue({ maxDepth: 4 }).filter((value) => route.path !== "/api/auth/login" || !couldAuthenticate(value)).map(json),
    fc.string({ unit: "binary", maxLength: 200 }).map((text) => Buffer.from(text)),
    fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
    fc.integer({ min: 10_000, max: 60_000 }).map((size) => Buffer.from(`{"productId":1,"pad":"${"x".repeat(size)}"}`)),
    nested,
  );
}

const dotSegment = (segment: string) => /^(\.|%2e){1,2}$/i.test(segment);

const paramArbitrary = (admin: boolean): fc.Arbitrary<string> =>
  fc
    .oneof(
      fc.integer({ min: -10, max: 3_000_000_000 }).map(String),
      fc.stringMatching(/^[A-Za-z0-9_-]{1,70}$/),
      fc.string({ unit: "grapheme", minLength: 1, maxLength: 30 }).map(encodeURIComponent),
      fc.constantFrom("0", "1e3", "0x1f", " 1", "%00", "%2F", "null", "undefined", "__proto__", "constructor", "a".repeat(300)).map(encodeURIComponent),
      // Malformed escapes, sent raw: the app answers 400 before any route decodes them.
      ...(admin ? [] : [fc.constantFrom("%", "%zz", "%E0%A4%A", "100%")]),
    )
    .filter((segment) => segment.length > 0 && !dotSegment(segment));

interface Case {
  readonly route: Route;
  readonly param: string;
  readonly cookie: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer | undefined;
}

function describeCase(c: Case, path: string): string {
  const body = c.body === undefined ? "no body" : `body ${c.body.length} bytes: ${JSON.stringify(c.body.subarray(0, 120).toString("latin1"))}`;
  const headers = Object.entries(c.headers).map(([name, value]) => `${name}: ${JSON.stringify(value.slice(0, 80))}${value.length > 80 ? `…(${value.length})` : ""}`);
  return `${c.route.method} ${path.slice(0, 200)} | cookie ${c.cookie.length} bytes: ${JSON.stringify(c.cookie.slice(0, 80))} | ${headers.join(" | ")} | ${body}`;
}

async function send(api: APIRequestContext, c: Case): Promise<{ path: string; response: APIResponse }> {
  const path = c.route.path.replace(":param", c.param);
  // An explicit Cookie header (even empty) keeps this context's own cookie jar out of the request.
  const response = await api.fetch(path, { method: c.route.method, headers: { ...c.headers, Cookie: c.cookie }, data: c.body, maxRedirects: 0, timeout: 15_000 });
  return { path, response };
}

test("random cookies, headers and bodies on every route: never a 5xx, errors in the house shape, and a real cart survives", async ({ page, context, baseURL }) => {
  test.setTimeout(120_000);
  test.info().annotations.push({ type: "fuzz", description: `FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS_PER_ROUTE}` });

  // A real logged-in browser session with items in its cart, never sent by the fuzzer.
  await logIn(page, "viewer");
  await page.goto("/");
  await addFromCatalogue(page, "Signed Mug");
  await addFromCatalogue(page, "Base62 Socks");
  const realKey = (await sessionCookie(context))!;
  expect(realKey).toMatch(/^[a-z0-9]{32}$/);

  const api = await playwrightRequest.newContext({ baseURL });
  const statuses = new Map<number, number>();
  try {
    for (const [index, route] of ROUTES.entries()) {
      const cases = fc.record({
        route: fc.constant(route),
        param: paramArbitrary(route.admin === true),
        // Never the real session itself: the fuzzer must not log the browser out.
        cookie: cookieArbitrary(realKey).filter((cookie) => !cookie.split(";").some((pair) => pair.trim() === `sessionid=${realKey}`)),
        headers: headersArbitrary(baseURL!),
        body: route.method === "GET" ? fc.constant(undefined) : bodyArbitrary(route),
      });
      await fc.assert(
        fc.asyncProperty(cases, async (c) => {
          const { path, response } = await send(api, c);
          const status = response.status();
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          const where = describeCase(c, path);
          expect(status, where).toBeLessThan(500);
          // Never reachable without a dashboard role's session (the fuzzer has none): refused, whatever is sent.
          if (route.admin && !FROM_HTTP_SERVER.has(status)) expect([401, 403, 404], where).toContain(status);
          if (status >= 400 && !FROM_HTTP_SERVER.has(status)) {
            expect(response.headers()["content-type"] ?? "", where).toMatch(/^application\/json/);
            const body = (await response.json()) as { error?: { code?: unknown; message?: unknown } };
            expect(typeof body.error?.code, where).toBe("string");
            expect(typeof body.error?.message, where).toBe("string");
          }
        }),
        { seed: SEED + index, numRuns: RUNS_PER_ROUTE, endOnFailure: true },
      );
    }
  } catch (error) {
    console.error(`fuzz.spec.ts failed: replay with FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS_PER_ROUTE}`);
    throw error;
  } finally {
    await api.dispose();
  }

  const summary = [...statuses.entries()].sort(([a], [b]) => a - b).map(([status, count]) => `${status}×${count}`).join(" ");
  test.info().annotations.push({ type: "fuzz statuses", description: summary });
  console.log(`fuzz: ${ROUTES.length * RUNS_PER_ROUTE} requests, FUZZ_SEED=${SEED}, statuses ${summary}`);
  // The pass reached the handlers: successes and several kinds of refusal, not one wall of 431s.
  expect([...statuses.keys()].filter((status) => status < 300).length, summary).toBeGreaterThan(0);
  expect([...statuses.keys()].filter((status) => status >= 400 && !FROM_HTTP_SERVER.has(status)).length, summary).toBeGreaterThanOrEqual(5);

  // The real session is untouched: same key, same cart, still logged in.
  await page.goto("/cart");
  expect(await sessionCookie(context)).toBe(realKey);
  await expect(page.getByRole("row", { name: /Signed Mug/ })).toBeVisible();
  await expect(page.getByRole("row", { name: /Base62 Socks/ })).toBeVisible();
  await expect(page.getByTestId("cart-count")).toHaveText("2");
  await expect(page.getByText("Hi, Vic")).toBeVisible();
});

test("a path with a malformed percent escape is a 400, not a 500", async ({ request, baseURL }) => {
  for (const path of ["/api/cart/items/%", "/api/account/sessions/%E0%A4%A", "/api/cart/items/100%"]) {
    const response = await request.delete(path, { headers: { Origin: baseURL! } });
    expect(response.status(), path).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code, path).toBe("bad_request");
  }
  const page = await request.get("/products/%zz");
  expect(page.status()).toBe(400);
});

test("a 15 KB User-Agent costs no more than an ordinary one", async ({ request }) => {
  // Next's bot detection is quadratic in the User-Agent's length: unbounded, these three requests took 10 s and more.
  const started = Date.now();
  for (const path of ["/api/products", "/api/cart", "/"]) {
    expect((await request.get(path, { headers: { "User-Agent": "x".repeat(15_000) } })).status(), path).toBe(200);
  }
  expect(Date.now() - started).toBeLessThan(3_000);
});

test("an unknown API path answers a JSON 404 whatever the method and body", async ({ request, baseURL }) => {
  for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) {
    const response = await request.fetch("/api/no-such-endpoint/1", {
      method,
      headers: { Origin: baseURL!, "Content-Type": "multipart/form-data; boundary=x" },
      data: method === "GET" ? undefined : Buffer.from("--x--"),
    });
    expect(response.status(), method).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code, method).toBe("not_found");
  }
});
