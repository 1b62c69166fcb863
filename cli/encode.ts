/** `sessionscope encode`: sign session data the way Django would. */
import { createSignedSerializer, loadsPython, SESSION_SALT } from "../lib/session/index.ts";
import { UsageError, parseCommandArgs } from "./args.ts";
import { exitWith, oneLine, type CliEnv, type CliIo } from "./io.ts";

export const ENCODE_HELP = `Usage: sessionscope encode [options] JSON

Prints the signed value Django would accept for the JSON data (Python JSON:
big integers, NaN and Infinity are kept as written).

Options:
  --secret-key K      signing key (default: $SESSION_SECRET_KEY)
  --salt S            signing salt (default: ${SESSION_SALT})
  --timestamp UNIX    signing time in Unix seconds (default: now)
  --no-compress       never zlib-compress the payload
Exit status: 0 printed, 2 usage error or invalid JSON.`;

const ENCODE_OPTIONS = {
  "secret-key": { type: "string" },
  salt: { type: "string" },
  timestamp: { type: "string" },
  "no-compress": { type: "boolean" },
} as const;

export function runEncode(argv: readonly string[], env: CliEnv, io: CliIo): number {
  try {
    const { values, positionals, help } = parseCommandArgs(argv, ENCODE_OPTIONS);
    if (help) return exitWith(io.stdout, ENCODE_HELP, 0);
    const secretKey = values["secret-key"] ?? env.SESSION_SECRET_KEY;
    if (!secretKey) throw new UsageError("no secret key: pass --secret-key or set SESSION_SECRET_KEY");
    if (positionals.length !== 1) throw new UsageError("expected exactly one JSON argument");
    const timestamp = values.timestamp;
    if (timestamp !== undefined && !/^\d+(\.\d+)?$/.test(timestamp)) throw new UsageError("--timestamp must be Unix seconds");
    const now = timestamp === undefined ? io.now() : new Date(Number(timestamp) * 1000);
    let data: unknown;
    try {
      data = loadsPython(positionals[0]!);
    } catch (error) {
      throw new UsageError(`invalid JSON: ${(error as Error).message}`);
    }
    const salt = values.salt ?? SESSION_SALT;
    io.stdout(createSignedSerializer({ secretKey, salt, compress: !values["no-compress"], zlib: "cpython" }).dumps(data, now));
    return 0;
  } catch (error) {
    if (error instanceof UsageError) return exitWith(io.stderr, `encode: ${oneLine(error.message)} (see --help)`, 2);
    throw error;
  }
}
