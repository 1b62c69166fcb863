// Every storage engine against the store contract, on real services.
import { execFile } from "node:child_process";
import { mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { openSqlite } from "../../lib/node/db/connection.ts";
import { createFileStore, createMemoryStore, createPostgresStore, createSqliteStore, formatSqliteDate } from "../../lib/session/index.ts";
import { AGE_SECONDS, describeStoreContract, makeRecord, newKey } from "../contract/store-contract.ts";
import { createPostgresDatabase, createSqliteDatabase } from "../helpers/databases.ts";
import { serviceUrl } from "../helpers/services.ts";
import { redisHarnesses } from "./engines-redis.ts";

const pgUrl = serviceUrl("postgresql");

/** A suite whose service is missing is skipped, and says so. */
export function describeOrSkip(name: string, available: boolean, reason: string, body: () => void) {
  if (available) return body();
  describe.skip(`${name} — SKIPPED: ${reason}`, () => it("needs the service", () => {}));
  console.warn(`\n*** ${name}: SKIPPED, ${reason} ***\n`);
}

describeStoreContract("sqlite", async () => {
  const t = await createSqliteDatabase();
  if (t.db.provider !== "sqlite") throw new Error("expected SQLite");
  const { sqlite, path } = t.db;
  const peers: ReturnType<typeof openSqlite>[] = [];
  return {
    store: createSqliteStore(sqlite),
    // Separate connections on the same file: each takes SQLite's write lock on its own.
    async peer() {
      const connection = openSqlite(path);
      peers.push(connection);
      return createSqliteStore(connection);
    },
    async writeForeign(key, encoded, expireDate) {
      sqlite.prepare(`INSERT INTO django_session VALUES (?, ?, ?)`).run(key, encoded, formatSqliteDate(expireDate));
    },
    async dispose() {
      for (const p of peers) p.close();
      await t.dispose();
    },
  };
});

describeOrSkip("store contract: postgresql", pgUrl !== null, "no PostgreSQL server for this run (CI fails instead)", () => {
  describeStoreContract("postgresql", async () => {
    const t = await createPostgresDatabase(pgUrl!);
    if (t.db.provider !== "postgresql") throw new Error("expected PostgreSQL");
    const { pool } = t.db;
    return {
      // One pool of ten connections: concurrent writers really run in parallel server-side.
      store: createPostgresStore(pool),
      async writeForeign(key, encoded, expireDate) {
        await pool.query(`INSERT INTO django_session VALUES ($1, $2, $3)`, [key, encoded, expireDate]);
      },
      dispose: () => t.dispose(),
    };
  });
});

// memory.ts lists by key with the key as cursor and clears in one sweep: a development engine, not a dashboard backend.
describeStoreContract("memory", async () => ({ store: createMemoryStore(), async dispose() {} }), {
  foreignRows: false,
  listsNewestFirst: false,
  opaqueCursor: false,
  batchesClear: false,
});

redisHarnesses(describeOrSkip);

describeStoreContract("file", async () => {
  const directory = await mkdtemp(join(tmpdir(), "sessionscope-files-"));
  const options = { directory, cookieName: "sessionid", cookieAge: AGE_SECONDS };
  return {
    store: createFileStore(options),
    // Separate stores share nothing in memory: only the lock files serialise them.
    peer: async () => createFileStore(options),
    async writeForeign(key, encoded, expireDate) {
      const file = join(directory, `sessionid${key}`);
      await writeFile(file, encoded, { encoding: "ascii", mode: 0o600 });
      const mtime = new Date(expireDate.getTime() - AGE_SECONDS * 1000);
      await utimes(file, mtime, mtime);
    },
    dispose: () => rm(directory, { recursive: true, force: true }),
  };
}, { capabilities: { listing: false, userIndex: false, issuedBefore: false } });

describe("file engine across processes", () => {
  it("loses no update when several processes race on one session", async () => {
    const directory = await mkdtemp(join(tmpdir(), "sessionscope-files-"));
    try {
      const options = { directory, cookieName: "sessionid", cookieAge: AGE_SECONDS };
      const store = createFileStore(options);
      const key = newKey();
      const first = await store.save(key, makeRecord({ start: true }), null);
      expect(first.ok).toBe(true);
      // Each child runs 10 concurrent load → modify → compare-and-swap writers against the same file.
      const child = `
        const { createFileStore } = await import(process.argv[1]);
        const [, , directory, key, id] = process.argv;
        const store = createFileStore({ directory, cookieName: "sessionid", cookieAge: ${AGE_SECONDS} });
        let conflicts = 0;
        await Promise.all(Array.from({ length: 10 }, async (_, i) => {
          for (;;) {
            const current = await store.load(key, new Date());
            const data = { ...JSON.parse(Buffer.from(current.encoded.split(":")[0], "base64url").toString()), ["p" + id + "w" + i]: i };
            const encoded = Buffer.from(JSON.stringify(data)).toString("base64url") + ":sig";
            const result = await store.save(key, { encoded, expireDate: new Date(Date.now() + 3600e3) }, current.version);
            if (result.ok) return;
            if (result.reason !== "conflict") throw new Error(result.reason);
            conflicts++;
          }
        }));
        console.log(conflicts);
      `;
      const engine = resolve("lib/session/engines/file.ts");
      const run = promisify(execFile);
      const outputs = await Promise.all(
        [0, 1, 2, 3].map((id) => run(process.execPath, ["--import", "tsx", "--input-type=module", "-e", child, engine, directory, key, String(id)])),
      );
      const final = JSON.parse(Buffer.from((await store.load(key, new Date()))!.encoded!.split(":")[0]!, "base64url").toString());
      expect(Object.keys(final)).toHaveLength(41);
      for (const id of [0, 1, 2, 3]) for (let i = 0; i < 10; i++) expect(final[`p${id}w${i}`]).toBe(i);
      expect(outputs.reduce((n, o) => n + Number(o.stdout.trim()), 0)).toBeGreaterThan(0);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});

describe("activity on the SQL engines", () => {
  const cases = [
    { name: "sqlite", available: true },
    { name: "postgresql", available: pgUrl !== null },
  ];
  for (const c of cases) {
    it.skipIf(!c.available)(`${c.name}: records last activity in the meta row and keeps it across saves`, async () => {
      const t = c.name === "sqlite" ? await createSqliteDatabase() : await createPostgresDatabase(pgUrl!);
      try {
        const store = t.db.provider === "sqlite" ? createSqliteStore(t.db.sqlite) : createPostgresStore(t.db.pool);
        const key = newKey();
        const v1 = await store.save(key, makeRecord({ a: 1 }), null);
        const at = new Date("2026-01-02T03:04:05.678Z");
        await store.recordActivity(key, { at, ip: "203.0.113.9", userAgent: "Firefox" });
        if (v1.ok) await store.save(key, makeRecord({ a: 2 }, { userId: "5" }), v1.version);
        const row = await t.db.prisma.sessionMeta.findUniqueOrThrow({ where: { sessionKey: key } });
        expect(row).toMatchObject({ lastActivity: at, ip: "203.0.113.9", userAgent: "Firefox", userId: 5, engine: "db" });
        expect(row.publicId).toMatch(/^[A-Za-z0-9_-]{22}$/);
      } finally {
        await t.dispose();
      }
    });
  }
});
