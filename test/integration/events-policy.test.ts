// The app's own bus, as a running instance builds it: with Redis configured
// it listens on Redis, and a policy.changed published by another instance
// drops this instance's cached policy at once (well before the 2 s refresh
// that bounds staleness without events).
import { Redis } from "ioredis";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import type { AdminEvent } from "../../lib/node/events/bus.ts";
import { redisEventsChannel } from "../../lib/node/events/redis-transport.ts";
import { getDatabase } from "../../lib/server/db/client.ts";
import { getEventBus } from "../../lib/server/events.ts";
import { getRedis, getSessionRuntime } from "../../lib/server/session/instance.ts";
import { createSqliteDatabase, type TestDatabase } from "../helpers/databases.ts";
import { describeWithServices } from "../helpers/register.ts";
import { requireServiceUrl } from "../helpers/services.ts";

describeWithServices("a policy change on another instance", ["redis"], () => {
  let t: TestDatabase;
  let other: Redis;

  beforeAll(async () => {
    t = await createSqliteDatabase();
    vi.stubEnv("DATABASE_URL", t.url);
    vi.stubEnv("REDIS_URL", `${requireServiceUrl("redis")}/7`);
    other = new Redis(`${requireServiceUrl("redis")}/7`); // another instance of the same site: same database
  });
  afterAll(async () => {
    other.disconnect();
    await getEventBus().close();
    getRedis()?.disconnect();
    await getDatabase().close();
    await t.dispose();
    vi.unstubAllEnvs();
  });

  const publishFromOther = (type: AdminEvent["type"], userId?: number) =>
    other.publish(redisEventsChannel(other), JSON.stringify({ type, at: new Date().toISOString(), origin: "another-instance", ...(userId ? { userId } : {}) }));

  it("is in force on this instance as soon as its event arrives", async () => {
    const runtime = getSessionRuntime(); // starts listening, as the first request of a server does
    const heard: AdminEvent[] = [];
    getEventBus().subscribe((event) => heard.push(event));
    await vi.waitFor(async () => {
      await publishFromOther("session.login", 99);
      expect(heard.some((event) => event.userId === 99 && event.origin === "another-instance")).toBe(true);
    }, { timeout: 10_000, interval: 100 });

    expect((await runtime.policy.get()).cookieAge).toBe(1_209_600);
    await t.db.prisma.sessionPolicy.create({ data: { id: 1, cookieAge: 600, expireAtBrowserClose: false, updatedAt: new Date() } });
    const changedAt = Date.now();
    expect((await runtime.policy.get()).cookieAge).toBe(1_209_600); // cached: nobody said anything yet

    await publishFromOther("policy.changed");
    await vi.waitFor(async () => expect((await runtime.policy.get()).cookieAge).toBe(600), { timeout: 1_000, interval: 20 });
    // Well inside the cache's 2 s refresh: the event did it, not the clock.
    expect(Date.now() - changedAt).toBeLessThan(1_500);
  });
});
