// Attach mode on databases made by real Django (manage.py migrate): Django's
// tables come out of SessionScope's start-up exactly as they went in, only
// sessionscope_* tables are added (the shop's only when asked), and a
// database without Django's tables is refused with what was found.
import { existsSync, writeFileSync } from "node:fs";
import { expect, it } from "vitest";
import { openDatabase, type Database } from "../../lib/node/db/connection.ts";
import { AttachError, inspectDjangoTables } from "../../lib/node/db/attach.ts";
import { migrationExecutor } from "../../lib/node/db/connection.ts";
import { setupDatabase } from "../../lib/node/db/setup.ts";
import { djangoAvailable } from "../helpers/django.ts";
import { createDjangoSessions, emptyDatabasesFor, migrateDjangoSite } from "../helpers/django-database.ts";
import { describeWithServices } from "../helpers/register.ts";
import type { Service } from "../helpers/services.ts";

const SECRET = "django-site-secret-key-for-attach-tests-0123456789-abcdefghijklmnop";
const hasDjango = djangoAvailable();

async function withDb<T>(url: string, fn: (db: Database) => Promise<T>): Promise<T> {
  const db = openDatabase(url, { durability: "site" });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

async function tableNames(url: string): Promise<string[]> {
  return withDb(url, async (db) => {
    if (db.provider === "sqlite") {
      return (db.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);
    }
    const { rows } = await db.pool.query("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name");
    return rows.map((r: { table_name: string }) => r.table_name);
  });
}

async function countRows(url: string, table: string): Promise<number> {
  return withDb(url, async (db) => {
    if (db.provider === "sqlite") return (db.sqlite.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n;
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM "${table}"`);
    return (rows[0] as { n: number }).n;
  });
}

/** Everything about the tables SessionScope does not own: definitions, columns, indexes, constraints, triggers, and their rows. */
async function djangoSnapshot(url: string): Promise<unknown> {
  return withDb(url, async (db) => {
    if (db.provider === "sqlite") {
      const objects = db.sqlite
        .prepare("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE tbl_name NOT LIKE 'sessionscope_%' AND tbl_name NOT LIKE 'shop_%' ORDER BY type, name")
        .all();
      return {
        objects,
        journal: db.sqlite.pragma("journal_mode", { simple: true }),
        sessions: db.sqlite.prepare("SELECT * FROM django_session ORDER BY session_key").all(),
        users: db.sqlite.prepare("SELECT * FROM auth_user ORDER BY id").all(),
      };
    }
    const q = async (sql: string) => (await db.pool.query(sql)).rows;
    const notOurs = "NOT SIMILAR TO '(sessionscope|shop)\\_%'";
    return {
      columns: await q(`SELECT table_name, column_name, data_type, character_maximum_length, is_nullable, column_default, is_identity
        FROM information_schema.columns WHERE table_schema = current_schema() AND table_name ${notOurs} ORDER BY table_name, column_name`),
      indexes: await q(`SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename ${notOurs} ORDER BY indexname`),
      constraints: await q(`SELECT conrelid::regclass::text AS tbl, conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
        WHERE connamespace = current_schema()::regnamespace AND conrelid::regclass::text ${notOurs} ORDER BY conname`),
      // Includes the internal triggers a foreign key into auth_user would add.
      triggers: await q(`SELECT tgrelid::regclass::text AS tbl, tgname FROM pg_trigger WHERE tgrelid::regclass::text ${notOurs} ORDER BY tgname`),
      sessions: await q("SELECT session_key, session_data, expire_date FROM django_session ORDER BY session_key"),
      users: await q("SELECT * FROM auth_user ORDER BY id"),
    };
  });
}

for (const provider of ["sqlite", "postgresql"] as const) {
  const needs: Service[] = provider === "postgresql" ? ["postgresql"] : [];
  describeWithServices(`attach mode on a Django-made ${provider} database`, needs, () => {
    const fresh = emptyDatabasesFor(provider);

    const itDjango = hasDjango ? it : it.skip;

    itDjango("leaves Django's tables exactly as Django made them and adds only sessionscope_* tables", async () => {
      const site = await fresh();
      migrateDjangoSite(site);
      createDjangoSessions(site, SECRET, { users: [{ username: "ada", password: "pw-ada-123" }], sessions: [{ username: "ada" }, { data: { cart: [1, 2] } }] });
      const before = await djangoSnapshot(site.url);
      const tablesBefore = await tableNames(site.url);

      const first = await setupDatabase(site.url, { seed: true, production: false, attach: { shop: false } });
      const again = await setupDatabase(site.url, { seed: true, production: false, attach: { shop: false } });

      expect(first.migrate.applied.length).toBeGreaterThan(0);
      expect(again.migrate.applied).toEqual([]);
      expect(await djangoSnapshot(site.url)).toEqual(before);
      const added = (await tableNames(site.url)).filter((name) => !tablesBefore.includes(name));
      expect(added.sort()).toEqual([
        "sessionscope_activity", "sessionscope_audit", "sessionscope_cache_outbox", "sessionscope_migrations", "sessionscope_policy", "sessionscope_session_count",
        "sessionscope_session_meta", "sessionscope_session_sighting", "sessionscope_stats_snapshot", "sessionscope_user_role",
      ]);
      // The session counter's triggers stay in SessionScope's own database: Django's table keeps none (the snapshot above), and the counter is empty.
      expect(await countRows(site.url, "sessionscope_session_count")).toBe(0);
    });

    itDjango("creates the shop's tables and catalogue only with the shop asked for, and never demo accounts", async () => {
      const site = await fresh();
      migrateDjangoSite(site);
      const before = await djangoSnapshot(site.url);
      const result = await setupDatabase(site.url, { seed: true, production: false, attach: { shop: true } });
      expect(result.seed?.products).toBeGreaterThan(0);
      expect(result.seed?.users).toBe(0);
      expect(await tableNames(site.url)).toEqual(expect.arrayContaining(["shop_product", "shop_order", "shop_order_line"]));
      expect(await djangoSnapshot(site.url)).toEqual(before);
    });

    it("refuses a database without Django's tables, says what it found, and creates nothing", async () => {
      const site = await fresh();
      if (site.spec.engine === "sqlite") {
        // A mistyped path is named as such, and no empty file is left behind.
        await expect(setupDatabase(site.url, { seed: false, production: false, attach: { shop: false } })).rejects.toThrow(/no SQLite database at .*db\.sqlite3/);
        expect(existsSync(site.spec.path)).toBe(false);
        writeFileSync(site.spec.path, "");
      }
      const refusal = await setupDatabase(site.url, { seed: true, production: false, attach: { shop: false } }).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(AttachError);
      expect((refusal as Error).message).toContain("django_session: table missing");
      expect((refusal as Error).message).toContain("auth_user: table missing");
      expect((refusal as Error).message).toContain("python manage.py migrate");
      expect(await tableNames(site.url)).toEqual([]);
    });

    it("names a missing column, a mistyped column and a missing expiry index", async () => {
      const site = await fresh();
      if (site.spec.engine === "sqlite") writeFileSync(site.spec.path, "");
      const datetime = provider === "sqlite" ? "datetime" : "timestamp with time zone";
      await withDb(site.url, async (db) => {
        const sql = `CREATE TABLE django_session (session_key varchar(40) PRIMARY KEY, session_data text NOT NULL);
          CREATE TABLE auth_user (id integer PRIMARY KEY, password varchar(128), last_login ${datetime}, is_superuser bool, username varchar(150),
            first_name varchar(150), last_name varchar(150), email varchar(254), is_staff bool, is_active bool, date_joined text)`;
        if (db.provider === "sqlite") db.sqlite.exec(sql);
        else await db.pool.query(sql);
        const report = await migrationExecutor(db).withLock((connection) => inspectDjangoTables(connection));
        expect(report.problems).toEqual([
          "django_session.expire_date: column missing",
          'auth_user.date_joined: type "text", expected a date-time',
          expect.stringContaining("django_session.expire_date: no index"),
        ]);
      });
      await expect(setupDatabase(site.url, { seed: false, production: false, attach: { shop: false } })).rejects.toThrow(/django_session\.expire_date: column missing/);
      expect(await tableNames(site.url)).toEqual(["auth_user", "django_session"]);
    });
  });
}
