// Events between instances through real PostgreSQL (LISTEN/NOTIFY) and Redis
// (pub/sub): two buses stand for two app instances. An event published on one
// arrives on the other, once on its own instance; after the listening
// connection is killed (pg_terminate_backend, CLIENT KILL) it reconnects and
// events arrive again.
import { Redis } from "ioredis";
import pg from "pg";
import { afterEach, expect, it } from "vitest";
import type { AdminEvent, EventBus } from "../../lib/node/events/bus.ts";
import { createPostgresTransport } from "../../lib/node/events/postgres-transport.ts";
import { createRedisTransport } from "../../lib/node/events/redis-transport.ts";
import { createSharedBus } from "../../lib/node/events/shared-bus.ts";
import { createRedisClient } from "../../lib/node/redis.ts";
import { describeWithServices } from "../helpers/register.ts";
import { requireServiceUrl } from "../helpers/services.ts";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Every event a bus delivers, in order. */
function record(bus: EventBus): AdminEvent[] {
  const seen: AdminEvent[] = [];
  bus.subscribe((event) => seen.push(event));
  return seen;
}

/** Publishes on `from` until `seen` holds an event with this userId: the listener may still be (re)connecting. */
async function publishUntilHeard(from: EventBus, seen: AdminEvent[], userId: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!seen.some((event) => event.userId === userId)) {
    if (Date.now() > deadline) throw new Error(`event for user ${userId} never arrived`);
    from.publish({ type: "session.login", userId });
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const waitFor = async (condition: () => boolean, timeoutMs = 5_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

async function expectCrossing(a: EventBus, b: EventBus): Promise<void> {
  const onA = record(a);
  const onB = record(b);
  await publishUntilHeard(a, onB, 1); // both listeners are connected from here on
  onA.length = 0;
  onB.length = 0;
  a.publish({ type: "session.killed", userId: 42, count: 3 });
  await waitFor(() => onB.length > 0 && onA.length > 0);
  await new Promise((resolve) => setTimeout(resolve, 300)); // time for a duplicate to show up, if any
  const expected = { type: "session.killed", userId: 42, count: 3, origin: a.instanceId };
  expect(onB).toEqual([expect.objectContaining(expected)]);
  expect(onA).toEqual([expect.objectContaining(expected)]);
}

describeWithServices("events across instances: PostgreSQL LISTEN/NOTIFY", ["postgresql"], () => {
  const channel = `sessionscope_events_test_${process.pid}`;

  function instance(pool: pg.Pool): EventBus {
    const url = requireServiceUrl("postgresql");
    const bus = createSharedBus(createPostgresTransport({ url, pool, channel, backoff: { initialMs: 50, maxMs: 500 } }));
    cleanups.push(() => bus.close());
    return bus;
  }

  function pool(): pg.Pool {
    const p = new pg.Pool({ connectionString: requireServiceUrl("postgresql"), max: 2 });
    cleanups.push(() => p.end());
    return p;
  }

  it("delivers an event published on one instance to the other, and once to its own", async () => {
    const shared = pool();
    await expectCrossing(instance(shared), instance(shared));
  });

  it("listens again after its connection is terminated by the server", async () => {
    const admin = pool();
    const a = instance(admin);
    const b = instance(admin);
    const onB = record(b);
    await publishUntilHeard(a, onB, 1);
    const { rows } = await admin.query<{ pid: number }>(
      "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query = $1 AND pid <> pg_backend_pid()",
      [`LISTEN "${channel}"`],
    );
    expect(rows).toHaveLength(2);
    for (const { pid } of rows) await admin.query("SELECT pg_terminate_backend($1)", [pid]);
    await publishUntilHeard(a, onB, 2);
    expect(onB.filter((event) => event.userId === 2).length).toBeGreaterThan(0);
  });
});

describeWithServices("events across instances: Redis pub/sub", ["redis"], () => {
  const channel = `sessionscope:events:test:${process.pid}`;

  function client(): Redis {
    const redis = createRedisClient(requireServiceUrl("redis"));
    cleanups.push(async () => redis.disconnect());
    return redis;
  }

  function instance(redis: Redis): EventBus {
    const bus = createSharedBus(createRedisTransport(redis, { channel }));
    cleanups.push(() => bus.close());
    return bus;
  }

  it("delivers an event published on one instance to the other, and once to its own", async () => {
    await expectCrossing(instance(client()), instance(client()));
  });

  it("keeps sites on different logical databases of one server apart: each hears its own database's instances only", async () => {
    const onDatabase = (db: number) => {
      const redis = createRedisClient(`${requireServiceUrl("redis")}/${db}`);
      cleanups.push(async () => redis.disconnect());
      const bus = createSharedBus(createRedisTransport(redis)); // the app's channel, as from-setup.ts makes it
      cleanups.push(() => bus.close());
      return bus;
    };
    const staging = onDatabase(11);
    const production = onDatabase(12);
    const productionToo = onDatabase(12);
    const onStaging = record(staging);
    const onProduction = record(productionToo);
    await publishUntilHeard(production, onProduction, 7);
    await publishUntilHeard(staging, onStaging, 8);
    await new Promise((resolve) => setTimeout(resolve, 300)); // time for a stray delivery to show up, if any
    expect(onProduction.map((event) => event.userId)).not.toContain(8);
    expect(onStaging.map((event) => event.userId)).not.toContain(7);
  });

  it("subscribes again after its connection is killed by the server", async () => {
    const a = instance(client());
    const b = instance(client());
    const onB = record(b);
    await publishUntilHeard(a, onB, 1);
    const admin = client();
    const list = (await admin.call("CLIENT", "LIST", "TYPE", "pubsub")) as string;
    const ids = list.split("\n").filter((line) => / sub=1 /.test(` ${line} `)).map((line) => /\bid=(\d+)/.exec(line)?.[1]).filter(Boolean);
    expect(ids.length).toBeGreaterThanOrEqual(2);
    for (const id of ids) await admin.call("CLIENT", "KILL", "ID", id!);
    await publishUntilHeard(a, onB, 2);
    expect(onB.some((event) => event.userId === 2)).toBe(true);
  });
});
