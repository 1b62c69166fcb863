// The thread behind sqlite-checkpointer.ts: its own connection to the
// database file, copying the write-ahead log back into the file (a PASSIVE
// checkpoint) every few hundred milliseconds, so that no request's commit
// has to.
//
// Plain JavaScript with no project imports, so that it loads as it is under
// tsx, vitest and `next start` (where Turbopack emits it as a worker entry).
import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";

const { path, intervalMs } = workerData;

// fileMustExist: the checkpointer must never create an empty database where the app's is missing.
const db = new Database(path, { fileMustExist: true });
// A PASSIVE checkpoint never waits for a lock; this only covers opening the file.
db.pragma("busy_timeout = 1000");
// This connection writes nothing, so it never checkpoints on its own account.
db.pragma("wal_autocheckpoint = 0");

let copied = 0;
let busy = 0;

function checkpoint() {
  // One row: busy (1 when another checkpoint ran at the same moment), log (frames in the WAL), checkpointed (frames copied).
  const [row] = db.pragma("wal_checkpoint(PASSIVE)");
  if (row.busy) busy++;
  else copied += Math.max(0, row.checkpointed);
  return row;
}

const timer = setInterval(() => {
  try {
    checkpoint();
  } catch (error) {
    // A busy or locked file is the next round's; anything else ends the thread and the app checkpoints on commit again.
    if (error?.code !== "SQLITE_BUSY" && error?.code !== "SQLITE_LOCKED") throw error;
  }
}, intervalMs);

parentPort.on("message", (message) => {
  if (message === "stats") parentPort.postMessage({ copied, busy, last: checkpoint() });
  if (message === "stop") {
    clearInterval(timer);
    db.close();
    parentPort.close();
  }
});
