/** The `sessionscope` command line: dispatches to thin commands over lib/session. */
import { pathToFileURL } from "node:url";
import { runClearSessions } from "./clearsessions.ts";
import { runDecode } from "./decode.ts";
import { runDjango } from "./django.ts";
import { runEncode } from "./encode.ts";
import { runRole } from "./role.ts";
import { runSeed } from "./seed.ts";
import { processIo, type CliEnv, type CliIo } from "./io.ts";

type Command = (argv: readonly string[], env: CliEnv, io: CliIo) => number | Promise<number>;

const COMMANDS: Readonly<Record<string, Command>> = {
  decode: runDecode,
  encode: runEncode,
  clearsessions: (argv, env, io) => runClearSessions(argv, env, io, process.stderr),
  seed: (argv, env, io) => runSeed(argv, env, io, process.stderr),
  role: runRole,
  django: (argv, env, io) => runDjango(argv, env, io, process.stderr),
};

export const HELP = `Usage: sessionscope <command> [options]

Commands:
  decode         verify and print a Django signed session value
  encode         sign session data the way Django would
  clearsessions  delete expired sessions
  seed           fill the database with realistic sessions
  role           grant, withdraw or list dashboard roles
  django         attach to a Django site: check the setup, backfill metadata

Run "sessionscope <command> --help" for a command's options.`;

export async function runCli(argv: readonly string[], env: CliEnv, io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout(HELP);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(`sessionscope: unknown command "${name}" (see --help)`);
    return 2;
  }
  return command(rest, env, io);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await runCli(process.argv.slice(2), process.env, processIo);
}
