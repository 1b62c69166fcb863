/** `sessionscope decode`: verify and print a Django-format signed session value. */
import { BadSignature, COOKIE_SALT, createSignedSerializer, decodeLegacySession, dumpsPython, MalformedPayload, SESSION_SALT } from "../lib/session/index.ts";
import { UsageError, parseCommandArgs } from "./args.ts";
import { exitWith, oneLine, type CliEnv, type CliIo } from "./io.ts";

export const DECODE_HELP = `Usage: sessionscope decode [options] VALUE

Verifies a Django signed session value (db/file/cached_db format, signed
cookie, or the pre-3.1 format) and prints its data as Python-compatible JSON.

Options:
  --secret-key K     signing key (default: $SESSION_SECRET_KEY)
  --fallback-key K   an older key still accepted (repeatable)
  --salt S           signing salt (default: try ${SESSION_SALT}, then ${COOKIE_SALT})
  --max-age SECONDS  reject values signed longer ago than this
  --verbose          say on stderr which salt matched
Exit status: 0 decoded, 1 rejected (one line on stderr), 2 usage error.`;

const DECODE_OPTIONS = {
  "secret-key": { type: "string" },
  "fallback-key": { type: "string", multiple: true },
  salt: { type: "string" },
  "max-age": { type: "string" },
  verbose: { type: "boolean" },
} as const;

export function runDecode(argv: readonly string[], env: CliEnv, io: CliIo): number {
  try {
    const { values, positionals, help } = parseCommandArgs(argv, DECODE_OPTIONS);
    if (help) return exitWith(io.stdout, DECODE_HELP, 0);
    const secretKey = values["secret-key"] ?? env.SESSION_SECRET_KEY;
    if (!secretKey) throw new UsageError("no secret key: pass --secret-key or set SESSION_SECRET_KEY");
    if (positionals.length !== 1) throw new UsageError("expected exactly one VALUE");
    const maxAgeText = values["max-age"];
    const maxAge = maxAgeText === undefined ? null : Number(maxAgeText);
    if (maxAge !== null && !(Number.isFinite(maxAge) && maxAge >= 0)) throw new UsageError("--max-age must be a number of seconds");
    const value = positionals[0]!;
    const fallbackKeys = values["fallback-key"] ?? [];
    const salt = values.salt;
    const result = decodeValue(value, { secretKey, fallbackKeys, salts: salt ? [salt] : [SESSION_SALT, COOKIE_SALT], maxAge, now: io.now() });
    if (values.verbose) io.stderr(`matched: ${result.matched}`);
    io.stdout(dumpsPython(result.data));
    return 0;
  } catch (error) {
    if (error instanceof UsageError) return exitWith(io.stderr, `decode: ${oneLine(error.message)} (see --help)`, 2);
    if (error instanceof BadSignature || error instanceof MalformedPayload) return exitWith(io.stderr, `decode: ${oneLine(error.message)}`, 1);
    throw error;
  }
}

interface DecodeInput {
  readonly secretKey: string;
  readonly fallbackKeys: readonly string[];
  readonly salts: readonly string[];
  readonly maxAge: number | null;
  readonly now: Date;
}

/** Tries each salt; a signature failure everywhere falls back to the pre-3.1 format, as Django 3.2 does. */
function decodeValue(value: string, input: DecodeInput): { data: unknown; matched: string } {
  let firstError: Error | null = null;
  for (const salt of input.salts) {
    try {
      const serializer = createSignedSerializer({ secretKey: input.secretKey, fallbackKeys: input.fallbackKeys, salt, allowLegacySha1: true });
      return { data: serializer.loads(value, { maxAge: input.maxAge, now: input.now }), matched: `salt ${salt}` };
    } catch (error) {
      // Only a plain signature mismatch means "try the next salt"; expiry or a corrupt payload is the answer.
      if (!(error instanceof BadSignature) || error.code !== "BAD_SIGNATURE") throw error;
      firstError ??= error;
    }
  }
  if (input.salts.includes(SESSION_SALT)) {
    try {
      return { data: decodeLegacySession(value, input), matched: "pre-3.1 format" };
    } catch (error) {
      if (!(error instanceof BadSignature || error instanceof MalformedPayload)) throw error;
    }
  }
  throw firstError ?? new BadSignature("signature does not match");
}
