// When the session store goes away, requests get a clear 503 with
// Retry-After and save nothing, instead of an error page.
import { expect, test } from "@playwright/test";
// @ts-expect-error: plain JavaScript module shared with scripts/test.mjs
import { startRedis } from "../test/services/services.mjs";
import { startAppServer, type AppServer } from "./support/app-server";

interface RedisServer {
  readonly url: string;
  readonly port: number;
  stop(): void;
}

test.describe("the cache engine's Redis goes away", () => {
  let redis: RedisServer | null;
  let app: AppServer;

  test.beforeAll(async () => {
    redis = (await startRedis()) as RedisServer | null;
    test.skip(redis === null && process.env.CI !== "true", "redis-server is not installed");
    if (!redis) throw new Error("CI=true: redis-server must be installed");
    app = await startAppServer({ SESSION_ENGINE: "cache", REDIS_URL: redis.url });
  });
  test.afterAll(async () => {
    await app?.stop();
    redis?.stop();
  });

  test("answers 503 with Retry-After and changes nothing, instead of a 500", async () => {
    const origin = app.url;
    const headers = { "Content-Type": "application/json", Origin: origin };
    const first = await fetch(`${origin}/api/cart/items`, { method: "POST", headers, body: JSON.stringify({ productId: 1 }) });
    expect(first.status).toBe(201);
    const cookie = /sessionid=([^;]+)/.exec(first.headers.get("set-cookie") ?? "")![1]!;

    redis!.stop();
    const during = await fetch(`${origin}/api/cart/items`, { method: "POST", headers: { ...headers, Cookie: `sessionid=${cookie}` }, body: JSON.stringify({ productId: 2 }) });
    expect(during.status).toBe(503);
    expect(during.headers.get("retry-after")).toBe("5");
    expect(during.headers.get("set-cookie")).toBeNull();
    const body = (await during.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("service_unavailable");
    expect(body.error.message).toMatch(/Nothing was changed/);
  });
});
