// A real Django (3.2 from Debian, 4.2 unpacked by scripts/fetch-django.mjs) on
// Memcached through PyMemcacheCache and Debian's pymemcache, and SessionScope's
// Memcached engines on the same two memcached servers, with a non-default
// KEY_PREFIX and VERSION: each reads the other's sessions, and a kill in
// SessionScope is seen by Django.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createMemcachedClient, type NodeMemcachedClient } from "../../lib/node/memcached.ts";
import type { SessionStore } from "../../lib/session/index.ts";
import { loadedData, makeRecord, newKey } from "../contract/store-contract.ts";
import { engines, openSqlStore, TEST_CODEC, TEST_SECRET } from "../helpers/backends.ts";
import { createSqliteDatabase, type TestDatabase } from "../helpers/databases.ts";
import { DJANGO_VERSIONS, djangoSiteAvailable, pythonPath, type DjangoVersion } from "../helpers/django-site.ts";
import { describeWithServices } from "../helpers/register.ts";
import { requireServiceUrl } from "../helpers/services.ts";
// @ts-expect-error: plain JavaScript module shared with scripts/test.mjs
import { startMemcached } from "../services/services.mjs";

const SCRIPT = join(fileURLToPath(new URL(".", import.meta.url)), "..", "django", "memcached_sessions.py");
const KEY_PREFIX = "shop";
const VERSION = 3;

for (const version of DJANGO_VERSIONS) {
  for (const engine of ["cache", "cached_db"] as const) {
    describeWithServices(`Django ${version} ${engine} on Memcached (PyMemcacheCache) and SessionScope`, ["memcached"], () => {
      let second: { url: string; stop(): void } | null = null;
      let client: NodeMemcachedClient;
      let t: TestDatabase | null = null;
      let store: SessionStore & { kill?: unknown };
      let servers: string[];
      let available = false;

      beforeAll(async () => {
        available = djangoSiteAvailable(version);
        // Two servers: every key must land where pymemcache's HashClient puts it.
        second = await startMemcached();
        if (!second) throw new Error("memcached is not installed");
        const url = `${requireServiceUrl("memcached")},${second.url}`;
        servers = url.split(",").map((s) => s.replace("memcached://", ""));
        client = createMemcachedClient(url);
        const keys = { keyPrefix: KEY_PREFIX, version: VERSION };
        if (engine === "cache") {
          store = engines.memcached(client, { ...keys, cookieAge: 1_209_600 });
        } else {
          t = await createSqliteDatabase();
          const decode = (encoded: string) => {
            const r = TEST_CODEC.decode(encoded, new Date());
            return r.ok ? r.data : null;
          };
          store = engines.memcachedCachedDb(openSqlStore(t, { clock: () => new Date(), metaEngine: "cached_db" }), client, { ...keys, decode });
        }
      });
      afterAll(async () => {
        client?.close();
        second?.stop();
        await t?.dispose();
      });

      const read = (...keys: string[]) => django<{ sessions: Array<{ exists: boolean; data: unknown }> }>("read", { keys }).sessions;

      function django<T>(op: string, extra: Record<string, unknown>): T {
        if (!available) throw new Error(`Django ${version} is not available`);
        const request = { servers, key_prefix: KEY_PREFIX, version: VERSION, engine, database: t?.db.provider === "sqlite" ? t.db.path : null, secret_key: TEST_SECRET, op, ...extra };
        const result = spawnSync("/usr/bin/python3", [SCRIPT], { input: JSON.stringify(request), encoding: "utf8", env: { ...process.env, PYTHONPATH: pythonPath(version as DjangoVersion) } });
        if (result.status !== 0) throw new Error(`Django failed: ${result.stderr}`);
        return JSON.parse(result.stdout) as T;
      }

      it("SessionScope reads and updates a session Django wrote, and Django reads the update", async () => {
        const { key } = django<{ key: string }>("write", { data: { from: "django", cart: [1, 2] } });
        const loaded = await store.load(key, new Date());
        expect(loadedData(loaded)).toEqual({ from: "django", cart: [1, 2] });
        expect((await store.save(key, makeRecord(new Date(), { from: "django", cart: [1, 2, 3] }), loaded!.version)).ok).toBe(true);
        expect(read(key)[0]!.data).toEqual({ from: "django", cart: [1, 2, 3] });
      });

      it("Django reads and updates a session SessionScope wrote, and SessionScope reads the update", async () => {
        // Keys on both servers: random keys until each server holds some (eight at random all land on one now and then).
        const serverOf = (k: string) => client.serverFor(`${KEY_PREFIX}:${VERSION}:django.contrib.sessions.${engine}${k}`);
        const keys = Array.from({ length: 8 }, newKey);
        while (new Set(keys.map(serverOf)).size < 2 && keys.length < 200) keys.push(newKey());
        for (const key of keys) expect((await store.save(key, makeRecord(new Date(), { from: "sessionscope", name: "Zoë" }), null)).ok).toBe(true);
        expect(new Set(keys.map(serverOf)).size).toBe(2);
        expect(read(...keys).map((s) => s.data)).toEqual(keys.map(() => ({ from: "sessionscope", name: "Zoë" })));
        django("update", { key: keys[0], data: { seen: true } });
        expect(loadedData(await store.load(keys[0]!, new Date()))).toEqual({ from: "sessionscope", name: "Zoë", seen: true });
      });

      it("a session SessionScope kills is gone for Django", async () => {
        const { key } = django<{ key: string }>("write", { data: { user: "victim" } });
        expect(read(key)[0]!.exists).toBe(true);
        await store.load(key, new Date()); // cached_db: a SessionScope load that fills the cache first
        if (engine === "cached_db") await (store as unknown as { kill(t: { keys: string[] }): Promise<unknown> }).kill({ keys: [key] });
        else await store.delete(key);
        expect(read(key)).toEqual([{ exists: false, data: {} }]);
        expect(await store.load(key, new Date())).toBeNull();
      });
    });
  }
}
