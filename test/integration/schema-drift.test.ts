// The committed migrations must build exactly what prisma/schema.prisma
// describes, on both providers: every model's table, every field's column
// with its nullability, every unique and index. Catches a schema change
// that was not given a migration (they are written by hand here, since
// Prisma's migrate engine cannot run on these machines).
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DATABASES } from "../helpers/backends.ts";
import type { TestDatabase } from "../helpers/databases.ts";
import { describeWithServices } from "../helpers/register.ts";

interface ModelSpec {
  readonly table: string;
  readonly columns: Map<string, { nullable: boolean }>;
  /** Column lists that must carry an index (unique or not). */
  readonly indexes: string[][];
}

const SCALARS = new Set(["String", "Int", "BigInt", "Boolean", "DateTime", "Float", "Decimal", "Json", "Bytes"]);

export function parseSchema(text: string): ModelSpec[] {
  const models: ModelSpec[] = [];
  for (const match of text.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) {
    const body = match[2]!;
    const columns = new Map<string, { nullable: boolean }>();
    const fieldToColumn = new Map<string, string>();
    const indexes: string[][] = [];
    for (const line of body.split("\n").map((l) => l.trim())) {
      const field = /^(\w+)\s+(\w+)(\?|\[\])?(.*)$/.exec(line);
      if (!field || line.startsWith("@@")) continue;
      const [, name, type, modifier, rest] = field as unknown as [string, string, string, string | undefined, string];
      if (!SCALARS.has(type) || modifier === "[]") continue;
      const column = /@map\("([^"]+)"\)/.exec(rest)?.[1] ?? name;
      fieldToColumn.set(name, column);
      columns.set(column, { nullable: modifier === "?" });
      if (/@unique|@id/.test(rest)) indexes.push([column]);
    }
    for (const index of body.matchAll(/@@(?:index|unique)\(\[([^\]]+)\]/g)) {
      const fields = index[1]!.split(",").map((f) => f.trim().replace(/\(.*\)$/, ""));
      indexes.push(fields.map((f) => fieldToColumn.get(f) ?? f));
    }
    const table = /@@map\("([^"]+)"\)/.exec(body)?.[1] ?? match[1]!;
    models.push({ table, columns, indexes });
  }
  return models;
}

async function actualColumns(t: TestDatabase, table: string): Promise<Map<string, { nullable: boolean }>> {
  if (t.db.provider === "sqlite") {
    const rows = t.db.sqlite.prepare(`PRAGMA table_info("${table}")`).all() as Array<{ name: string; notnull: number; pk: number }>;
    return new Map(rows.map((r) => [r.name, { nullable: r.notnull === 0 && r.pk === 0 }]));
  }
  const { rows } = await t.db.pool.query(`SELECT column_name, is_nullable FROM information_schema.columns WHERE table_name = $1`, [table]);
  return new Map(rows.map((r: { column_name: string; is_nullable: string }) => [r.column_name, { nullable: r.is_nullable === "YES" }]));
}

async function actualIndexes(t: TestDatabase, table: string): Promise<string[][]> {
  if (t.db.provider === "sqlite") {
    const list = t.db.sqlite.prepare(`PRAGMA index_list("${table}")`).all() as Array<{ name: string }>;
    const { sqlite } = t.db;
    const indexes = list.map((i) => (sqlite.prepare(`PRAGMA index_info("${i.name}")`).all() as Array<{ name: string }>).map((c) => c.name));
    // An INTEGER PRIMARY KEY is the rowid itself and has no separate index.
    const pk = (t.db.sqlite.prepare(`PRAGMA table_info("${table}")`).all() as Array<{ name: string; pk: number }>).filter((c) => c.pk > 0).map((c) => c.name);
    return [...indexes, pk];
  }
  const { rows } = await t.db.pool.query(
    `SELECT array_agg(a.attname::text ORDER BY k.n) AS columns
       FROM pg_index i
       JOIN pg_class c ON c.oid = i.indrelid
       CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
      WHERE c.relname = $1
      GROUP BY i.indexrelid`,
    [table],
  );
  return rows.map((r: { columns: string[] }) => r.columns);
}

const schema = parseSchema(readFileSync(new URL("../../prisma/schema.prisma", import.meta.url), "utf8"));
const sqliteSchema = parseSchema(readFileSync(new URL("../../prisma/sqlite/schema.prisma", import.meta.url), "utf8"));

it("the SQLite schema describes the same tables and columns as the source schema", () => {
  expect(sqliteSchema.map((m) => [m.table, [...m.columns]])).toEqual(schema.map((m) => [m.table, [...m.columns]]));
  expect(schema.length).toBeGreaterThanOrEqual(8);
});

for (const database of DATABASES) {
  describeWithServices(`migrations on ${database.name} match prisma/schema.prisma`, database.needs, () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await database.open();
    });
    afterAll(async () => {
      await t?.dispose();
    });

    it.each(schema.map((model) => [model.table, model]))("table %s has every column, nullable as declared, and every index", async (_table, model) => {
      const columns = await actualColumns(t, model.table);
      expect([...columns.keys()].sort()).toEqual([...model.columns.keys()].sort());
      for (const [name, spec] of model.columns) expect(columns.get(name), `${model.table}.${name}`).toEqual(spec);
      const indexes = (await actualIndexes(t, model.table)).map((cols) => cols.join(","));
      for (const wanted of model.indexes) expect(indexes, `${model.table} index on ${wanted.join(",")}`).toContain(wanted.join(","));
    });
  });
}
