import { randomBytes } from "node:crypto";
import { chmod, mkdir, mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SaveRecord } from "../../session/index.ts";
import type { Database } from "../db/connection.ts";
import { parseEnv } from "../env.ts";
import { createStoreFromEnv, preparePrivateFolder } from "./engines.ts";

// A fresh key each run, so a file left in the temp folder by an earlier run cannot be mistaken for this one.
const KEY = randomBytes(24).toString("hex").slice(0, 32);
// The file engine never touches the database.
const NO_DATABASE = null as unknown as Database;

function record(): SaveRecord {
  return { encoded: "e30:1r31eq:sig", expireDate: new Date(Date.now() + 60_000), ttlSeconds: 60, data: new Map(), createdAt: new Date(), userId: null };
}

function fileStore(source: Record<string, string>) {
  const env = parseEnv({ SESSION_ENGINE: "file", ...source });
  return createStoreFromEnv(env, NO_DATABASE, null);
}

describe("the file engine's folder", () => {
  let root: string;
  let workingDirectory: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), "sessionscope-folder-"));
    workingDirectory = process.cwd();
  });
  afterEach(async () => {
    process.chdir(workingDirectory);
    await rm(root, { recursive: true, force: true });
  });

  it("is by default a private folder of the app, so session keys never land in the shared temp folder", async () => {
    process.chdir(root);
    const store = fileStore({});
    expect((await store.save(KEY, record(), null)).ok).toBe(true);
    const folder = join(root, "var", "sessions");
    expect(await readdir(folder)).toEqual([`sessionid${KEY}`]);
    expect((await stat(folder)).mode & 0o777).toBe(0o700);
    expect(await readdir(tmpdir())).not.toContain(`sessionid${KEY}`);
  });

  it("refuses a folder other users can enter or list, with the fix in the message", async () => {
    for (const mode of [0o755, 0o750, 0o711, 0o701, 0o777]) {
      const folder = join(root, `shared-${mode.toString(8)}`);
      await mkdir(folder);
      await chmod(folder, mode);
      expect(() => fileStore({ SESSION_FILE_PATH: folder }), mode.toString(8)).toThrow(
        new RegExp(`SESSION_FILE_PATH ${folder} is open to other users \\(mode ${mode.toString(8)}\\)[\\s\\S]*chmod 700`),
      );
      expect(await readdir(folder)).toEqual([]);
    }
  });

  it("refuses a folder that belongs to another user", async () => {
    const folder = join(root, "theirs");
    await mkdir(folder, { mode: 0o700 });
    const owner = (await stat(folder)).uid;
    expect(() => preparePrivateFolder(folder, owner + 1)).toThrow(/SESSION_FILE_PATH .*theirs belongs to another user/);
    expect(preparePrivateFolder(folder, owner)).toBe(folder);
  });

  it("accepts a private folder it is given, and refuses a path that is a file", async () => {
    const folder = join(root, "mine");
    await mkdir(folder, { mode: 0o700 });
    expect((await fileStore({ SESSION_FILE_PATH: folder }).save(KEY, record(), null)).ok).toBe(true);
    expect(await readdir(folder)).toEqual([`sessionid${KEY}`]);
    await writeFile(join(root, "plain"), "");
    expect(() => fileStore({ SESSION_FILE_PATH: join(root, "plain") })).toThrow(/is not a directory/);
  });
});
