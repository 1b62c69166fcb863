// The data commands of the CLI against real databases: seed, then clearsessions.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import { runClearSessions } from "../../cli/clearsessions.ts";
import type { CliIo } from "../../cli/io.ts";
import { runRole } from "../../cli/role.ts";
import { runSeed } from "../../cli/seed.ts";
import { DATABASES } from "../helpers/backends.ts";
import type { TestDatabase } from "../helpers/databases.ts";
import { describeWithServices } from "../helpers/register.ts";

function captureIo(now = new Date()) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (line) => out.push(line), stderr: (line) => err.push(line), now: () => now };
  return { io, out, err };
}

async function countRows(t: TestDatabase, where = "1 = 1"): Promise<number> {
  if (t.db.provider === "sqlite") return (t.db.sqlite.prepare(`SELECT count(*) AS n FROM django_session WHERE ${where}`).get() as { n: number }).n;
  return Number((await t.db.pool.query(`SELECT count(*) AS n FROM django_session WHERE ${where}`)).rows[0].n);
}

const EXPIRED = {
  SQLite: "expire_date < strftime('%Y-%m-%d %H:%M:%f', 'now')",
  PostgreSQL: "expire_date < now()",
};

for (const database of DATABASES) {
  const expired = EXPIRED[database.name];
  describeWithServices(`seed and clearsessions on ${database.name}`, database.needs, () => {
    let t: TestDatabase;
    let env: Record<string, string>;
    beforeAll(async () => {
      t = await database.open();
      env = { DATABASE_URL: t.url, SESSION_SECRET_KEY: "cli-test-secret-key" };
    });
    afterAll(async () => {
      await t?.dispose();
    });

    it("seeds realistic sessions, a share of them expired", async () => {
      const { io, out, err } = captureIo();
      expect(await runSeed(["--sessions", "2000", "--users", "20", "--expired", "25"], env, io)).toBe(0);
      expect(err).toEqual([]);
      expect(out[0]).toMatch(/^Wrote 2,000 sessions to the db engine in [\d.]+ s \(20 users, 25% expired\)\.$/);
      expect(await countRows(t)).toBe(2000);
      expect(await countRows(t, expired)).toBe(500);
      const users = await t.db.prisma.authUser.count({ where: { username: { startsWith: "seed-user-" } } });
      expect(users).toBe(20);
    });

    it("deletes exactly the expired sessions in batches and prints the count", async () => {
      const { io, out } = captureIo();
      expect(await runClearSessions(["--batch-size", "64"], env, io)).toBe(0);
      expect(out).toEqual(["Deleted 500 expired sessions (db engine)."]);
      expect(await countRows(t)).toBe(1500);
      expect(await countRows(t, expired)).toBe(0);
      const again = captureIo();
      expect(await runClearSessions([], env, again.io)).toBe(0);
      expect(again.out).toEqual(["Deleted 0 expired sessions (db engine)."]);
    });
  });
}

describe("CLI errors", () => {
  it("rejects bad options with a usage error", async () => {
    const { io, err } = captureIo();
    expect(await runClearSessions(["--batch-size", "0"], {}, io)).toBe(2);
    expect(await runSeed(["--sessions", "lots"], {}, io)).toBe(2);
    expect(await runSeed([], {}, io)).toBe(2);
    expect(err).toEqual([
      "clearsessions: --batch-size must be a whole number from 1 to 100000",
      "seed: --sessions must be a whole number from 0 to 10000000",
      "seed: --sessions is required",
    ]);
  });

  it("explains an unmigrated database in one line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sessionscope-cli-"));
    try {
      const { io, err } = captureIo();
      expect(await runClearSessions([], { DATABASE_URL: `file:${join(dir, "empty.db")}` }, io)).toBe(1);
      expect(err).toHaveLength(1);
      expect(err[0]).toMatch(/no django_session table; run `npm start` once/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("explains a Django database SessionScope has not started on yet, before a role is granted", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sessionscope-cli-"));
    try {
      const file = join(dir, "django.db");
      const django = new Database(file);
      django.exec(`CREATE TABLE django_session (session_key varchar(40) NOT NULL PRIMARY KEY, session_data text NOT NULL, expire_date datetime NOT NULL)`);
      django.close();
      const { io, err } = captureIo();
      expect(await runRole(["grant", "alice", "admin"], { DATABASE_URL: `file:${file}`, SESSIONSCOPE_ATTACH: "django", SESSION_SECRET_KEY: "a-django-site-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz" }, io)).toBe(1);
      expect(err).toEqual([expect.stringMatching(/has Django's tables but not SessionScope's own yet; run `npm start` once \(in attach mode it adds only its prefixed tables\), then try again$/)]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("runs as `npx sessionscope` with --help on each command", () => {
    for (const command of ["decode", "encode", "clearsessions", "seed"]) {
      const result = spawnSync("node", ["bin/sessionscope.js", command, "--help"], { encoding: "utf8" });
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^Usage: sessionscope ${command}`));
    }
  });
});
