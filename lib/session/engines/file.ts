/**
 * The file engine (Django's `backends.file`): one file per session in a
 * folder, named cookie name + key, holding exactly Django's encoded string
 * (ASCII, no newline). A Django site pointed at the same folder
 * (SESSION_FILE_PATH) reads and writes the same files.
 *
 * Expiry is Django's rule for files: file mtime + cookie age. A save sets the
 * mtime to `expireDate - cookieAge`, so both sides compute the same expiry.
 *
 * Compare-and-swap: the version is the file's content. A save takes a
 * per-session lock file (`<file>.lock`, exclusive create; an in-process queue
 * in front of it), compares, then replaces the file atomically (temp file in
 * the same folder + rename). Must-create links a complete temp file to the
 * target name, which fails if the name is taken. Readers never lock: rename
 * makes every read see a whole old or a whole new file.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, statSync } from "node:fs";
import { link, lstat, open, opendir, readFile, rename, unlink } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { systemClock, type Clock } from "../expiry.ts";
import { isFileSafeKey } from "../keys.ts";
import type { ClearExpiredOptions, SaveRecord, SaveResult, DatedLoadStore, DatedStoredSession } from "../store.ts";
import { DEFAULT_BATCH_SIZE } from "./batches.ts";
import { createFileLocks, errorCode, ignoreMissing } from "./file-lock.ts";

export interface FileStoreOptions {
  /** SESSION_FILE_PATH: created (0o700) if missing. */
  readonly directory: string;
  /** SESSION_COOKIE_NAME: the file name prefix. */
  readonly cookieName: string;
  /** SESSION_COOKIE_AGE in seconds: expiry = mtime + cookieAge. */
  readonly cookieAge: number;
  /** fsync each new file before it replaces the old one (default false, like Django). */
  readonly fsync?: boolean;
  /** A lock file older than this is left over by a crashed process and is broken (default 5000 ms). */
  readonly lockStaleMs?: number;
  /** How long a save waits for a lock before throwing (default 10000 ms). */
  readonly lockTimeoutMs?: number;
  /** Where the engine takes "now" when it decides a file it read has expired; default the system clock. */
  readonly clock?: Clock;
}

const MAX_NAME_LENGTH = 255;
// Room for the "_out_<random>" and ".lock" suffixes on top of prefix + key.
const SUFFIX_ROOM = 24;

export function createFileStore(options: FileStoreOptions): DatedLoadStore {
  const { cookieName, cookieAge } = options;
  const ageMs = cookieAge * 1000;
  const withLock = createFileLocks({ staleMs: options.lockStaleMs ?? 5000, timeoutMs: options.lockTimeoutMs ?? 10_000 });
  const clock = options.clock ?? systemClock;
  // The prefix becomes part of a path: it must be one plain file-name component.
  if (!cookieName || /[/\\\0]/.test(cookieName) || cookieName === "." || cookieName === "..") {
    throw new Error(`SessionScope: the cookie name ${JSON.stringify(cookieName)} cannot prefix session file names`);
  }
  const directory = prepareDirectory(options.directory);

  /** The file of a key, or null for a key Django would reject (InvalidSessionKey): such a key never reaches a path. */
  function fileOf(key: string): string | null {
    if (key.length < 8 || cookieName.length + key.length + SUFFIX_ROOM > MAX_NAME_LENGTH || !isFileSafeKey(key)) return null;
    const file = resolve(directory, cookieName + key);
    return dirname(file) === directory ? file : null;
  }
  function requireFile(key: string): string {
    const file = fileOf(key);
    if (!file) throw new Error("SessionScope: the file engine cannot store an invalid session key");
    return file;
  }
  const expiryOf = (mtimeMs: number) => new Date(Math.round(mtimeMs) + ageMs);

  /** Writes a complete temp file beside `file` (0o600, mtime = expireDate - cookieAge) and returns its path. */
  async function writeTemp(file: string, record: SaveRecord): Promise<string> {
    // The encoded string is ASCII by construction; anything else would not round-trip through Django.
    if (!/^[\x20-\x7e]*$/.test(record.encoded)) throw new Error("SessionScope: encoded session data must be ASCII");
    const temp = `${file}_out_${randomBytes(6).toString("hex")}`;
    const handle = await open(temp, "wx", 0o600);
    try {
      await handle.writeFile(record.encoded, "latin1");
      const mtime = new Date(record.expireDate.getTime() - ageMs);
      await handle.utimes(mtime, mtime);
      if (options.fsync) await handle.sync();
    } catch (error) {
      await handle.close();
      await unlink(temp).catch(ignoreMissing);
      throw error;
    }
    await handle.close();
    return temp;
  }

  /** Deletes the file if, under its lock, it has still expired at `now` (a concurrent save may have extended it). */
  function deleteIfExpired(file: string, now: number): Promise<boolean> {
    return withLock(file, async () => {
      const current = await lstat(file).catch((error: unknown) => (ignoreMissing(error), null));
      if (!current?.isFile() || expiryOf(current.mtimeMs).getTime() > now) return false;
      await unlink(file).catch(ignoreMissing);
      return true;
    });
  }

  async function clearExpired(now: Date, clearOptions?: ClearExpiredOptions): Promise<number> {
    const batchSize = Math.max(1, clearOptions?.batchSize ?? DEFAULT_BATCH_SIZE);
    const cutoff = now.getTime();
    let total = 0;
    let batch: string[] = [];
    const flush = async () => {
      let removed = 0;
      for (const file of batch) if (await deleteIfExpired(file, cutoff)) removed++;
      batch = [];
      total += removed;
      if (removed > 0) clearOptions?.onProgress?.(total);
    };
    // Streamed: a folder of a million sessions is never listed into memory at once.
    const dir = await opendir(directory, { bufferSize: 256 });
    for await (const entry of dir) {
      if (!entry.isFile() || !entry.name.startsWith(cookieName)) continue;
      // Temp (`_out_`) and lock (`.lock`) files fail the key check.
      const file = fileOf(entry.name.slice(cookieName.length));
      if (!file) continue;
      const info = await lstat(file).catch((error: unknown) => (ignoreMissing(error), null));
      if (!info?.isFile() || expiryOf(info.mtimeMs).getTime() > cutoff) continue;
      batch.push(file);
      if (batch.length >= batchSize) await flush();
    }
    await flush();
    return total;
  }

  const store: DatedLoadStore = {
    engine: "file",
    atomicSave: true,
    async load(key, now): Promise<DatedStoredSession | null> {
      const file = fileOf(key);
      if (!file) return null;
      // One handle for stat and read: both see the same file even if a rename replaces it meanwhile.
      const handle = await open(/*turbopackIgnore: true*/ file, "r").catch((error: unknown) => (ignoreMissing(error), null));
      if (!handle) return null;
      let encoded: string;
      let expireDate: Date;
      try {
        expireDate = expiryOf((await handle.stat()).mtimeMs);
        encoded = await handle.readFile("latin1");
      } finally {
        await handle.close();
      }
      if (expireDate.getTime() <= now.getTime()) {
        // Removed only once the engine's clock agrees too: a caller asking about a later
        // `now` (a preview, a skewed caller) never destroys data that is still live.
        const engineNow = clock().getTime();
        if (expireDate.getTime() <= engineNow) await deleteIfExpired(file, engineNow);
        return null;
      }
      // Django's creation placeholder (empty = `{}`): nothing to resume, and the codec rejects "".
      if (encoded === "") return null;
      return { encoded, version: encoded, expireDate };
    },
    async exists(key) {
      const file = fileOf(key);
      if (!file) return false;
      return (await lstat(file).catch((error: unknown) => (ignoreMissing(error), null))) !== null;
    },
    async save(key, record, expectedVersion): Promise<SaveResult> {
      const file = requireFile(key);
      if (expectedVersion === null) {
        const temp = await writeTemp(file, record);
        try {
          // link() never replaces: an exclusive create that appears with its whole content at once.
          await link(temp, file);
        } catch (error) {
          if (errorCode(error) === "EEXIST") return { ok: false, reason: "exists" };
          throw error;
        } finally {
          await unlink(temp).catch(ignoreMissing);
        }
        return { ok: true, version: record.encoded };
      }
      return withLock(file, async (): Promise<SaveResult> => {
        const current = await readFile(/*turbopackIgnore: true*/ file, "latin1").catch((error: unknown) => (ignoreMissing(error), null));
        if (current === null) return { ok: false, reason: "missing" };
        if (current !== expectedVersion) return { ok: false, reason: "conflict" };
        const temp = await writeTemp(file, record);
        try {
          await rename(temp, file);
        } catch (error) {
          await unlink(temp).catch(ignoreMissing);
          throw error;
        }
        return { ok: true, version: record.encoded };
      });
    },
    async delete(key) {
      const file = fileOf(key);
      // Under the lock, so a save in flight cannot resurrect the session after it.
      if (file) await withLock(file, () => unlink(file).catch(ignoreMissing));
    },
    clearExpired,
  };
  return withoutKeysInErrors(store, cookieName);
}

/**
 * File names hold session keys, and file-system errors quote paths. A key in
 * an error message would end up in logs, where anyone reading them could use
 * it: every error leaving the engine has its keys cut to a short prefix.
 */
function withoutKeysInErrors(store: DatedLoadStore, cookieName: string): DatedLoadStore {
  const fileName = new RegExp(`(${cookieName.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}[a-z0-9]{6})[a-z0-9]+`, "g");
  const redact = (error: unknown): never => {
    if (!(error instanceof Error)) throw error;
    const safe = new Error(error.message.replace(fileName, "$1…"));
    safe.name = error.name;
    Object.assign(safe, { code: (error as NodeJS.ErrnoException).code });
    throw safe;
  };
  const guard = <A extends unknown[], R>(fn: (...args: A) => Promise<R>) => (...args: A) => fn(...args).catch(redact);
  return {
    ...store,
    load: guard(store.load),
    exists: guard(store.exists),
    save: guard(store.save),
    delete: guard(store.delete),
    clearExpired: guard(store.clearExpired),
  };
}

function prepareDirectory(path: string): string {
  const directory = resolve(path);
  try {
    mkdirSync(directory, { recursive: true, mode: 0o700 });
  } catch (error) {
    if (errorCode(error) === "EEXIST" || errorCode(error) === "ENOTDIR") throw new Error(`SessionScope: SESSION_FILE_PATH ${directory} is not a directory`);
    throw new Error(`SessionScope: SESSION_FILE_PATH ${directory} cannot be created (${errorCode(error) ?? String(error)})`, { cause: error });
  }
  if (!statSync(directory).isDirectory()) throw new Error(`SessionScope: SESSION_FILE_PATH ${directory} is not a directory`);
  return directory;
}
