/** The report's sections: one per backend, each with the operations it compares. */
import { SESSION_COMPRESS_MIN_BYTES } from "../../lib/session/index.ts";

const PLAIN_BELOW = `${SESSION_COMPRESS_MIN_BYTES / 1024} KB`;

/** Operations with a target. */
export type Op = "create" | "load" | "load_modify_save" | "encode" | "decode";
/** Informational rows without a target. */
export type ExtraOp = "touch" | "decode_repeat" | "decode_pickle";

export const SESSION_OPS: readonly Op[] = ["create", "load", "load_modify_save"];

export const OP_NAMES: Readonly<Record<Op | ExtraOp, string>> = {
  create: "create",
  load: "load",
  load_modify_save: "load-modify-save",
  touch: "touch (express only)",
  encode: "encode",
  decode: "decode",
  decode_repeat: "decode, same value again (SessionScope only)",
  decode_pickle: "decode, Django's cache pickle (SessionScope only)",
};

/** The backend field of the bench lines ("none" is the codec, which the command line calls "codec"). */
export type LineBackend = "sqlite-full" | "sqlite-default" | "postgresql" | "redis" | "cached_db" | "none";

/** The name the command line (`--only`) and the summary use for a line backend. */
export const backendName = (backend: LineBackend) => (backend === "none" ? "codec" : backend);

export interface Section {
  readonly backend: LineBackend;
  readonly title: string;
  /** Whether express-session has a store for this backend (and so a target). */
  readonly express: boolean;
  readonly ops: readonly Op[];
  readonly note: string | null;
}

export const SECTIONS: readonly Section[] = [
  {
    backend: "sqlite-full", title: "SQLite at Django's durability (rollback journal, synchronous=FULL)", express: true, ops: SESSION_OPS,
    note: "Every commit is flushed to disk before it returns: a saved session survives a power cut. This is Django's default SQLite setup, and `openSqlite(path, { durability: \"full\" })` in SessionScope.",
  },
  {
    backend: "sqlite-default", title: "SQLite at SessionScope's defaults (WAL, synchronous=NORMAL)", express: true, ops: SESSION_OPS,
    note: "Commits survive a crash of the app process; a crash of the operating system or a power cut may lose the last commits (never corrupts the file). Django and better-sqlite3-session-store are run with the same pragmas here, so the comparison is at equal durability; the stock-Django comparison is in the summary.",
  },
  { backend: "postgresql", title: "PostgreSQL", express: true, ops: SESSION_OPS, note: null },
  {
    backend: "redis", title: "Redis (cache engine)", express: true, ops: SESSION_OPS,
    note: "Django's `cache` engine through django-redis (pickled dict); SessionScope's Redis engine; connect-redis (JSON) through node-redis.",
  },
  {
    backend: "cached_db", title: "cached_db (Redis in front of PostgreSQL)", express: false, ops: SESSION_OPS,
    note: "Django's `cached_db` engine: writes go to the database and the cache, loads hit the cache. express-session has no equivalent store: the writes are shown against Django, informational, with no verdict; the load has its floor target.",
  },
  {
    backend: "none", title: `Session encode / decode (1 KB payload, signed; plain JSON below ${PLAIN_BELOW})`, express: false, ops: ["encode", "decode"],
    note: "Django's `SessionStore.encode` / `decode` (signing.dumps / loads with compress=True, JSON serializer: Django compresses this payload) against `lib/session/codec.ts` with the same secret and salt, " +
      `which writes plain signed JSON below ${PLAIN_BELOW} of JSON (\`SESSION_COMPRESS_MIN_BYTES\`) and compresses above; a real Django decodes both.`,
  },
];
