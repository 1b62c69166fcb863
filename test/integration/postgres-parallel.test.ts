import { afterAll, beforeAll, expect, it } from "vitest";
import { openDatabase, type Database } from "../../lib/node/db/connection.ts";
import type { AdminContext } from "../../lib/server/admin/context.ts";
import { heavyQuery } from "../../lib/server/admin/heavy-read.ts";
import { sqltag as sql } from "@prisma/client/runtime/client";
import { createPostgresDatabase, type TestDatabase } from "../helpers/databases.ts";
import { describeWithServices } from "../helpers/register.ts";
import { postgresTemplate, requireServiceUrl } from "../helpers/services.ts";

// SessionScope's PostgreSQL connections run without parallel query workers (their start-up cost more
// than the dashboard's page queries themselves), and the two reads over every live session get the
// server's own setting back for their transaction only (lib/node/db/connection.ts, heavy-read.ts).
describeWithServices("parallel query workers on SessionScope's PostgreSQL connections", ["postgresql"], () => {
  let t: TestDatabase;
  let db: Database;
  const setting = (rows: Array<{ workers: string }>) => rows[0]?.workers;
  const WORKERS = sql`SELECT current_setting('max_parallel_workers_per_gather') AS workers`;
  beforeAll(async () => {
    t = await createPostgresDatabase(requireServiceUrl("postgresql"), { template: postgresTemplate() });
    db = openDatabase(t.url, { timeoutMs: 5000 });
  });
  afterAll(async () => {
    await db?.close();
    await t?.dispose();
  });

  it("are off on every connection, the driver's and Prisma's, with or without a timeout", async () => {
    if (db.provider !== "postgresql") throw new Error("PostgreSQL expected");
    expect((await db.pool.query("SELECT current_setting('max_parallel_workers_per_gather') AS workers")).rows[0]).toEqual({ workers: "0" });
    expect(setting(await db.prisma.$queryRaw<Array<{ workers: string }>>(WORKERS))).toBe("0");
    const unbounded = openDatabase(t.url);
    try {
      expect(setting(await unbounded.prisma.$queryRaw<Array<{ workers: string }>>(WORKERS))).toBe("0");
    } finally {
      await unbounded.close();
    }
  });

  it("are the server's own for a heavy read, and off again for the next query on the same pool", async () => {
    if (db.provider !== "postgresql") throw new Error("PostgreSQL expected");
    const server = (await db.pool.query("SELECT reset_val AS workers FROM pg_settings WHERE name = 'max_parallel_workers_per_gather'")).rows[0].workers as string;
    expect(server).not.toBe("0");
    const context = { prisma: db.prisma, provider: "postgresql", reader: null } as unknown as AdminContext;
    expect(setting(await heavyQuery(context)<{ workers: string }>(WORKERS))).toBe(server);
    const after = await Promise.all(Array.from({ length: 10 }, () => db.prisma.$queryRaw<Array<{ workers: string }>>(WORKERS)));
    expect(after.map(setting)).toEqual(Array(10).fill("0"));
  });

  it("lets a heavy read run past Prisma's default 5 s transaction limit, up to the statement timeout", async () => {
    if (db.provider !== "postgresql") throw new Error("PostgreSQL expected");
    const context = { prisma: db.prisma, provider: "postgresql", reader: null } as unknown as AdminContext;
    const patient = openDatabase(t.url, { timeoutMs: 8000 });
    try {
      // 5.5 s: the overview's snapshot at a million sessions took about that on a busy machine, and failed.
      const slow = heavyQuery({ ...context, prisma: patient.prisma })<{ done: number }>(sql`SELECT 1 AS done FROM pg_sleep(5.5)`);
      await expect(slow).resolves.toEqual([expect.objectContaining({ done: 1 })]);
    } finally {
      await patient.close();
    }
    // The statement timeout still ends one that runs longer.
    const strict = openDatabase(t.url, { timeoutMs: 1000 });
    try {
      await expect(heavyQuery({ ...context, prisma: strict.prisma })(sql`SELECT 1 AS done FROM pg_sleep(3)`)).rejects.toThrow(/statement timeout/);
    } finally {
      await strict.close();
    }
  }, 20_000);
});
