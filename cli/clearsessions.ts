/** `sessionscope clearsessions`: Django's clearsessions, in batches, with progress. */
import { supportsListing } from "../lib/session/index.ts";
import { UsageError, parseCommandArgs, wholeNumber } from "./args.ts";
import { runWithDataContext } from "./context.ts";
import { exitWith, type CliEnv, type CliIo } from "./io.ts";

export const CLEARSESSIONS_HELP = `Usage: sessionscope clearsessions [--batch-size N]

Deletes the expired sessions of the configured engine (SESSION_ENGINE,
DATABASE_URL, REDIS_URL, SESSION_FILE_PATH). Deletes run in batches, each in
its own short transaction sized to take about 20 ms, so logins keep working
while millions of rows go. Redis and signed-cookie sessions expire by
themselves: there is nothing to clear. Also prunes the dashboard's activity
record (logins, logouts, expiries) older than 30 days.

Options:
  --batch-size N   a fixed N rows per delete statement instead (1 to 100000)
Exit status: 0 done, 1 failed, 2 usage error.`;

const SQL_ENGINES = new Set(["db", "cached_db"]);

export async function runClearSessions(argv: readonly string[], env: CliEnv, io: CliIo, tty: NodeJS.WriteStream | null = null): Promise<number> {
  let batchSize: number | undefined;
  try {
    const { values, positionals, help } = parseCommandArgs(argv, { "batch-size": { type: "string" } });
    if (help) return exitWith(io.stdout, CLEARSESSIONS_HELP, 0);
    if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
    const given = values["batch-size"];
    batchSize = given === undefined ? undefined : wholeNumber(given, "batch-size", { min: 1, max: 100_000 });
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`clearsessions: ${error.message}`);
    return 2;
  }
  return runWithDataContext("clearsessions", env, io, async ({ store, db }) => {
    const [{ pruneActivity, recordClearedExpiries }, { withProgress }] = await Promise.all([import("../lib/node/admin/activity.ts"), import("./progress.ts")]);
    const now = io.now();
    // The dashboard's "expiries in 24 h" keeps counting what is deleted here (sessions in django_session only).
    if (SQL_ENGINES.has(store.engine)) await recordClearedExpiries(db.prisma, db.provider, now);
    await pruneActivity(db.prisma, now);
    const total = supportsListing(store) ? await store.count({ status: "expired" }, now) : null;
    const deleted = await withProgress("Deleting expired sessions", total, tty, (report) => store.clearExpired(now, { batchSize, onProgress: report }));
    io.stdout(`Deleted ${deleted.toLocaleString("en-US")} expired session${deleted === 1 ? "" : "s"} (${store.engine} engine).`);
  });
}
