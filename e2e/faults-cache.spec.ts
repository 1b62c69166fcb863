// Fault suite: cached_db (SQLite + Redis) while its Redis is stopped, flushed and restarted
// under a stream of cart writes. No request fails, no item is lost, and a session killed while
// Redis was down is dead on its first request after Redis returns with the entry it had cached
// (a persistent Redis keeps it across the restart): the kill waited in the database's outbox.
import { expect, test } from "@playwright/test";
import { Redis } from "ioredis";
import { startAppServer, type AppServer } from "./support/app-server";
import { addToCart, setCookieSession, startRedis, type RestartableServer } from "./support/cache-services";

const WRITERS = 3;

interface Writer {
  cookie: string;
  /** Items the app answered 2xx for. */
  added: number;
}

test.describe("cached_db while Redis is stopped, flushed and restarted", () => {
  let redis: RestartableServer | undefined;
  let app: AppServer | undefined;

  test.beforeAll(async () => {
    redis = await startRedis({ persistent: true });
    app = await startAppServer({ SESSION_ENGINE: "cached_db", REDIS_URL: redis.url });
  });
  test.afterAll(async () => {
    await app?.stop();
    redis?.stop();
  });

  test("no request fails, no item is lost, and a kill made during the outage holds when Redis returns", async () => {
    test.setTimeout(90_000);
    const origin = app!.url;
    const post = (path: string, body: unknown, cookie?: string) =>
      fetch(`${origin}${path}`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Origin: origin, ...(cookie && { Cookie: `sessionid=${cookie}` }) },
        body: JSON.stringify(body),
      });
    const me = async (cookie: string) => ((await (await fetch(`${origin}/api/auth/me`, { headers: { Cookie: `sessionid=${cookie}` } })).json()) as { user: { id: number } | null }).user;
    const logIn = async (username: string) => {
      const answer = await post("/api/auth/login", { username, password: `demo-${username}` });
      expect(answer.status).toBe(200);
      return setCookieSession(answer);
    };

    const admin = await logIn("admin");
    const alice = await logIn("alice");
    const aliceId = (await me(alice))!.id;
    expect(aliceId).toBeGreaterThan(0);

    // The writers: each its own cart, adding one item after another until told to stop.
    const failures: string[] = [];
    const writers: Writer[] = [];
    for (let i = 0; i < WRITERS; i++) {
      const first = await addToCart(origin, 1);
      expect(first.status).toBe(201);
      writers.push({ cookie: setCookieSession(first), added: 1 });
    }
    let stopping = false;
    const total = () => writers.reduce((sum, writer) => sum + writer.added, 0);
    const stream = Promise.all(
      writers.map(async (writer, w) => {
        for (let n = 0; !stopping; n++) {
          const answer = await addToCart(origin, 1 + ((n + w) % 5), writer.cookie);
          if (answer.status === 201) writer.added++;
          else failures.push(`${answer.status} ${await answer.text()}`);
        }
      }),
    );
    /** Until the writers have had `count` more items answered. */
    const moreWrites = async (count: number) => {
      const target = total() + count;
      await expect.poll(total, { timeout: 30_000 }).toBeGreaterThanOrEqual(target);
    };

    try {
      await moreWrites(10);

      // Redis goes away (a clean shutdown: it keeps Alice's cached session in its append-only file).
      redis!.down();
      const kill = await post("/api/admin/sessions/revoke", { userId: aliceId }, admin);
      expect(kill.status).toBe(200);
      expect(((await kill.json()) as { revoked: number }).revoked).toBeGreaterThanOrEqual(1);
      await moreWrites(10);

      // Redis returns with every entry it had, Alice's included; the app reconnects by itself.
      await redis!.up();
      const probe = new Redis(redis!.url, { maxRetriesPerRequest: 1 });
      try {
        await expect.poll(async () => String(await probe.client("LIST")).split("\n").filter(Boolean).length, { timeout: 15_000 }).toBeGreaterThan(1);
        expect(await me(alice)).toBeNull();
        await moreWrites(10);

        // Flushed under the writers: the database still has every cart.
        await probe.flushall();
        await moreWrites(10);
      } finally {
        probe.disconnect();
      }

      // Restarted at once.
      redis!.down();
      await redis!.up();
      await moreWrites(10);
    } finally {
      stopping = true;
      await stream;
    }

    expect(failures).toEqual([]);
    for (const writer of writers) {
      const cart = (await (await fetch(`${origin}/api/cart`, { headers: { Cookie: `sessionid=${writer.cookie}` } })).json()) as { count: number };
      expect(cart.count).toBe(writer.added);
    }
    expect(await me(alice)).toBeNull();
  });
});
