// The SQLite reader on real files: rows and errors come back from its thread,
// a missing file is named and never created, a read that runs too long or a
// thread that dies is replaced by a fresh thread, closing fails what waits.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { sqltag as sql } from "@prisma/client/runtime/client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openSqlite } from "./connection.ts";
import { createSqliteReader, readsBesideWriters, SqliteReadError, sqliteStatement, type SqliteReader } from "./sqlite-reader.ts";

/** A statement that keeps SQLite busy for a second or more. */
const SLOW = "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 5000000) SELECT count(*) AS n FROM c";

describe("the SQLite reader", () => {
  let dir: string;
  let path: string;
  let writer: BetterSqlite3.Database;
  const readers: SqliteReader[] = [];
  const reader = (options?: Parameters<typeof createSqliteReader>[1], at = path) => {
    const made = createSqliteReader(at, options);
    readers.push(made);
    return made;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "sessionscope-reader-"));
    path = join(dir, "app.db");
    writer = openSqlite(path);
    writer.exec("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
    writer.prepare("INSERT INTO item (name) VALUES (?), (?), (?)").run("apple", "pear", "plum");
  });
  afterEach(async () => {
    await Promise.all(readers.splice(0).map((r) => r.close()));
    writer.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("returns the rows of a query with its parameters, and sees what the app's connection committed", async () => {
    const r = reader();
    expect(await r.read("SELECT name FROM item WHERE name > ? ORDER BY name", ["b"])).toEqual([{ name: "pear" }, { name: "plum" }]);
    writer.prepare("INSERT INTO item (name) VALUES (?)").run("quince");
    expect(await r.read("SELECT count(*) AS n FROM item")).toEqual([{ n: 4 }]);
    // A query from Prisma's sql tag: its text with ? placeholders and its values.
    const query = sql`SELECT id FROM item WHERE name = ${"plum"}`;
    const { sql: text, params } = sqliteStatement(query);
    expect(await r.read(text, params)).toEqual([{ id: 3 }]);
  });

  it("runs statements given together in one read transaction: a commit between them is not seen", async () => {
    const r = reader();
    await r.read("SELECT 1"); // the thread is up
    const slowThenCount = r.readAll([
      { sql: SLOW, params: [] },
      { sql: "SELECT count(*) AS n FROM item", params: [] },
    ]);
    // Committed while the batch's first statement runs on the reader's thread.
    await new Promise((resolve) => setTimeout(resolve, 300));
    writer.prepare("INSERT INTO item (name) VALUES (?)").run("quince");
    const [, count] = await Promise.all(slowThenCount);
    expect(count).toEqual([{ n: 3 }]);
    expect(await r.read("SELECT count(*) AS n FROM item")).toEqual([{ n: 4 }]);
  });

  it("passes SQLite's error back as an error with its message and code, and keeps serving", async () => {
    const r = reader();
    const error = await r.read("SELECT nope FROM item").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SqliteReadError);
    expect(error).toMatchObject({ message: "no such column: nope", code: "SQLITE_ERROR" });
    // One bad statement of a batch fails alone.
    const [bad, good] = await Promise.allSettled(r.readAll([{ sql: "SELECT * FROM missing", params: [] }, { sql: "SELECT count(*) AS n FROM item", params: [] }]));
    expect(bad).toMatchObject({ status: "rejected", reason: { message: "no such table: missing" } });
    expect(good).toEqual({ status: "fulfilled", value: [{ n: 3 }] });
  });

  it("refuses to write: its connection is read-only", async () => {
    const r = reader();
    await expect(r.read("DELETE FROM item")).rejects.toThrow("the SQLite reader runs only statements that return rows");
    await expect(r.read("DELETE FROM item RETURNING id")).rejects.toThrow(/readonly/);
    expect(writer.prepare("SELECT count(*) AS n FROM item").get()).toEqual({ n: 3 });
  });

  it("names a missing file, never creates it, and reads it once it exists", async () => {
    const missing = join(dir, "later.db");
    const r = reader({}, missing);
    await expect(r.read("SELECT 1 AS one")).rejects.toThrow(`cannot open the SQLite file ${missing} for reading: unable to open database file`);
    expect(existsSync(missing)).toBe(false);
    openSqlite(missing).close();
    expect(await r.read("SELECT 1 AS one")).toEqual([{ one: 1 }]);
  });

  it("abandons a read that runs longer than its timeout, and the next read runs on a new thread", async () => {
    const r = reader({ timeoutMs: 150 });
    await r.read("SELECT 1");
    const first = r.threadId;
    expect(first).not.toBeNull();
    const error = await r.read(SLOW).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "SqliteReadError", code: "SQLITE_READER_TIMEOUT", message: "the SQLite read took longer than 150 ms and was abandoned" });
    expect(await r.read("SELECT count(*) AS n FROM item")).toEqual([{ n: 3 }]);
    expect(r.threadId).not.toBe(first);
  });

  it("fails the read whose thread died (its heap is capped) and starts a new thread for the next", async () => {
    const r = reader({ maxHeapMb: 16 });
    await r.read("SELECT 1");
    const first = r.threadId;
    // A result far bigger than the thread's heap: the thread dies, not the process.
    const huge = "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 5000) SELECT i, hex(zeroblob(100000)) AS pad FROM c";
    const error = await r.read(huge).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "SqliteReadError", code: "SQLITE_READER_DIED" });
    expect((error as Error).message).toMatch(/^the SQLite reader's thread stopped during the read: .*memory/);
    expect(await r.read("SELECT count(*) AS n FROM item")).toEqual([{ n: 3 }]);
    expect(r.threadId).not.toBe(first);
  }, 60_000);

  it("queues reads one at a time; closing fails the waiting ones and every later one", async () => {
    const r = reader();
    const running = expect(r.read(SLOW)).rejects.toMatchObject({ code: "SQLITE_READER_CLOSED" });
    const waiting = expect(r.read("SELECT 1 AS one")).rejects.toMatchObject({ code: "SQLITE_READER_CLOSED" });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await r.close();
    await running;
    await waiting;
    await expect(r.read("SELECT 1")).rejects.toThrow("the SQLite reader is closed");
    expect(r.threadId).toBeNull();
  });

  it("binds text, numbers, bigints, blobs and null; a Date must be formatted first", async () => {
    const r = reader();
    expect(await r.read("SELECT ? AS t, ? AS n, ? AS b, ? AS z, hex(?) AS x", ["a", 1.5, 2n, null, Buffer.from([1, 2])])).toEqual([{ t: "a", n: 1.5, b: 2, z: null, x: "0102" }]);
    await expect(r.read("SELECT ?", [new Date() as never])).rejects.toThrow("a SQLite read cannot bind a Date (format it as the column stores it)");
  });

  it("reads beside writers only in WAL mode, on a file", () => {
    expect(readsBesideWriters(writer, path)).toBe(true);
    const rollback = openSqlite(join(dir, "django.db"), { durability: "full" });
    try {
      expect(readsBesideWriters(rollback, join(dir, "django.db"))).toBe(false);
    } finally {
      rollback.close();
    }
    const memory = openSqlite(":memory:");
    try {
      expect(readsBesideWriters(memory, ":memory:")).toBe(false);
    } finally {
      memory.close();
    }
  });
});
