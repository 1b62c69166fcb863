// When the session store goes away, requests get a clear 503 with
// Retry-After and save nothing, instead of an error page: the plain cache
// engine on Redis and on Memcached alike.
import { expect, test } from "@playwright/test";
import { startAppServer, type AppServer } from "./support/app-server";
import { addToCart, expectUnavailableAnswer, setCookieSession, startMemcached, startRedis, type CacheServer } from "./support/cache-services";

const BACKENDS = [
  { name: "Redis", start: startRedis, variable: "REDIS_URL" },
  { name: "Memcached", start: startMemcached, variable: "MEMCACHED_URL" },
] as const;

for (const backend of BACKENDS) {
  test.describe(`the cache engine's ${backend.name} goes away`, () => {
    let cache: CacheServer | undefined;
    let app: AppServer | undefined;

    test.beforeAll(async () => {
      cache = await backend.start();
      app = await startAppServer({ SESSION_ENGINE: "cache", [backend.variable]: cache.url });
    });
    test.afterAll(async () => {
      await app?.stop();
      cache?.stop();
    });

    test("answers 503 with Retry-After and changes nothing, instead of a 500", async () => {
      const origin = app!.url;
      const first = await addToCart(origin, 1);
      expect(first.status).toBe(201);
      const cookie = setCookieSession(first);

      cache!.stop();
      await expectUnavailableAnswer(await addToCart(origin, 2, cookie));
    });
  });
}
