import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openSqlite } from "./connection.ts";

describe("a SQLite database SessionScope creates", () => {
  let root = "";
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "sessionscope-sqlite-perm-"));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("is readable by its owner only, in a folder only its owner can enter: django_session holds every live key", () => {
    const path = join(root, "var", "app.db");
    const db = openSqlite(path);
    db.exec("CREATE TABLE t (x)");
    db.close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(root, "var")).mode & 0o777).toBe(0o700);
  });

  it("keeps the permissions of a database file made beforehand", () => {
    const path = join(root, "made-before.db");
    writeFileSync(path, "", { mode: 0o640 });
    openSqlite(path).close();
    expect(statSync(path).mode & 0o777).toBe(0o640);
  });
});
