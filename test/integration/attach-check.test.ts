// `sessionscope django check` against databases made by real Django: what it
// reports about tables and keys, its exit status, and that it writes nothing.
import { readFileSync, writeFileSync } from "node:fs";
import { expect, it } from "vitest";
import { runDjangoCheck } from "../../cli/django.ts";
import type { CliIo } from "../../cli/io.ts";
import { setupDatabase } from "../../lib/node/db/setup.ts";
import { djangoAvailable } from "../helpers/django.ts";
import { createDjangoSessions, emptyDatabasesFor, migrateDjangoSite, type DjangoDatabase } from "../helpers/django-database.ts";
import { describeWithServices } from "../helpers/register.ts";
import type { Service } from "../helpers/services.ts";

const OLD_KEY = "django-site-old-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz";
const NEW_KEY = "django-site-new-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz";
const hasDjango = djangoAvailable();

async function check(site: DjangoDatabase, env: Record<string, string>, argv: string[] = []) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (line) => out.push(line), stderr: (line) => err.push(line), now: () => new Date() };
  const code = await runDjangoCheck(argv, { DATABASE_URL: site.url, SESSIONSCOPE_ATTACH: "django", ...env }, io);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

for (const provider of ["sqlite", "postgresql"] as const) {
  const needs: Service[] = provider === "postgresql" ? ["postgresql"] : [];
  describeWithServices(`django check on a Django-made ${provider} database`, needs, () => {
    const fresh = emptyDatabasesFor(provider);
    const itDjango = hasDjango ? it : it.skip;

    async function siteWithRotatedKey() {
      const site = await fresh();
      migrateDjangoSite(site);
      const users = [{ username: "ada", password: "pw-ada-123" }];
      createDjangoSessions(site, OLD_KEY, { users, sessions: [{ username: "ada" }, { data: { a: 1 } }, { data: { b: 2 } }] });
      createDjangoSessions(site, NEW_KEY, { users, sessions: [{ username: "ada" }, { data: { c: 3 } }] });
      return site;
    }

    itDjango("counts the sessions each key verifies, and is ready with the site's key and its fallback", async () => {
      const site = await siteWithRotatedKey();
      const bytes = provider === "sqlite" ? readFileSync(site.spec.engine === "sqlite" ? site.spec.path : "") : null;
      const result = await check(site, { SESSION_SECRET_KEY: NEW_KEY, SESSION_SECRET_KEY_FALLBACKS: OLD_KEY });
      expect(result.out).toContain("5 sessions sampled: 2 verify with SESSION_SECRET_KEY, 3 with a fallback key, 0 only in a legacy format, 0 with no key");
      expect(result.out).toMatch(/django_session\s+present, Django's shape/);
      expect(result.out).toMatch(/auth_user\s+present, Django's shape/);
      expect(result.out).toMatch(/sessionscope_\*\s+to be created at start-up/);
      expect(result.out).toContain("OK: ready to attach.");
      expect(result.code).toBe(0);
      // It wrote nothing: not a table, not a byte.
      if (bytes && site.spec.engine === "sqlite") expect(readFileSync(site.spec.path).equals(bytes)).toBe(true);
      else expect((await check(site, { SESSION_SECRET_KEY: NEW_KEY, SESSION_SECRET_KEY_FALLBACKS: OLD_KEY })).out).toMatch(/to be created at start-up/);
    });

    itDjango("says so when the key opens none of the sampled sessions (exit 1)", async () => {
      const site = await siteWithRotatedKey();
      const result = await check(site, { SESSION_SECRET_KEY: "not-the-site-key-0123456789-abcdefghijklmnopqrstuvwxyz-0123" }, ["--sample", "4"]);
      expect(result.out).toContain("4 sessions sampled: 0 verify with SESSION_SECRET_KEY, 0 with a fallback key, 0 only in a legacy format, 4 with no key");
      expect(result.out).toContain("none of the 4 sampled sessions verifies with SESSION_SECRET_KEY or SESSION_SECRET_KEY_FALLBACKS");
      expect(result.code).toBe(1);
    });

    itDjango("reports the PBKDF2 work factor of Django's password hashes and warns when PASSWORD_PBKDF2_ITERATIONS differs (exit still 0)", async () => {
      const site = await siteWithRotatedKey(); // ada, made by Django 3.2's hasher: 260000 iterations
      const env = { SESSION_SECRET_KEY: NEW_KEY, SESSION_SECRET_KEY_FALLBACKS: OLD_KEY };
      const mismatched = await check(site, env);
      expect(mismatched.out).toContain("1 user sampled (last logins first), PBKDF2 iterations: 1 at 260000; SessionScope hashes with 600000");
      expect(mismatched.out).toContain("1 warning:");
      expect(mismatched.out).toContain("set PASSWORD_PBKDF2_ITERATIONS=260000");
      expect(mismatched.code).toBe(0);
      const matched = await check(site, { ...env, PASSWORD_PBKDF2_ITERATIONS: "260000" });
      expect(matched.out).toContain("PBKDF2 iterations: 1 at 260000; SessionScope hashes with 260000");
      expect(matched.out).not.toContain("warning");
      expect(matched.code).toBe(0);
    });

    itDjango("sees SessionScope's own tables once start-up has made them", async () => {
      const site = await siteWithRotatedKey();
      await setupDatabase(site.url, { seed: false, production: false, attach: { shop: false } });
      const result = await check(site, { SESSION_SECRET_KEY: NEW_KEY, SESSION_SECRET_KEY_FALLBACKS: OLD_KEY });
      expect(result.out).toMatch(/sessionscope_\*\s+present, up to date/);
      expect(result.code).toBe(0);
    });

    it("reports Django's tables missing (exit 1) and refuses a bad option (exit 2)", async () => {
      const site = await fresh();
      if (site.spec.engine === "sqlite") writeFileSync(site.spec.path, ""); // an empty SQLite database
      const result = await check(site, { SESSION_SECRET_KEY: NEW_KEY });
      expect(result.out).toMatch(/django_session\s+MISSING/);
      expect(result.out).toMatch(/auth_user\s+MISSING/);
      expect(result.code).toBe(1);
      expect((await check(site, { SESSION_SECRET_KEY: NEW_KEY }, ["--sample", "0"])).code).toBe(2);
    });
  });
}

it("reports an unreachable database (exit 1)", async () => {
  const out: string[] = [];
  const io: CliIo = { stdout: (line) => out.push(line), stderr: () => {}, now: () => new Date() };
  const code = await runDjangoCheck([], { DATABASE_URL: "file:/nonexistent/folder/db.sqlite3", SESSIONSCOPE_ATTACH: "django", SESSION_SECRET_KEY: NEW_KEY }, io);
  expect(out.join("\n")).toMatch(/database\s+NOT REACHABLE: no SQLite database at \/nonexistent\/folder\/db\.sqlite3/);
  expect(code).toBe(1);
});
