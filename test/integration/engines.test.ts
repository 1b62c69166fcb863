// Every storage engine against the store contract, on real services, and
// what the file and SQL engines guarantee beyond it.
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { expect, it } from "vitest";
import { describeStoreContract, makeRecord, newKey } from "../contract/store-contract.ts";
import { COOKIE_AGE, DATABASES, engines, openSqlStore, STORE_BACKENDS } from "../helpers/backends.ts";
import { createTestClock } from "../helpers/clock.ts";
import { describeWithServices } from "../helpers/register.ts";

for (const backend of STORE_BACKENDS) describeStoreContract(backend);

describeWithServices("file engine across processes", [], () => {
  it("loses no update when several processes race on one session", async () => {
    const directory = await mkdtemp(join(tmpdir(), "sessionscope-files-"));
    try {
      const clock = createTestClock();
      const store = engines.file({ directory, cookieName: "sessionid", cookieAge: COOKIE_AGE, clock });
      const key = newKey();
      // Plain base64 JSON records: the engine stores whatever ASCII string it is given.
      const encoded = Buffer.from(JSON.stringify({ start: true })).toString("base64url");
      expect((await store.save(key, { ...makeRecord(clock(), {}), encoded }, null)).ok).toBe(true);
      // Each child runs 10 concurrent load → modify → compare-and-swap writers against the same file.
      const child = `
        const { createFileStore } = await import(process.argv[1]);
        const [, , directory, key, id] = process.argv;
        const store = createFileStore({ directory, cookieName: "sessionid", cookieAge: ${COOKIE_AGE} });
        let conflicts = 0;
        await Promise.all(Array.from({ length: 10 }, async (_, i) => {
          for (;;) {
            const current = await store.load(key, new Date());
            const data = { ...JSON.parse(Buffer.from(current.encoded, "base64url").toString()), ["p" + id + "w" + i]: i };
            const encoded = Buffer.from(JSON.stringify(data)).toString("base64url");
            const result = await store.save(key, { encoded, expireDate: new Date(Date.now() + 3600e3) }, current.version);
            if (result.ok) return;
            if (result.reason !== "conflict") throw new Error(result.reason);
            conflicts++;
          }
        }));
        console.log(conflicts);
      `;
      const engine = resolve("lib/session/engines/file.ts");
      const run = promisify(execFile);
      const outputs = await Promise.all(
        [0, 1, 2, 3].map((id) => run(process.execPath, ["--import", "tsx", "--input-type=module", "-e", child, engine, directory, key, String(id)])),
      );
      const final = JSON.parse(Buffer.from((await store.load(key, clock()))!.encoded!, "base64url").toString());
      expect(Object.keys(final)).toHaveLength(41);
      for (const id of [0, 1, 2, 3]) for (let i = 0; i < 10; i++) expect(final[`p${id}w${i}`]).toBe(i);
      expect(outputs.reduce((n, o) => n + Number(o.stdout.trim()), 0)).toBeGreaterThan(0);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});

for (const database of DATABASES) {
  describeWithServices(`session meta rows on ${database.name}`, database.needs, () => {
    it("records last activity in the meta row the dashboard reads through Prisma, and keeps it across saves", async () => {
      const t = await database.open();
      try {
        const clock = createTestClock();
        const store = openSqlStore(t, { clock });
        const key = newKey();
        const v1 = await store.save(key, makeRecord(clock(), { a: 1 }), null);
        if (!v1.ok) throw new Error(`create failed: ${v1.reason}`);
        const at = new Date("2026-01-02T03:04:05.678Z");
        await store.recordActivity(key, { at, ip: "203.0.113.9", userAgent: "Firefox" });
        expect((await store.save(key, makeRecord(clock(), { a: 2 }, { userId: "5" }), v1.version)).ok).toBe(true);
        const row = await t.db.prisma.sessionMeta.findUniqueOrThrow({ where: { sessionKey: key } });
        expect(row).toMatchObject({ lastActivity: at, ip: "203.0.113.9", userAgent: "Firefox", userId: 5, engine: "db" });
        expect(row.publicId).toMatch(/^[A-Za-z0-9_-]{22}$/);
      } finally {
        await t.dispose();
      }
    });
  });
}
