import { afterAll, beforeAll, expect, it } from "vitest";
import { openDatabase, type Database } from "../../lib/node/db/connection.ts";
import { isServiceUnavailable } from "../../lib/node/unavailable.ts";
import { createPostgresDatabase, type TestDatabase } from "../helpers/databases.ts";
import { describeWithServices } from "../helpers/register.ts";
import { postgresTemplate, requireServiceUrl } from "../helpers/services.ts";

// The bound DATABASE_TIMEOUT_MS sets on the app's pool (lib/node/db/connection.ts), on a real server.
describeWithServices("PostgreSQL queries bounded by DATABASE_TIMEOUT_MS", ["postgresql"], () => {
  let t: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    t = await createPostgresDatabase(requireServiceUrl("postgresql"), { template: postgresTemplate() });
    db = openDatabase(t.url, { timeoutMs: 300 });
  });
  afterAll(async () => {
    await db?.close();
    await t?.dispose();
  });

  it("cancels a statement that runs longer on the server (an unavailable answer, not a bug), and the connection serves the next query", async () => {
    if (db.provider !== "postgresql") throw new Error("PostgreSQL expected");
    const started = Date.now();
    const error = await db.pool.query("SELECT pg_sleep(5)").catch((caught: unknown) => caught);
    expect(Date.now() - started).toBeLessThan(3000);
    expect((error as { code?: string }).code).toBe("57014");
    expect(isServiceUnavailable(error)).toBe(true);
    // Through Prisma too: the same failure, recognised through Prisma's wrapping.
    const viaPrisma = await db.prisma.$queryRaw`SELECT pg_sleep(5)`.catch((caught: unknown) => caught);
    expect(isServiceUnavailable(viaPrisma)).toBe(true);
    expect((await db.pool.query("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
  });

  it("leaves the command line's connections unbounded (no timeout given)", async () => {
    const unbounded = openDatabase(t.url);
    try {
      if (unbounded.provider !== "postgresql") throw new Error("PostgreSQL expected");
      expect((await unbounded.pool.query("SELECT pg_sleep(0.5), current_setting('statement_timeout') AS timeout")).rows[0]).toMatchObject({ timeout: "0" });
    } finally {
      await unbounded.close();
    }
  });
});
