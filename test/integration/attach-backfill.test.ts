// Metadata for the sessions real Django wrote: user, estimated creation,
// undecodable ones marked, Django's rows untouched, then incremental passes.
import { afterEach, expect, it } from "vitest";
import { runDjangoBackfill } from "../../cli/django.ts";
import type { CliIo } from "../../cli/io.ts";
import { backfillRecentSessionMeta, backfillSessionMeta, scheduleBackfill } from "../../lib/node/admin/backfill.ts";
import { openDatabase, type Database } from "../../lib/node/db/connection.ts";
import { setupDatabase } from "../../lib/node/db/setup.ts";
import { createSessionCodec, parseSqliteDate } from "../../lib/session/index.ts";
import { djangoAvailable } from "../helpers/django.ts";
import { createDjangoSessions, createEmptyDatabase, migrateDjangoSite, type DjangoDatabase } from "../helpers/django-database.ts";
import { describeWithServices } from "../helpers/register.ts";
import { requireServiceUrl, type Service } from "../helpers/services.ts";

const KEY = "django-site-secret-key-for-backfill-0123456789-abcdefghijklmnopqrs";
const OTHER_KEY = "some-other-site-key-for-backfill-0123456789-abcdefghijklmnopqrstu";
const COOKIE_AGE = 1_209_600;
const hasDjango = djangoAvailable();

async function rows(db: Database, sql: string): Promise<Array<Record<string, unknown>>> {
  if (db.provider === "sqlite") return db.sqlite.prepare(sql).all() as Array<Record<string, unknown>>;
  return (await db.pool.query(sql)).rows;
}

const asDate = (value: unknown) => (value instanceof Date ? value : parseSqliteDate(value));

for (const provider of ["sqlite", "postgresql"] as const) {
  const needs: Service[] = provider === "postgresql" ? ["postgresql"] : [];
  describeWithServices(`backfilling Django's sessions on ${provider}`, needs, () => {
    const created: Array<{ site: DjangoDatabase; db: Database }> = [];
    afterEach(async () => {
      for (const { site, db } of created.splice(0)) {
        await db.close();
        await site.dispose();
      }
    });
    const itDjango = hasDjango ? it : it.skip;

    itDjango("gives each Django session its user, an estimated creation and the undecodable mark, leaving Django's rows alone", async () => {
      const site = await createEmptyDatabase(provider, provider === "postgresql" ? requireServiceUrl("postgresql") : undefined);
      migrateDjangoSite(site);
      const users = [{ username: "ada", password: "pw-ada-123" }];
      const made = createDjangoSessions(site, KEY, { users, sessions: [{ username: "ada" }, { data: { cart: [3] } }] });
      const [foreign] = createDjangoSessions(site, OTHER_KEY, { sessions: [{ data: { x: 1 } }] });
      await setupDatabase(site.url, { seed: false, production: false, attach: { shop: false } });
      const db = openDatabase(site.url, { durability: "site" });
      created.push({ site, db });
      const before = await rows(db, "SELECT * FROM django_session ORDER BY session_key");

      const codec = createSessionCodec({ secretKey: KEY });
      const progress: number[] = [];
      const first = await backfillSessionMeta(db, { codec, cookieAge: COOKIE_AGE, engine: "db", batchSize: 2, onProgress: (n) => progress.push(n) });
      expect(first).toEqual({ written: 3, undecodable: 1, removed: 0 });
      expect(progress).toEqual([2, 3]);
      expect(await rows(db, "SELECT * FROM django_session ORDER BY session_key")).toEqual(before);

      const meta = new Map((await rows(db, "SELECT * FROM sessionscope_session_meta")).map((row) => [row.session_key as string, row]));
      const expiry = new Map(before.map((row) => [row.session_key as string, asDate(row.expire_date)]));
      const ada = meta.get(made[0]!.key)!;
      expect(ada.user_id).toBe(made[0]!.user_id);
      expect(asDate(ada.created_at).getTime()).toBe(expiry.get(made[0]!.key)!.getTime() - COOKIE_AGE * 1000);
      expect(Boolean(ada.created_estimated)).toBe(true);
      expect([ada.ip, ada.user_agent, ada.device, ada.last_activity]).toEqual([null, null, null, null]);
      expect(meta.get(made[1]!.key)!.user_id).toBeNull();
      expect(Boolean(meta.get(made[1]!.key)!.undecodable)).toBe(false);
      expect(Boolean(meta.get(foreign!.key)!.undecodable)).toBe(true);

      // Incremental: nothing new, then a session Django adds, and one Django deletes (a logout).
      expect(await backfillSessionMeta(db, { codec, cookieAge: COOKIE_AGE, engine: "db" })).toEqual({ written: 0, undecodable: 0, removed: 0 });
      const [later] = createDjangoSessions(site, KEY, { users, sessions: [{ username: "ada" }] });
      if (db.provider === "sqlite") db.sqlite.prepare("DELETE FROM django_session WHERE session_key = ?").run(made[1]!.key);
      else await db.pool.query("DELETE FROM django_session WHERE session_key = $1", [made[1]!.key]);
      expect(await backfillSessionMeta(db, { codec, cookieAge: COOKIE_AGE, engine: "db" })).toEqual({ written: 1, undecodable: 0, removed: 1 });
      const keys = (await rows(db, "SELECT session_key FROM sessionscope_session_meta ORDER BY session_key")).map((row) => row.session_key);
      expect(keys).toEqual([made[0]!.key, foreign!.key, later!.key].sort());
    });

    itDjango("picks up the sessions Django just wrote through the expiry index, and the schedule catches up when asked", async () => {
      const site = await createEmptyDatabase(provider, provider === "postgresql" ? requireServiceUrl("postgresql") : undefined);
      migrateDjangoSite(site);
      const users = [{ username: "cy", password: "pw-cy-12345" }];
      const [old] = createDjangoSessions(site, KEY, { users, sessions: [{ username: "cy" }] });
      await setupDatabase(site.url, { seed: false, production: false, attach: { shop: false } });
      const db = openDatabase(site.url, { durability: "site" });
      created.push({ site, db });
      const codec = createSessionCodec({ secretKey: KEY });
      const options = { codec, cookieAge: COOKIE_AGE, engine: "db" as const };
      const metaKeys = async () => (await rows(db, "SELECT session_key FROM sessionscope_session_meta ORDER BY session_key")).map((row) => row.session_key);

      // A session saved an hour before `since` is outside the quick pass's range; one saved since is inside.
      if (db.provider === "sqlite") db.sqlite.prepare("UPDATE django_session SET expire_date = datetime(expire_date, '-1 hour') WHERE session_key = ?").run(old!.key);
      else await db.pool.query("UPDATE django_session SET expire_date = expire_date - interval '1 hour' WHERE session_key = $1", [old!.key]);
      expect(await backfillRecentSessionMeta(db, { ...options, since: new Date(Date.now() - 5 * 60_000) })).toEqual({ written: 0, undecodable: 0 });
      const [fresh] = createDjangoSessions(site, KEY, { users, sessions: [{ username: "cy" }] });
      const [foreign] = createDjangoSessions(site, OTHER_KEY, { sessions: [{ data: { y: 2 } }] });
      expect(await backfillRecentSessionMeta(db, { ...options, since: new Date(Date.now() - 5 * 60_000), batchSize: 1 })).toEqual({ written: 2, undecodable: 1 });
      expect(await metaKeys()).toEqual([fresh!.key, foreign!.key].sort());

      // The schedule: a quick pass on demand (the dashboard's listing), every time, so the newest save is listed; the full pass later gets the old one.
      const written: number[] = [];
      let clock = Date.now();
      const schedule = scheduleBackfill(db, { ...options, quickIntervalMs: 3_600_000, fullIntervalMs: 60_000, startedAt: new Date(clock - 1_000), now: () => new Date(clock), onWritten: (n) => written.push(n) });
      try {
        const [next] = createDjangoSessions(site, KEY, { users, sessions: [{ username: "cy" }] });
        await schedule.catchUp();
        expect(await metaKeys()).toContain(next!.key);
        const [soon] = createDjangoSessions(site, KEY, { users, sessions: [{ username: "cy" }] });
        // Even within the same millisecond of the last pass: the listing that follows a save shows it.
        await Promise.all([schedule.catchUp(), schedule.catchUp()]);
        expect(await metaKeys()).toContain(soon!.key);
        expect(await metaKeys()).not.toContain(old!.key);
        clock += 61_000;
        await schedule.catchUp(); // a minute on: the full pass, which also finds the session saved an hour "earlier"
        expect(await metaKeys()).toEqual([old!.key, fresh!.key, foreign!.key, next!.key, soon!.key].sort());
        expect(written).toEqual([1, 1, 1]);
      } finally {
        schedule.stop();
      }
    });

    itDjango("runs from the command line and reports what it did", async () => {
      const site = await createEmptyDatabase(provider, provider === "postgresql" ? requireServiceUrl("postgresql") : undefined);
      migrateDjangoSite(site);
      createDjangoSessions(site, KEY, { users: [{ username: "bo", password: "pw-bo-1234" }], sessions: [{ username: "bo" }, {}] });
      await setupDatabase(site.url, { seed: false, production: false, attach: { shop: false } });
      created.push({ site, db: openDatabase(site.url, { durability: "site" }) });
      const out: string[] = [];
      const io: CliIo = { stdout: (line) => out.push(line), stderr: (line) => out.push(line), now: () => new Date() };
      const env = { DATABASE_URL: site.url, SESSIONSCOPE_ATTACH: "django", SESSION_SECRET_KEY: KEY };
      expect(await runDjangoBackfill(["--batch-size", "1"], env, io)).toBe(0);
      expect(out).toEqual(["Filled in metadata for 2 sessions (0 undecodable); removed 0 orphaned rows."]);
      expect(await runDjangoBackfill(["--batch-size", "0"], env, io)).toBe(2);
    });
  });
}
