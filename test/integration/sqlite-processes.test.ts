// Two processes on one SQLite file: the engine's one transaction that reads before it writes (a
// session's activity, which may flag a new address) waits for the other process's write lock
// (BEGIN IMMEDIATE, busy_timeout) instead of failing with SQLITE_BUSY at once, as a deferred
// transaction upgrading its read to a write does.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSqliteStore } from "../../lib/session/index.ts";
import { createSqliteDatabase, type TestDatabase } from "../helpers/databases.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const KEY = "twoprocesses0000000000000000000000000001";

/** Another process takes the file's write lock, says "locked", and commits `holdMs` later. */
const HOLDER = `
const db = new (require("better-sqlite3"))(process.argv[1]);
db.pragma("busy_timeout = 5000");
db.exec("BEGIN IMMEDIATE");
db.prepare("UPDATE django_session SET expire_date = expire_date WHERE session_key = ?").run(process.argv[2]);
process.stdout.write("locked\\n");
setTimeout(() => { db.exec("COMMIT"); db.close(); }, Number(process.argv[3]));
`;

describe("the SQLite engine beside another process's write", () => {
  let sqlite: TestDatabase;

  beforeAll(async () => {
    sqlite = await createSqliteDatabase();
  });
  afterAll(() => sqlite.dispose());

  it("records a session's activity once the other process commits, instead of failing with SQLITE_BUSY", async () => {
    if (sqlite.db.provider !== "sqlite") throw new Error("expected SQLite");
    const store = createSqliteStore(sqlite.db.sqlite);
    const now = new Date();
    const saved = await store.save(
      KEY,
      { encoded: "e30:x", expireDate: new Date(now.getTime() + 3_600_000), ttlSeconds: 3600, data: new Map(), createdAt: now, userId: "7" },
      null,
    );
    expect(saved.ok).toBe(true);

    const holder = spawn(process.execPath, ["-e", HOLDER, sqlite.db.path, KEY, "300"], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
    const exited = once(holder, "exit");
    await once(holder.stdout, "data"); // "locked"
    await store.recordActivity(KEY, { at: now, ip: "203.0.113.9", userAgent: "Firefox", device: "desktop firefox" });
    expect(await exited).toEqual([0, null]);
    const row = sqlite.db.sqlite.prepare("SELECT ip, device FROM sessionscope_session_meta WHERE session_key = ?").get(KEY);
    expect(row).toEqual({ ip: "203.0.113.9", device: "desktop firefox" });
  });
});
