// `sessionscope role` tells running apps: with PostgreSQL (LISTEN/NOTIFY) or
// Redis (pub/sub) between them, an instance's bus hears the role change made
// on the command line.
import { Redis } from "ioredis";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { runCli } from "../../cli/index.ts";
import type { AdminEvent, EventBus } from "../../lib/node/events/bus.ts";
import { createEventBus } from "../../lib/node/events/from-setup.ts";
import { POSTGRES_EVENTS_CHANNEL } from "../../lib/node/events/postgres-transport.ts";
import { redisEventsChannel } from "../../lib/node/events/redis-transport.ts";
import { createRedisClient } from "../../lib/node/redis.ts";
import { createPostgresDatabase, type TestDatabase } from "../helpers/databases.ts";
import { describeWithServices } from "../helpers/register.ts";
import { postgresTemplate, requireServiceUrl } from "../helpers/services.ts";

const io = { stdout: () => {}, stderr: (line: string) => errors.push(line), now: () => new Date() };
const errors: string[] = [];

describeWithServices("the role command tells running apps", ["postgresql", "redis"], () => {
  let t: TestDatabase;
  let userId: number;
  beforeAll(async () => {
    t = await createPostgresDatabase(requireServiceUrl("postgresql"), { template: postgresTemplate() });
    userId = (
      await t.db.prisma.authUser.create({
        data: { username: "ada", password: "!", firstName: "Ada", lastName: "", email: "", isStaff: false, isSuperuser: false, isActive: true, dateJoined: new Date() },
      })
    ).id;
  });
  afterAll(async () => {
    await t?.dispose();
  });

  async function heardFromCli(bus: EventBus, listening: () => Promise<boolean>, env: Record<string, string>, role: string): Promise<AdminEvent[]> {
    const heard: AdminEvent[] = [];
    bus.subscribe((event) => heard.push(event));
    await vi.waitFor(async () => expect(await listening()).toBe(true), { timeout: 5_000, interval: 50 });
    expect(await runCli(["role", "grant", "ada", role], { DATABASE_URL: t.url, SESSION_SECRET_KEY: "cli-events-test-secret", ...env }, io)).toBe(0);
    await vi.waitFor(() => expect(heard).toHaveLength(1), { timeout: 5_000 });
    return heard;
  }

  it("over PostgreSQL LISTEN/NOTIFY", async () => {
    const bus = createEventBus({ databaseUrl: t.url, db: t.db, redis: null });
    try {
      const listening = async () =>
        (await t.db.prisma.$queryRawUnsafe<unknown[]>(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN "${POSTGRES_EVENTS_CHANNEL}"'`)).length === 1;
      expect(await heardFromCli(bus, listening, {}, "viewer")).toEqual([expect.objectContaining({ type: "role.changed", userId, count: 0, origin: "cli" })]);
    } finally {
      await bus.close();
    }
  });

  it("over Redis pub/sub", async () => {
    const redisUrl = requireServiceUrl("redis");
    const redis: Redis = createRedisClient(redisUrl);
    const bus = createEventBus({ databaseUrl: t.url, db: t.db, redis });
    try {
      const listening = async () => ((await redis.call("PUBSUB", "NUMSUB", redisEventsChannel(redis))) as [string, number])[1] > 0;
      expect(await heardFromCli(bus, listening, { REDIS_URL: redisUrl }, "security")).toEqual([expect.objectContaining({ type: "role.changed", userId, origin: "cli" })]);
    } finally {
      await bus.close();
      redis.disconnect();
    }
    expect(errors).toEqual([]);
  });
});
