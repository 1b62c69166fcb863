/**
 * The `sessionscope` command line: dispatches to thin commands over lib/session.
 * Each command is imported when it runs, so `--help` or `decode` never loads
 * Prisma, the database drivers or Redis (see scripts/cli-bundle.mjs).
 */
import type { CliEnv, CliIo } from "./io.ts";

type Command = (argv: readonly string[], env: CliEnv, io: CliIo) => number | Promise<number>;

const COMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  decode: async () => (await import("./decode.ts")).runDecode,
  encode: async () => (await import("./encode.ts")).runEncode,
  clearsessions: async () => {
    const { runClearSessions } = await import("./clearsessions.ts");
    return (argv, env, io) => runClearSessions(argv, env, io, process.stderr);
  },
  seed: async () => {
    const { runSeed } = await import("./seed.ts");
    return (argv, env, io) => runSeed(argv, env, io, process.stderr);
  },
  role: async () => (await import("./role.ts")).runRole,
  django: async () => {
    const { runDjango } = await import("./django.ts");
    return (argv, env, io) => runDjango(argv, env, io, process.stderr);
  },
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
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    io.stderr(`sessionscope: unknown command "${name}" (see --help)`);
    return 2;
  }
  return (await load())(rest, env, io);
}
