// The JSON API as scripts and other programs use it: bad input gets a clear
// 4xx with `{ error: { code, message } }`, never a 500, and never changes the cart.
import { expect, test, type APIRequestContext } from "@playwright/test";

// Unsafe requests carry the page's own origin, as a browser's fetch does.
let ORIGIN = "";
let json: Record<string, string> = {};
test.beforeEach(({ baseURL }) => {
  ORIGIN = baseURL!;
  json = { "Content-Type": "application/json", Origin: ORIGIN };
});

async function cartCount(request: APIRequestContext): Promise<number> {
  return ((await (await request.get("/api/cart")).json()) as { count: number }).count;
}

test("refuses bad cart input with a fitting 4xx and leaves the cart as it was", async ({ request }) => {
  expect((await request.post("/api/cart/items", { headers: json, data: { productId: 1, quantity: 2 } })).status()).toBe(201);
  const cases: Array<[string, { data?: unknown; body?: string; headers?: Record<string, string> }, number, string]> = [
    ["unknown product", { data: { productId: 999999, quantity: 1 } }, 404, "not_found"],
    ["negative quantity", { data: { productId: 1, quantity: -3 } }, 422, "validation_failed"],
    ["absurd quantity", { data: { productId: 1, quantity: 1e9 } }, 422, "validation_failed"],
    ["fractional quantity", { data: { productId: 1, quantity: 1.5 } }, 422, "validation_failed"],
    ["wrong types", { data: { productId: "1", quantity: "lots" } }, 422, "validation_failed"],
    ["unknown field", { data: { productId: 1, quantity: 1, price: 0 } }, 422, "validation_failed"],
    ["malformed JSON", { body: '{"productId": 1,' }, 400, "invalid_json"],
    ["oversized body", { body: JSON.stringify({ productId: 1, pad: "x".repeat(40_000) }) }, 413, "body_too_large"],
    ["not JSON at all", { body: "productId=1", headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN } }, 415, "unsupported_media_type"],
    ["too many of one product", { data: { productId: 1, quantity: 98 } }, 422, "validation_failed"],
  ];
  for (const [name, input, status, code] of cases) {
    // Raw bodies go as bytes: Playwright would JSON-encode a string.
    const response = await request.post("/api/cart/items", { headers: input.headers ?? json, data: input.body === undefined ? input.data : Buffer.from(input.body) });
    expect(response.status(), name).toBe(status);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code, name).toBe(code);
    expect(body.error.message.length, name).toBeGreaterThan(5);
  }
  expect((await request.delete("/api/cart/items/abc", { headers: json })).status()).toBe(400);
  expect((await request.delete("/api/cart/items/7", { headers: json })).status()).toBe(404);
  expect(await cartCount(request)).toBe(2);
});

test("refuses a cookie-carrying unsafe request from another origin", async ({ request }) => {
  expect((await request.post("/api/cart/items", { headers: json, data: { productId: 2 } })).status()).toBe(201);
  const forged = await request.post("/api/cart/items", { headers: { ...json, Origin: "https://evil.example" }, data: { productId: 2 } });
  expect(forged.status()).toBe(403);
  expect(((await forged.json()) as { error: { code: string } }).error.code).toBe("cross_origin_request");
  expect(await cartCount(request)).toBe(1);
});

test("login errors say nothing about which accounts exist", async ({ request }) => {
  const unknown = await request.post("/api/auth/login", { headers: json, data: { username: "no-such-user-anywhere", password: "whatever" } });
  const wrong = await request.post("/api/auth/login", { headers: json, data: { username: "viewer", password: "not-the-password" } });
  expect(unknown.status()).toBe(401);
  expect(wrong.status()).toBe(401);
  expect(await unknown.json()).toEqual(await wrong.json());
  expect((await request.post("/api/auth/login", { headers: json, data: { username: "viewer" } })).status()).toBe(422);
});

test("account routes need a login", async ({ request }) => {
  const response = await request.get("/api/account/sessions");
  expect(response.status()).toBe(401);
  expect(((await response.json()) as { error: { code: string } }).error.code).toBe("unauthenticated");
});

test("the session cookie is HttpOnly and SameSite=Lax, and responses that use the session vary on Cookie", async ({ request }) => {
  const response = await request.post("/api/cart/items", { headers: json, data: { productId: 3 } });
  const setCookie = response.headers()["set-cookie"] ?? "";
  expect(setCookie).toMatch(/^sessionid=[a-z0-9]{32}; expires=[^;]+ GMT; HttpOnly; Max-Age=1209600; Path=\/; SameSite=Lax$/);
  expect(response.headers()["vary"]).toMatch(/Cookie/);
  const session = await request.get("/api/cart");
  expect(session.headers()["set-cookie"]).toBeUndefined();
});
