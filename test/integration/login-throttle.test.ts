// Login throttling against a parallel attack, on a real SQLite database, with
// the counters in this process and in a real Redis: the attack gets a handful
// of password checks and 429s, and the account's owner still gets in.
import { createServer } from "node:net";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createMemoryCounterStore, createRedisCounterStore, type CounterStore } from "../../lib/server/auth/rate-limit.ts";
import { LOGIN_RULES, type ThrottleRules } from "../../lib/server/auth/throttle.ts";
import { hashPassword } from "../../lib/session/index.ts";
import { createSqliteDatabase, type TestDatabase } from "../helpers/databases.ts";
import { serviceUrl } from "../helpers/services.ts";
import { addUser, countPbkdf2, openCredentials, statusOf } from "./auth-fixtures.ts";

const ITERATIONS = 20_000; // the app uses 600,000; the work per check does not change what is counted
const PASSWORD = "correct horse battery staple";
const ATTACKER = "198.51.100.66";
const OWNER_ELSEWHERE = "2001:db8:42:1::7";
const ATTEMPTS = 200;
/** The counters alone: in-flight caps too wide to refuse anything. */
const NO_IN_FLIGHT_CAPS: ThrottleRules = { ...LOGIN_RULES, inFlight: { account: 1_000, address: 1_000, total: 1_000 } };

const redisUrl = serviceUrl("redis");

interface Backend {
  readonly name: string;
  readonly available: boolean;
  /** Fresh counters for a test. */
  setUp(): Promise<void>;
  /** A counter store as one app instance sees it. */
  instance(): CounterStore;
}

let redis: Redis | undefined;
let memory: CounterStore;
const BACKENDS: Backend[] = [
  {
    name: "in memory",
    available: true,
    async setUp() {
      memory = createMemoryCounterStore();
    },
    instance: () => memory,
  },
  {
    name: "on Redis",
    available: redisUrl !== null,
    async setUp() {
      redis ??= new Redis(`${redisUrl}/9`, { maxRetriesPerRequest: 1 });
      await redis.flushdb();
    },
    instance: () => createRedisCounterStore(redis!),
  },
];

afterAll(() => redis?.disconnect());

for (const backend of BACKENDS) {
  const describeIf = backend.available ? describe : describe.skip;
  if (!backend.available) console.warn(`\n*** login throttle ${backend.name}: SKIPPED, no Redis server for this run (CI fails instead) ***\n`);

  describeIf(`login throttle ${backend.name}`, () => {
    let t: TestDatabase;
    let owner: { id: number; username: string };

    beforeEach(async () => {
      await backend.setUp();
      t = await createSqliteDatabase();
      owner = await addUser(t.db.prisma, "alice", await hashPassword(PASSWORD, { iterations: ITERATIONS }));
    });
    afterEach(() => t.dispose());

    it(`${ATTEMPTS} parallel wrong passwords for one account get at most ${LOGIN_RULES.pair.limit} password checks and 429 for the rest; the owner elsewhere still logs in`, async () => {
      const credentials = openCredentials(t.db.prisma, backend.instance(), { iterations: ITERATIONS });
      const work = countPbkdf2();
      const results = await Promise.all(Array.from({ length: ATTEMPTS }, (_, i) => statusOf(credentials.authenticate("alice", `guess-${i}`, ATTACKER))));
      work.stop();

      const checks = work.iterations.length;
      expect(checks).toBeGreaterThan(0);
      expect(checks).toBeLessThanOrEqual(LOGIN_RULES.pair.limit);
      expect(results.filter((r) => r.status === 401)).toHaveLength(checks);
      const refused = results.filter((r) => r.status === 429);
      expect(refused).toHaveLength(ATTEMPTS - checks);
      for (const { error } of refused) {
        expect(error?.code).toBe("rate_limited");
        expect(Number(error?.headers["Retry-After"])).toBeGreaterThanOrEqual(1);
      }

      // The attacker keeps going one by one: the pair's five failures in all, then only 429s.
      const more = countPbkdf2();
      for (let i = 0; i < 10; i++) await statusOf(credentials.authenticate("alice", `more-${i}`, ATTACKER));
      more.stop();
      expect(checks + more.iterations.length).toBe(LOGIN_RULES.pair.limit);
      const locked = await statusOf(credentials.authenticate("alice", PASSWORD, ATTACKER));
      expect(locked.status).toBe(429);
      expect(locked.error?.message).toMatch(/^Too many failed logins\. Try again in 15 minutes\.$/);
      expect(locked.error?.headers["Retry-After"]).toMatch(/^(89\d|900)$/);

      const user = await credentials.authenticate("alice", PASSWORD, OWNER_ELSEWHERE);
      expect(user.id).toBe(owner.id);
    });

    it("without in-flight caps, the counters alone hold a parallel burst to the limit", async () => {
      const credentials = openCredentials(t.db.prisma, backend.instance(), { iterations: ITERATIONS, rules: NO_IN_FLIGHT_CAPS });
      const work = countPbkdf2();
      const results = await Promise.all(Array.from({ length: ATTEMPTS }, (_, i) => statusOf(credentials.authenticate("alice", `guess-${i}`, ATTACKER))));
      work.stop();
      expect(work.iterations).toHaveLength(LOGIN_RULES.pair.limit);
      expect(results.filter((r) => r.status === 401)).toHaveLength(LOGIN_RULES.pair.limit);
      expect(results.filter((r) => r.status === 429)).toHaveLength(ATTEMPTS - LOGIN_RULES.pair.limit);
    });

    it("guards the password change the same way", async () => {
      const credentials = openCredentials(t.db.prisma, backend.instance(), { iterations: ITERATIONS, rules: NO_IN_FLIGHT_CAPS });
      const work = countPbkdf2();
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => statusOf(credentials.changePassword(owner, `guess-${i}`, "a-new-password-1", ATTACKER))),
      );
      work.stop();
      expect(work.iterations).toHaveLength(LOGIN_RULES.pair.limit);
      expect(results.filter((r) => r.status === 400)).toHaveLength(LOGIN_RULES.pair.limit);
      expect(results.filter((r) => r.status === 429)).toHaveLength(50 - LOGIN_RULES.pair.limit);
      // The login of the same pair is locked too; from another address the owner changes the password.
      expect((await statusOf(credentials.authenticate("alice", PASSWORD, ATTACKER))).status).toBe(429);
      await credentials.changePassword(owner, PASSWORD, "a-new-password-1", OWNER_ELSEWHERE);
      expect((await credentials.authenticate("alice", "a-new-password-1", OWNER_ELSEWHERE)).id).toBe(owner.id);
    });

    it("throttles unknown usernames exactly like real ones", async () => {
      const credentials = openCredentials(t.db.prisma, backend.instance(), { iterations: ITERATIONS });
      const answers = async (username: string) => {
        const statuses = [];
        for (let i = 0; i < LOGIN_RULES.pair.limit + 1; i++) statuses.push((await statusOf(credentials.authenticate(username, "wrong", ATTACKER))).status);
        return statuses;
      };
      expect(await answers("nobody")).toEqual(await answers("alice"));
    });
  });
}

const describeWithRedis = redisUrl !== null ? describe : describe.skip;

describeWithRedis("login throttle across app instances sharing Redis", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    redis ??= new Redis(`${redisUrl}/9`, { maxRetriesPerRequest: 1 });
  });
  beforeEach(async () => {
    await redis!.flushdb();
    t = await createSqliteDatabase();
    await addUser(t.db.prisma, "alice", await hashPassword(PASSWORD, { iterations: ITERATIONS }));
  });
  afterEach(() => t.dispose());

  it("counts failures on any instance against the same limit", async () => {
    const instances = [0, 1, 2].map(() => openCredentials(t.db.prisma, createRedisCounterStore(redis!), { iterations: ITERATIONS, rules: NO_IN_FLIGHT_CAPS }));
    const work = countPbkdf2();
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => statusOf(instances[i % 3]!.authenticate("alice", `guess-${i}`, ATTACKER))));
    work.stop();
    expect(work.iterations).toHaveLength(LOGIN_RULES.pair.limit);
    expect(results.filter((r) => r.status === 429)).toHaveLength(60 - LOGIN_RULES.pair.limit);
    expect(await redis!.get("sessionscope:login:pair:198.51.100.66|alice")).toBe(String(LOGIN_RULES.pair.limit));
    expect(await redis!.ttl("sessionscope:login:pair:198.51.100.66|alice")).toBeGreaterThan(LOGIN_RULES.pair.windowSeconds - 10);
  });

  it("keeps throttling in this process while Redis does not answer", async () => {
    const port = await closedPort();
    const dead = new Redis({ host: "127.0.0.1", port, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });
    dead.on("error", () => {});
    const credentials = openCredentials(t.db.prisma, createRedisCounterStore(dead), { iterations: ITERATIONS });
    const statuses = [];
    for (let i = 0; i < LOGIN_RULES.pair.limit + 1; i++) statuses.push((await statusOf(credentials.authenticate("alice", `guess-${i}`, ATTACKER))).status);
    expect(statuses).toEqual([...Array<number>(LOGIN_RULES.pair.limit).fill(401), 429]);
    expect((await credentials.authenticate("alice", PASSWORD, OWNER_ELSEWHERE)).username).toBe("alice");
    dead.disconnect();
  });
});

/** A port nothing listens on. */
const closedPort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
