// 50 simultaneous add-to-cart requests on one session leave exactly 50 items,
// on every server-side engine: SessionScope's compare-and-swap saves replay a
// request's change on fresh data instead of overwriting another's.
import { expect, test } from "@playwright/test";
import { createPostgresDatabase, startAppServer, type AppServer } from "./support/app-server";

const pgUrl = process.env.SESSIONSCOPE_TEST_PG_URL;
const redisUrl = process.env.SESSIONSCOPE_TEST_REDIS_URL;
const ci = process.env.CI === "true";

interface EngineSetup {
  readonly name: string;
  readonly needs: Array<"postgresql" | "redis">;
  env(): Promise<{ env: Record<string, string>; cleanup(): Promise<void> }>;
}

const ENGINES: EngineSetup[] = [
  { name: "db on SQLite", needs: [], env: async () => ({ env: { SESSION_ENGINE: "db" }, cleanup: async () => {} }) },
  {
    name: "db on PostgreSQL",
    needs: ["postgresql"],
    env: async () => {
      const db = await createPostgresDatabase(pgUrl!);
      return { env: { SESSION_ENGINE: "db", DATABASE_URL: db.url }, cleanup: db.drop };
    },
  },
  {
    name: "cached_db on PostgreSQL + Redis",
    needs: ["postgresql", "redis"],
    env: async () => {
      const db = await createPostgresDatabase(pgUrl!);
      return { env: { SESSION_ENGINE: "cached_db", DATABASE_URL: db.url, REDIS_URL: `${redisUrl}/3` }, cleanup: db.drop };
    },
  },
  { name: "cache on Redis", needs: ["redis"], env: async () => ({ env: { SESSION_ENGINE: "cache", REDIS_URL: `${redisUrl}/4` }, cleanup: async () => {} }) },
];

function cookieOf(response: Response): string {
  const header = response.headers.get("set-cookie") ?? "";
  const match = /sessionid=([^;]+)/.exec(header);
  if (!match?.[1]) throw new Error(`no session cookie in ${JSON.stringify(header)}`);
  return match[1];
}

for (const engine of ENGINES) {
  test.describe(`concurrent cart updates: ${engine.name}`, () => {
    const missing = engine.needs.filter((name) => (name === "postgresql" ? !pgUrl : !redisUrl));
    test.skip(missing.length > 0 && !ci, `needs ${missing.join(" and ")} (npm test starts them when installed)`);
    let server: AppServer;
    let cleanup = async () => {};

    test.beforeAll(async () => {
      if (missing.length) throw new Error(`CI=true: ${missing.join(", ")} must be available`);
      const setup = await engine.env();
      cleanup = setup.cleanup;
      server = await startAppServer(setup.env);
    });
    test.afterAll(async () => {
      await server?.stop();
      await cleanup();
    });

    test("50 simultaneous add-to-cart requests on one session leave exactly 50 items", async () => {
      test.setTimeout(60_000);
      const origin = server.url;
      const login = await fetch(`${origin}/api/auth/login`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Origin: origin },
        body: JSON.stringify({ username: "alice", password: "demo-alice" }),
      });
      expect(login.status).toBe(200);
      const cookie = `sessionid=${cookieOf(login)}`;
      const add = (productId: number) =>
        fetch(`${origin}/api/cart/items`, {
          method: "POST",
          headers: { "Content-Type": "application/json", Origin: origin, Cookie: cookie },
          body: JSON.stringify({ productId, quantity: 1 }),
        });
      // Half on one product (the same cart line), half spread over the others.
      const responses = await Promise.all(Array.from({ length: 50 }, (_, i) => add(i % 2 === 0 ? 1 : 2 + (i % 7))));
      expect(responses.map((r) => r.status)).toEqual(Array(50).fill(201));
      const cart = (await (await fetch(`${origin}/api/cart`, { headers: { Cookie: cookie } })).json()) as {
        count: number;
        items: Array<{ productId: number; quantity: number }>;
      };
      expect(cart.count).toBe(50);
      expect(cart.items.find((line) => line.productId === 1)?.quantity).toBe(25);
    });
  });
}
