// The fault suite's database faults, against `next start` and a PostgreSQL cluster of the spec's
// own: a restart in the middle of cart writes, and a database that answers too slowly. Each fault
// is injected by the test and undone by it.
import { expect, test } from "@playwright/test";
import { startAppServer, type AppServer } from "./support/app-server";
import { addToCart, expectUnavailableAnswer, setCookieSession, startRedis, type CacheServer } from "./support/cache-services";
import { cartQuantities, residentBytes, startDelayProxy, startOwnPostgres, type DelayProxy, type PostgresServer } from "./support/faults-db";

const PRODUCTS = 8;

test.describe("PostgreSQL restarted during a stream of cart writes (cached_db with Redis)", () => {
  let postgres: PostgresServer | undefined;
  let redis: CacheServer | undefined;
  let app: AppServer | undefined;

  test.beforeAll(async () => {
    postgres = await startOwnPostgres();
    redis = await startRedis();
    app = await startAppServer({ SESSION_ENGINE: "cached_db", DATABASE_URL: postgres.url, REDIS_URL: redis.url });
  });
  test.afterAll(async () => {
    await app?.stop();
    redis?.stop();
    postgres?.stop();
  });

  test("writes during the outage answer 503 and change nothing; the pool recovers by itself and every 2xx write is there", async () => {
    test.setTimeout(90_000);
    const origin = app!.url;
    const writers = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const first = await addToCart(origin, 1);
        expect(first.status).toBe(201);
        return { key: setCookieSession(first), added: { 1: 1 } as Record<number, number>, ok: 0, unavailable: 0 };
      }),
    );
    let running = true;
    const loops = writers.map(async (writer, index) => {
      for (let n = 0; running; n++) {
        const productId = ((index + n) % PRODUCTS) + 1;
        const response = await addToCart(origin, productId, writer.key);
        if (response.status === 201) {
          writer.added[productId] = (writer.added[productId] ?? 0) + 1;
          writer.ok++;
        } else {
          // Nothing but the outage answer: no 500, no cookie, "nothing was changed".
          await expectUnavailableAnswer(response);
          writer.unavailable++;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    });
    const everyWriter = (what: (writer: (typeof writers)[number]) => boolean) => writers.every(what);
    try {
      await expect.poll(() => everyWriter((writer) => writer.ok >= 3), { timeout: 20_000 }).toBe(true);

      postgres!.down();
      const okAtDown = writers.map((writer) => writer.ok);
      const downAt = Date.now();
      await expect.poll(() => everyWriter((writer) => writer.unavailable >= 2), { timeout: 20_000 }).toBe(true);
      // A route without a session answers the same way.
      await expectUnavailableAnswer(await fetch(`${origin}/api/products`));
      // A few seconds down, on the same port, as an operator's restart.
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 3000 - (Date.now() - downAt))));
      // At most the write each writer had in flight when the server stopped got through.
      writers.forEach((writer, index) => expect(writer.ok - okAtDown[index]!).toBeLessThanOrEqual(1));
      postgres!.up();

      // No app restart: the pool drops its dead connections and opens new ones.
      const okAtUp = writers.map((writer) => writer.ok);
      await expect.poll(() => writers.every((writer, index) => writer.ok >= okAtUp[index]! + 3), { timeout: 30_000 }).toBe(true);
    } finally {
      running = false;
      await Promise.all(loops);
    }
    for (const writer of writers) expect(await cartQuantities(origin, writer.key)).toEqual(writer.added);
  });
});

test.describe("a slow database (a proxy delays PostgreSQL's traffic)", () => {
  let postgres: PostgresServer | undefined;
  let proxy: DelayProxy | undefined;
  let app: AppServer | undefined;

  test.beforeAll(async () => {
    postgres = await startOwnPostgres();
    proxy = await startDelayProxy(postgres.port);
    const throughProxy = postgres.url.replace(`:${postgres.port}/`, `:${proxy.port}/`);
    app = await startAppServer({ SESSION_ENGINE: "db", DATABASE_URL: throughProxy, DATABASE_TIMEOUT_MS: "1000" });
  });
  test.afterAll(async () => {
    await app?.stop();
    await proxy?.stop();
    postgres?.stop();
  });

  test("requests answer 503 with Retry-After within the timeout instead of piling up, memory stays bounded, and the app recovers", async () => {
    test.setTimeout(90_000);
    const origin = app!.url;
    const created = await addToCart(origin, 1);
    expect(created.status).toBe(201);
    const key = setCookieSession(created);
    const readCart = () => fetch(`${origin}/api/cart`, { headers: { Cookie: `sessionid=${key}` } });
    // Warm: the routes compiled and the pool full, so the flood's growth is the flood's.
    for (let round = 0; round < 5; round++) {
      await Promise.all(Array.from({ length: 20 }, async () => expect((await readCart()).status).toBe(200)));
    }
    const before = residentBytes(app!.pid);

    await proxy!.setDelay(3000);
    // A flood of clients, each on its own connection (Connection: close: a reused keep-alive
    // socket may meet the server's idle close, which is no part of this fault).
    const headers = { Cookie: `sessionid=${key}`, Connection: "close" };
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 300 }, async (_, index) => {
        const response =
          index % 2 === 0
            ? await fetch(`${origin}/api/cart/items`, { method: "POST", headers: { ...headers, "Content-Type": "application/json", Origin: origin }, body: JSON.stringify({ productId: 2 }) })
            : await fetch(`${origin}/api/cart`, { headers });
        return { response, ms: Date.now() - started };
      }),
    );
    for (const { response } of answers) {
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("5");
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("service_unavailable");
    }
    const slowest = Math.max(...answers.map((answer) => answer.ms));
    const after = residentBytes(app!.pid);
    const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
    console.log(`slow database: 300 requests answered 503 within ${slowest} ms; RSS ${mib(before)} before, ${mib(after)} after`);
    // Unbounded, each request would wait for its turn on one of ten connections, several delayed
    // round trips each: minutes. Bounded, each gives up after DATABASE_TIMEOUT_MS (1 s here).
    expect(slowest).toBeLessThan(20_000);
    // Measured: +70 MiB (the heap growing to what such a flood needs; it levels off near +180 MiB
    // over repeated floods, docs/operations.md).
    expect(after - before).toBeLessThan(256 * 2 ** 20);

    await proxy!.setDelay(0);
    await expect.poll(async () => (await readCart()).status, { timeout: 20_000, intervals: [250, 500, 1000] }).toBe(200);
    // The flood's adds changed nothing; a new one is saved.
    expect(await cartQuantities(origin, key)).toEqual({ 1: 1 });
    expect((await addToCart(origin, 2, key)).status).toBe(201);
    expect(await cartQuantities(origin, key)).toEqual({ 1: 1, 2: 1 });
  });
  test("pages say the shop is temporarily unavailable (500: Next cannot answer 503 for a page) and come back with Try again", async ({ page }) => {
    const origin = app!.url;
    const created = await addToCart(origin, 3);
    expect(created.status).toBe(201);
    await page.context().addCookies([{ name: "sessionid", value: setCookieSession(created), url: origin }]);

    await proxy!.setDelay(3000);
    try {
      const response = await page.goto(`${origin}/cart`);
      expect(response?.status()).toBe(500);
      await expect(page.getByRole("heading", { name: "Temporarily unavailable" })).toBeVisible();
      await expect(page.getByText("Nothing was changed. Please try again in a few seconds.")).toBeVisible();
    } finally {
      await proxy!.setDelay(0);
    }
    // The pool replaces the connections that timed out; the page's own button brings the cart.
    await expect(async () => {
      await page.getByRole("button", { name: "Try again" }).click();
      await expect(page.getByRole("heading", { name: "Your cart" })).toBeVisible({ timeout: 2000 });
    }).toPass({ timeout: 20_000 });
    await expect(page.getByTestId("cart-count")).toHaveText("1");
  });
});
