// The attach chain is derived from the committed migrations: every statement
// must find its owner, and what an attached Django database receives must
// never name, alter or reference Django's tables.
import { describe, expect, it } from "vitest";
import { deriveAttachChain, splitStatements, statementOwners } from "./attach.ts";
import { migrationsDir, readMigrations } from "./migrate.ts";
import { PROJECT_ROOT } from "./setup.ts";

for (const provider of ["sqlite", "postgresql"] as const) {
  describe(`the ${provider} attach chain`, () => {
    const migrations = readMigrations(migrationsDir(PROJECT_ROOT, provider));

    it("places every statement of every committed migration", () => {
      for (const migration of migrations) expect(() => statementOwners(migration.sql), migration.name).not.toThrow();
    });

    it("never touches or references django_session or auth_user", () => {
      for (const chain of [deriveAttachChain(migrations, "sessionscope"), deriveAttachChain(migrations, "shop")]) {
        for (const migration of chain) expect(migration.sql, migration.name).not.toMatch(/"(django_|auth_)/);
      }
    });

    it("keeps SessionScope's statements and leaves out the shop's and Django's", () => {
      const sql = deriveAttachChain(migrations, "sessionscope").map((m) => m.sql).join("\n");
      expect(sql).toContain('CREATE TABLE "sessionscope_session_meta"');
      expect(sql).toContain('"created_estimated"');
      expect(sql).not.toContain('CREATE TABLE "shop_product"');
      expect(sql).not.toContain('CREATE TABLE "django_session"');
      expect(deriveAttachChain(migrations, "shop").map((m) => m.name)).toEqual(["20261125000000_init_shop"]);
    });
  });
}

describe("splitStatements", () => {
  it("keeps a trigger body and a $$ function body whole", () => {
    const sql = `CREATE TRIGGER "t" BEFORE UPDATE ON "sessionscope_a"\nBEGIN\n  SELECT 1;\nEND;\n\nCREATE FUNCTION "sessionscope_f"() AS $$\nBEGIN\n  RAISE EXCEPTION 'x';\nEND;\n$$;\n-- trailing comment\n`;
    expect(splitStatements(sql)).toHaveLength(2);
  });

  it("refuses a statement that touches Django's table and SessionScope's", () => {
    expect(() => statementOwners(`CREATE INDEX "sessionscope_x" ON "django_session"("expire_date");`)).toThrow(/touches sessionscope and django/);
  });
});
