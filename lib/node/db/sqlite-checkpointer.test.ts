// The background checkpointer on real files: the app's commits stop copying
// the write-ahead log (their threshold is raised), the thread copies it
// instead, and every commit is in the database file afterwards; a file on a
// rollback journal is left alone; closing gives SQLite's default back.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, openSqlite } from "./connection.ts";
import { COMMIT_CHECKPOINT_PAGES, SQLITE_DEFAULT_AUTOCHECKPOINT, type SqliteCheckpointer, startSqliteCheckpointer } from "./sqlite-checkpointer.ts";

const threshold = (db: BetterSqlite3.Database) => Number(db.pragma("wal_autocheckpoint", { simple: true }));
/** Frames in the log and frames already copied into the file, from a checkpoint that copies nothing more (0 pages allowed). */
const walState = (db: BetterSqlite3.Database) => db.pragma("wal_checkpoint(PASSIVE)") as Array<{ busy: number; log: number; checkpointed: number }>;

async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await probe();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("the SQLite checkpointer", () => {
  let dir: string;
  let path: string;
  let app: BetterSqlite3.Database;
  const started: SqliteCheckpointer[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "sessionscope-checkpoint-"));
    path = join(dir, "app.db");
    app = openSqlite(path);
    app.exec("CREATE TABLE item (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
  });
  afterEach(async () => {
    await Promise.all(started.splice(0).map((c) => c.close()));
    app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("takes the log's copying off the app's commits and does it on its thread", async () => {
    const checkpointer = startSqliteCheckpointer(app, path, { intervalMs: 20 })!;
    started.push(checkpointer);
    expect(checkpointer.threadId).toEqual(expect.any(Number));
    expect(threshold(app)).toBe(COMMIT_CHECKPOINT_PAGES);

    // 1,500 commits of a page and a half each: past SQLite's 1,000-page threshold many times over.
    const insert = app.prepare("INSERT INTO item (body) VALUES (?)");
    for (let i = 0; i < 1500; i++) insert.run(`${i}:${"x".repeat(6000)}`);

    const stats = await until(() => checkpointer.stats(), (s) => s.copied > 0 && s.last.log === s.last.checkpointed, "the thread to copy the whole log");
    expect(stats.copied).toBeGreaterThan(SQLITE_DEFAULT_AUTOCHECKPOINT);
    // Nothing is left for the app's connection to copy, and a fresh connection reads every row from the file.
    const [state] = walState(app);
    expect(state!.checkpointed).toBe(state!.log);
    const other = new BetterSqlite3(path, { readonly: true });
    try {
      expect(other.prepare("SELECT count(*) AS n FROM item").get()).toEqual({ n: 1500 });
    } finally {
      other.close();
    }
  });

  it("leaves a file on a rollback journal alone (an attached site's choice)", () => {
    const journal = openSqlite(join(dir, "site.db"), { durability: "full" });
    try {
      expect(startSqliteCheckpointer(journal, join(dir, "site.db"))).toBeNull();
      expect(threshold(journal)).toBe(SQLITE_DEFAULT_AUTOCHECKPOINT);
    } finally {
      journal.close();
    }
    expect(startSqliteCheckpointer(new BetterSqlite3(":memory:"), ":memory:")).toBeNull();
  });

  it("gives SQLite's default threshold back when it stops", async () => {
    const checkpointer = startSqliteCheckpointer(app, path)!;
    await checkpointer.close();
    expect(checkpointer.threadId).toBeNull();
    expect(threshold(app)).toBe(SQLITE_DEFAULT_AUTOCHECKPOINT);
    await expect(checkpointer.stats()).rejects.toThrow(/stopped/);
  });

  it("runs for a database opened with backgroundCheckpoints, and stops with it", async () => {
    const db = openDatabase(`file:${join(dir, "opened.db")}`, { backgroundCheckpoints: true });
    if (db.provider !== "sqlite") throw new Error("expected SQLite");
    expect(db.checkpointer?.threadId).toEqual(expect.any(Number));
    expect(threshold(db.sqlite)).toBe(COMMIT_CHECKPOINT_PAGES);
    const checkpointer = db.checkpointer!;
    await db.close();
    expect(checkpointer.threadId).toBeNull();
  });
});
