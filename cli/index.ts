/** The `sessionscope` command line: dispatches to thin commands over lib/session. */
import { pathToFileURL } from "node:url";
import { runDecode } from "./decode.ts";
import { runEncode } from "./encode.ts";
import { processIo, type CliEnv, type CliIo } from "./io.ts";

type Command = (argv: readonly string[], env: CliEnv, io: CliIo) => number | Promise<number>;

const notYet = (name: string): Command => (_argv, _env, io) => (io.stderr(`${name}: not available yet`), 1);

const COMMANDS: Readonly<Record<string, Command>> = {
  decode: runDecode,
  encode: runEncode,
  // TODO(lead): wire to the configured engine's clearExpired().
  clearsessions: notYet("clearsessions"),
  // TODO(lead): wire to prisma/seed.
  seed: notYet("seed"),
};

export const HELP = `Usage: sessionscope <command> [options]

Commands:
  decode         verify and print a Django signed session value
  encode         sign session data the way Django would
  clearsessions  delete expired sessions
  seed           load demo data

Run "sessionscope <command> --help" for a command's options.`;

export async function runCli(argv: readonly string[], env: CliEnv, io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") return (io.stdout(HELP), name === undefined ? 2 : 0);
  const command = COMMANDS[name];
  if (!command) return (io.stderr(`sessionscope: unknown command "${name}" (see --help)`), 2);
  return command(rest, env, io);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await runCli(process.argv.slice(2), process.env, processIo);
}
