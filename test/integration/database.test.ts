import { afterAll, beforeAll, expect, it } from "vitest";
import { migrationExecutor, openDatabase } from "../../lib/node/db/connection.ts";
import { PROJECT_ROOT, migrateDatabase } from "../../lib/node/db/setup.ts";
import { migrationsDir, readMigrations } from "../../lib/node/db/migrate.ts";
import { seedDemoData } from "../../lib/node/db/seed.ts";
import { verifyPassword } from "../../lib/session/index.ts";
import { CATALOGUE, DEMO_ACCOUNTS } from "../../lib/node/db/catalogue.ts";
import { DATABASES } from "../helpers/backends.ts";
import { createPostgresDatabase, type TestDatabase } from "../helpers/databases.ts";
import { describeWithServices } from "../helpers/register.ts";
import { requireServiceUrl } from "../helpers/services.ts";

interface Column {
  name: string;
  type: string;
  notnull: boolean;
  pk: boolean;
}

async function sessionColumns(t: TestDatabase): Promise<Column[]> {
  const { db } = t;
  if (db.provider === "sqlite") {
    const rows = db.sqlite.prepare(`PRAGMA table_info("django_session")`).all() as Array<{ name: string; type: string; notnull: number; pk: number }>;
    return rows.map((r) => ({ name: r.name, type: r.type.toLowerCase(), notnull: r.notnull === 1, pk: r.pk > 0 }));
  }
  const { rows } = await db.pool.query(`
    SELECT c.column_name AS name,
           c.data_type || COALESCE('(' || c.character_maximum_length || ')', '') AS type,
           c.is_nullable = 'NO' AS notnull,
           EXISTS (SELECT 1 FROM information_schema.key_column_usage k
                   JOIN information_schema.table_constraints t ON t.constraint_name = k.constraint_name
                   WHERE t.constraint_type = 'PRIMARY KEY' AND k.table_name = c.table_name AND k.column_name = c.column_name) AS pk
    FROM information_schema.columns c WHERE c.table_name = 'django_session' ORDER BY c.ordinal_position`);
  return rows as Column[];
}

for (const database of DATABASES) {
  describeWithServices(`database on ${database.name}`, database.needs, () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await database.open();
    });
    afterAll(async () => {
      await t?.dispose();
    });

    it("creates Django's django_session table", async () => {
      const columns = await sessionColumns(t);
      expect(columns.map((c) => c.name)).toEqual(["session_key", "session_data", "expire_date"]);
      const [key, data, expire] = columns;
      expect(key).toMatchObject({ pk: true, notnull: true });
      expect(data).toMatchObject({ notnull: true });
      expect(expire).toMatchObject({ notnull: true });
      if (t.db.provider === "postgresql") {
        expect(columns.map((c) => c.type)).toEqual(["character varying(40)", "text", "timestamp with time zone"]);
      } else {
        expect(columns.map((c) => c.type)).toEqual(["text", "text", "datetime"]);
      }
    });

    it("records the migration in Prisma's _prisma_migrations table and is idempotent", async () => {
      const again = await migrateDatabase(t.db);
      expect(again.applied).toEqual([]);
      expect(again.alreadyApplied).toBeGreaterThan(0);
      const rows = await migrationExecutor(t.db).withLock((c) =>
        c.query<{ migration_name: string; checksum: string; finished_at: unknown }>(
          `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations"`,
        ),
      );
      expect(rows.length).toBe(again.alreadyApplied);
      for (const row of rows) {
        expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
        expect(row.finished_at).not.toBeNull();
      }
    });

    it("seeds the catalogue and demo accounts once, with Django password hashes", async () => {
      const first = await seedDemoData(t.db.prisma, { production: false });
      expect(first).toEqual({ products: CATALOGUE.length, users: DEMO_ACCOUNTS.length });
      const second = await seedDemoData(t.db.prisma, { production: false });
      expect(second).toEqual({ products: 0, users: 0 });
      const admin = await t.db.prisma.authUser.findUniqueOrThrow({ where: { username: "admin" }, include: { role: true } });
      expect(admin.role?.role).toBe("admin");
      expect(admin.password).toMatch(/^pbkdf2_sha256\$\d+\$/);
      expect(await verifyPassword("demo-admin", admin.password)).toBe(true);
    }, 30_000);

    it("refuses to seed demo accounts in production", async () => {
      await expect(seedDemoData(t.db.prisma, { production: true })).rejects.toThrow(/production/);
    });

    it("serves the shop's models through Prisma", async () => {
      const products = await t.db.prisma.product.findMany({ orderBy: { id: "asc" } });
      expect(products.map((p) => p.slug)).toEqual(CATALOGUE.map((c) => c.slug));
      const user = await t.db.prisma.authUser.findUniqueOrThrow({ where: { username: "alice" } });
      const order = await t.db.prisma.order.create({
        data: {
          userId: user.id,
          totalCents: 2800,
          createdAt: new Date(),
          lines: { create: [{ productId: products[0]!.id, quantity: 2, priceCents: 1400 }] },
        },
        include: { lines: true },
      });
      expect(order.lines).toHaveLength(1);
      await t.db.prisma.order.delete({ where: { id: order.id } });
    });
  });
}

describeWithServices("migrations under concurrency", ["postgresql"], () => {
  it("lets two servers start at once against one PostgreSQL database", async () => {
    const t = await createPostgresDatabase(requireServiceUrl("postgresql"));
    try {
      // Fresh database: drop what createPostgresDatabase applied, then race two migrators.
      if (t.db.provider !== "postgresql") throw new Error("expected PostgreSQL");
      await t.db.pool.query(`DROP SCHEMA public CASCADE; CREATE SCHEMA public`);
      const a = openDatabase(t.url);
      const b = openDatabase(t.url);
      const results = await Promise.all([migrateDatabase(a), migrateDatabase(b)]);
      await Promise.all([a.close(), b.close()]);
      // Exactly one server applies each migration; the other finds it done.
      const total = readMigrations(migrationsDir(PROJECT_ROOT, "postgresql")).length;
      expect(results.map((r) => r.applied.length).sort()).toEqual([0, total]);
    } finally {
      await t.dispose();
    }
  });
});
