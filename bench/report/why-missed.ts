/**
 * What a missed target costs, in work the other side (or the floor) does not
 * do: facts about the engines' code, not about this run's numbers.
 */
import type { Row } from "./stats.ts";

const SQLITE_STEPS = " Step by step: [Where a SQLite write's time goes](#where-a-sqlite-writes-time-goes).";
const SQLITE_FULL_STEPS = " Step by step: [At Django's durability](#at-djangos-durability-rollback-journal-synchronousfull).";
const PG_STEPS = " Step by step: [And on PostgreSQL](#and-on-postgresql).";
const CODEC_STEPS = " Measured apart, in CPU time, on realistic sessions neither side has just read, with the floor and the levers tried: [The session codec at three sizes](#the-session-codec-at-three-sizes-against-django).";
const REDIS_STEPS = " Step by step: [Where a Redis load and write spend their time](#where-a-redis-load-and-write-spend-their-time).";

const FORMAT = "Django's signed value (Python-compatible JSON, base64, a timestamp and an HMAC-SHA256 signature, where the express store writes `JSON.stringify`'s text)";

function sqliteWrite(op: Row["op"]): string {
  return op === "create"
    ? "A create is one transaction of two INSERTs: Django's `django_session` row (3 b-trees: the table, its primary key, the `expire_date` index) and the dashboard's meta row (11: the table, its primary key, the unique public id and 8 listing indexes by creation time, owner, device, engine, address, activity, expiry and flag), " +
      `where better-sqlite3-session-store's INSERT OR REPLACE writes 1 row in 2 b-trees (no expiry index, no owner: no listing, no per-user kill, a full scan to clear expired rows). The value is ${FORMAT}.`
    : "A save is a compare-and-swap (`UPDATE … WHERE session_key = ? AND session_data = <the value loaded>`, checking the owner in the meta row in the same statement) in a transaction that also runs the meta row's expiry-copy UPDATE (a write only when the copy trails by more than a minute), " +
      `where the express store's INSERT OR REPLACE lets the last writer win; the \`expire_date\` index entry moves with every save. Its load reads the row and verifies the value, and the save writes ${FORMAT}.`;
}

function postgresqlWrite(op: Row["op"]): string {
  return op === "create"
    ? `A create is one statement (a CTE) that inserts Django's \`django_session\` row and the dashboard's meta row with its listing indexes, where connect-pg-simple upserts one row of JSON; the value is ${FORMAT}.`
    : "A save is one statement that does the compare-and-swap UPDATE (`… AND session_data = <the value loaded>`, telling a conflict from a deleted session) and keeps the meta row's owner and expiry copy with it, " +
      `where connect-pg-simple's upsert lets the last writer win; the value is ${FORMAT}.`;
}

function redisWrite(op: Row["op"]): string {
  return (op === "create" ? "A create" : "A save") +
    " is one Lua script that sets the entry (SET NX for a create; for a save, GET and compare with the value loaded: the compare-and-swap) and keeps the dashboard's indexes with it (meta hash, created and expiry sorted sets, the owner's set), " +
    "and the entry is Django's pickle, so a Django site shares it; connect-redis sends one SET of JSON, with no index and no conflict detection.";
}

/** Loads: what runs beyond the floor (the backend's bare read) and the decode the bound allows. */
function load(backend: Row["section"]["backend"]): string {
  switch (backend) {
    case "sqlite-full":
    case "sqlite-default":
      return "Beyond the floor's SELECT by primary key, a load also compares `expire_date` in the statement and parses it, then builds the Session's data map and settles a promise (the engines are async, as the PostgreSQL and Redis ones must be); the decode counted is the codec's first read of a value (HMAC check and parse, the verified-value cache off).";
    case "postgresql":
      return "Beyond the floor's named SELECT of a session-sized row by primary key, a load's statement also compares `expire_date` and returns it, a `timestamptz` that pg parses into a Date; then the codec's decode (the bound counts its first read of a value), the Session's data map and a settled promise.";
    case "redis":
      return "Beyond the floor's GET of a session-sized entry, a load sends one GET of its own; then the pickle read (the bound's decode), a copy of the entry as the compare-and-swap's version, and the Session's own step (a promise settled, the expiry checked against the policy). The entry's expiry is its TTL, to the millisecond, so no PTTL is read.";
    case "cached_db":
      return "Beyond the floor's GET of a session-sized entry, a load sends one MGET of the entry and the database version it came from (the compare-and-swap's token), bounded by the cache guard's timer; a miss then runs a Lua script that takes a lease, so a racing save or kill can never be undone by a stale fill; then the pickle read (the bound's decode). The entry's expiry is its TTL, to the millisecond, so no PTTL is read.";
    default:
      return "";
  }
}

function codec(op: Row["op"]): string {
  return op === "encode"
    ? "An encode is the Python-compatible `json.dumps` (key order, float repr, ASCII escapes), base64, a base62 timestamp and the HMAC-SHA256 signature; Django's `json.dumps` runs in C and its HMAC in OpenSSL."
    : "A decode is the HMAC check, base64, the timestamp check and the parse (`JSON.parse` when the text holds nothing only the Python-faithful parser reads right), then the session's `Map`. " +
        "At 1 KB, 1.5× Django's leaves little more than the HMAC, base64 and `JSON.parse` themselves (timed step by step in the codec section); what SessionScope adds beyond them, the one-pass scan and the `Map`, is what keeps a value such as `1.0` or a digit key Django's, so level with the target would take reading some values other than Django does.";
}

/** The explanation of a failed row, or "" when there is nothing to say. */
export function whyMissed(r: Row): string {
  if (r.status !== "fail") return "";
  const b = r.section.backend;
  if (r.target === "load") return load(b) + (b === "redis" || b === "cached_db" ? REDIS_STEPS : b === "postgresql" ? PG_STEPS : "");
  if (r.target === "django") return codec(r.op) + CODEC_STEPS;
  if (r.target !== "express") return "";
  if (b.startsWith("sqlite")) return sqliteWrite(r.op) + (b === "sqlite-full" && r.op === "create" ? SQLITE_FULL_STEPS : SQLITE_STEPS);
  if (b === "postgresql") return postgresqlWrite(r.op) + PG_STEPS;
  if (b === "redis") return redisWrite(r.op) + REDIS_STEPS;
  return "";
}
