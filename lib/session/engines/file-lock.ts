/**
 * The file engine's per-session lock: an in-process queue per file (so the
 * requests of one process wait their turn instead of polling), in front of a
 * `<file>.lock` file made with exclusive create (for other processes).
 *
 * Lock waits use the wall clock, not the engine's clock: they measure real
 * waiting, and a lock file's age is its mtime, which the file system sets in
 * real time.
 */
import { open, stat, unlink } from "node:fs/promises";

export interface FileLockOptions {
  /** A lock file older than this was left by a crashed process and is broken. */
  readonly staleMs: number;
  /** How long to wait for a lock before throwing. */
  readonly timeoutMs: number;
}

export type WithLock = <T>(file: string, fn: () => Promise<T>) => Promise<T>;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
export const errorCode = (error: unknown) => (error as NodeJS.ErrnoException | null)?.code;
export const ignoreMissing = (error: unknown) => {
  if (errorCode(error) !== "ENOENT") throw error;
};

/** Returns `withLock(file, fn)`: runs `fn` holding the file's lock. */
export function createFileLocks({ staleMs, timeoutMs }: FileLockOptions): WithLock {
  const queues = new Map<string, Promise<void>>();

  async function acquireLockFile(lock: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (let attempt = 0; ; attempt++) {
      try {
        await (await open(lock, "wx", 0o600)).close();
        return;
      } catch (error) {
        if (errorCode(error) !== "EEXIST") throw error;
      }
      // A crashed process must not block the session forever: an old lock is broken.
      const held = await stat(lock).catch((error: unknown) => (ignoreMissing(error), null));
      if (held && Date.now() - held.mtimeMs > staleMs) await unlink(lock).catch(ignoreMissing);
      if (!held || Date.now() - held.mtimeMs > staleMs) continue;
      if (Date.now() > deadline) throw new Error(`SessionScope: timed out waiting for the session lock ${lock}`);
      // Randomised backoff (1 ms doubling to 32 ms) so contending processes do not retry in step.
      await sleep(Math.random() * Math.min(32, 2 ** attempt));
    }
  }

  return function withLock<T>(file: string, fn: () => Promise<T>): Promise<T> {
    const previous = queues.get(file) ?? Promise.resolve();
    const run = previous.then(async () => {
      await acquireLockFile(`${file}.lock`);
      try {
        return await fn();
      } finally {
        await unlink(`${file}.lock`).catch(ignoreMissing);
      }
    });
    const tail = run.then(() => undefined, () => undefined);
    queues.set(file, tail);
    void tail.then(() => {
      if (queues.get(file) === tail) queues.delete(file);
    });
    return run;
  };
}
