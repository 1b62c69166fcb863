import { mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadVector, str } from "../../../test/fixtures/django-vectors.ts";
import { createSessionCodec } from "../codec.ts";
import type { SaveRecord } from "../store.ts";
import { createFileStore } from "./file.ts";

const AGE = 1_209_600;
const vector = loadVector("file.json", "file_backend");

function record(encoded: string, expireDate = new Date(Date.now() + AGE * 1000)): SaveRecord {
  return { encoded, expireDate, ttlSeconds: AGE, data: new Map(), createdAt: new Date(), userId: null };
}

describe("file engine", () => {
  let root: string;
  let directory: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), "sessionscope-file-unit-"));
    directory = join(root, "sessions");
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  const newStore = () => createFileStore({ directory, cookieName: "sessionid", cookieAge: AGE });

  it("creates a missing directory with mode 0o700, and refuses a path that is a file", async () => {
    newStore();
    expect((await stat(directory)).mode & 0o777).toBe(0o700);
    await writeFile(join(root, "plain"), "");
    expect(() => createFileStore({ directory: join(root, "plain"), cookieName: "sessionid", cookieAge: AGE })).toThrow(
      /^SessionScope: SESSION_FILE_PATH .* is not a directory/,
    );
    expect(() => createFileStore({ directory, cookieName: "../x", cookieAge: AGE })).toThrow(/^SessionScope: the cookie name/);
  });

  it("loads a file Django wrote, with expiry = mtime + cookie age", async () => {
    const store = newStore();
    const file = join(directory, str(vector, "file_name"));
    await writeFile(file, str(vector, "encoded"), "ascii");
    const mtime = new Date(Date.now() - 60_000);
    await utimes(file, mtime, mtime);
    const loaded = (await store.load(str(vector, "session_key"), new Date()))!;
    expect(loaded.encoded).toBe(str(vector, "encoded"));
    expect(loaded.version).toBe(str(vector, "encoded"));
    expect(loaded.expireDate.getTime()).toBe(mtime.getTime() + AGE * 1000);
    const codec = createSessionCodec({ secretKey: str(vector, "secret_key") });
    const decoded = codec.decode(loaded.encoded!);
    expect(decoded.ok && Object.fromEntries(decoded.data)).toEqual({ foo: "bar", emoji: "😀" });
  });

  it("writes byte-exact Django files (name, content, mode, mtime) and leaves no temp or lock file", async () => {
    const store = newStore();
    const key = str(vector, "session_key");
    const expireDate = new Date("2030-01-02T03:04:05.678Z");
    const created = await store.save(key, record("placeholder:x", expireDate), null);
    expect(created).toEqual({ ok: true, version: "placeholder:x" });
    expect(await store.save(key, record(str(vector, "encoded"), expireDate), "placeholder:x")).toEqual({ ok: true, version: str(vector, "encoded") });
    expect(await readdir(directory)).toEqual([str(vector, "file_name")]);
    const file = join(directory, str(vector, "file_name"));
    expect(await readFile(file)).toEqual(Buffer.from(str(vector, "encoded"), "ascii"));
    const info = await stat(file);
    expect(info.mode & 0o777).toBe(0o600);
    expect(Math.round(info.mtimeMs)).toBe(expireDate.getTime() - AGE * 1000);
    expect((await store.load(key, new Date()))!.expireDate).toEqual(expireDate);
  });

  it("treats invalid keys as absent and never builds a path from them", async () => {
    const store = newStore();
    await writeFile(join(root, "sessionidoutside1"), "secret:x");
    await writeFile(join(directory, "sessionidSHORT"), "x:y");
    for (const key of ["../sessionidoutside1", "../../etc/passwd", "ABCDEFGHIJ", "abc", "abcdefgh/../x", "abcdefgh.lock", "abcdefgh12_out_1", "a".repeat(300), ""]) {
      expect(await store.load(key, new Date())).toBeNull();
      expect(await store.exists(key)).toBe(false);
      await store.delete(key);
      await expect(store.save(key, record("a:b"), null)).rejects.toThrow(/invalid session key/);
    }
    expect(await readFile(join(root, "sessionidoutside1"), "utf8")).toBe("secret:x");
    expect((await readdir(directory)).sort()).toEqual(["sessionidSHORT"]);
  });

  it("reads an empty file (Django's creation placeholder) as no session, but the key stays taken", async () => {
    const store = newStore();
    const key = "abcdefgh12345678";
    await writeFile(join(directory, `sessionid${key}`), "");
    expect(await store.load(key, new Date())).toBeNull();
    expect(await store.exists(key)).toBe(true);
    expect(await store.save(key, record("a:b"), null)).toEqual({ ok: false, reason: "exists" });
  });

  it("deletes an expired file on load only when the engine's clock agrees", async () => {
    const store = newStore();
    const live = "live12345678";
    await store.save(live, record("a:b"), null);
    expect(await store.load(live, new Date(Date.now() + AGE * 2000))).toBeNull();
    expect(await store.exists(live)).toBe(true);
    const dead = "dead12345678";
    await store.save(dead, record("a:b", new Date(Date.now() - 1000)), null);
    expect(await store.load(dead, new Date())).toBeNull();
    expect(await store.exists(dead)).toBe(false);
  });

  it("takes the engine's time from its injected clock", async () => {
    let now = Date.now();
    const store = createFileStore({ directory, cookieName: "sessionid", cookieAge: AGE, clock: () => new Date(now) });
    const key = "clock1234567";
    const expireDate = new Date(now + 60_000);
    await store.save(key, record("a:b", expireDate), null);
    expect(await store.load(key, new Date(now + 120_000))).toBeNull();
    expect(await store.exists(key)).toBe(true);
    now += 120_000;
    expect(await store.load(key, new Date(now))).toBeNull();
    expect(await store.exists(key)).toBe(false);
  });

  it("clearExpired deletes only expired session files, ignoring temp, lock and foreign files", async () => {
    const store = newStore();
    const now = new Date();
    const expired = ["expired00001", "expired00002", "expired00003"];
    const live = ["live00000001", "live00000002"];
    for (const key of expired) await store.save(key, record("a:b", new Date(now.getTime() - 5000)), null);
    for (const key of live) await store.save(key, record("a:b"), null);
    const old = new Date(now.getTime() - AGE * 2000);
    for (const name of ["sessionidlive00000001_out_abc123", "sessionidexpired00009.lock", "other-file", "sessionidBAD"]) {
      await writeFile(join(directory, name), "x");
      await utimes(join(directory, name), old, old);
    }
    const progress: number[] = [];
    expect(await store.clearExpired(now, { batchSize: 2, onProgress: (n) => progress.push(n) })).toBe(3);
    expect(progress).toEqual([2, 3]);
    expect((await readdir(directory)).sort()).toEqual(
      ["other-file", "sessionidBAD", "sessionidexpired00009.lock", "sessionidlive00000001", "sessionidlive00000001_out_abc123", "sessionidlive00000002"],
    );
    expect(await store.clearExpired(now)).toBe(0);
  });

  it("waits on a held lock and breaks it once stale (a crashed process)", async () => {
    const store = createFileStore({ directory, cookieName: "sessionid", cookieAge: AGE, lockStaleMs: 200, lockTimeoutMs: 5000 });
    const key = "locked123456";
    await store.save(key, record("v1:x"), null);
    const lock = join(directory, `sessionid${key}.lock`);
    await writeFile(lock, "");
    const started = Date.now();
    expect(await store.save(key, record("v2:x"), "v1:x")).toEqual({ ok: true, version: "v2:x" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(await store.exists(key)).toBe(true);
    await expect(stat(lock)).rejects.toThrow(/ENOENT/);
    const old = new Date(Date.now() - 10_000);
    await writeFile(lock, "");
    await utimes(lock, old, old);
    expect(await store.save(key, record("v3:x"), "v2:x")).toEqual({ ok: true, version: "v3:x" });
  });

  it("times out with a clear error when a lock is held and refreshed", async () => {
    const store = createFileStore({ directory, cookieName: "sessionid", cookieAge: AGE, lockStaleMs: 10_000, lockTimeoutMs: 100 });
    const key = "locked123456";
    await store.save(key, record("v1:x"), null);
    await writeFile(join(directory, `sessionid${key}.lock`), "");
    await expect(store.save(key, record("v2:x"), "v1:x")).rejects.toThrow(/^SessionScope: timed out waiting for the session lock/);
  });

  it("never puts a whole session key in an error message (they end up in logs)", async () => {
    const store = createFileStore({ directory, cookieName: "sessionid", cookieAge: AGE, lockStaleMs: 10_000, lockTimeoutMs: 50 });
    const key = "abcdef0123456789abcdef0123456789";
    await store.save(key, record("v1:x"), null);
    await writeFile(join(directory, `sessionid${key}.lock`), "");
    const error = await store.save(key, record("v2:x"), "v1:x").catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain("sessionidabcdef…");
    expect((error as Error).message).not.toContain(key);
  });
});
