/**
 * What a missed target costs, in work the other side does not do: facts about
 * the code, not about this run's numbers.
 */
import { aheadOfExpress, floorCapped, type Row, TARGET_VS_DJANGO } from "./stats.ts";

const FORMAT_COST = "Django's signed, zlib-compressed value (the codec section measures what that format costs against JSON)";

function sqlite(op: Row["op"]): string {
  if (op === "load") {
    return "Both sides run one prepared SELECT by primary key; SessionScope then parses Django's value (HMAC check and inflate skipped by the codec's verified-value cache when the same value is loaded again), where the express store runs JSON.parse. The two are within this machine's run-to-run noise.";
  }
  return op === "create"
    ? `SessionScope writes Django's row and the dashboard's meta row in one transaction: 2 rows and 8 b-tree entries (django_session: table, primary key, expire_date index; meta: table, primary key, unique public_id, user_id and created_at indexes) where better-sqlite3-session-store writes 1 row and 2 b-tree entries (no expiry index and no owner index: no listing, no per-user kill, a full scan to clear expired rows). It also stores ${FORMAT_COST} where the express store writes plain JSON.`
    : `Each save produces ${FORMAT_COST} where the express store runs JSON.stringify, and is a compare-and-swap UPDATE (no lost update) where the express store does INSERT OR REPLACE (last writer wins).`;
}

function postgresql(op: Row["op"]): string {
  if (op === "load") {
    return "One named, prepared SELECT per load on both sides; SessionScope then checks Django's value (HMAC and inflate, skipped by the codec's verified-value cache when the same value is loaded again) where connect-pg-simple reads JSON.";
  }
  return `Each write produces ${FORMAT_COST} where connect-pg-simple stores JSON, ` +
    (op === "create"
      ? "and inserts the dashboard's meta row (owner, public id, creation time) in the same statement."
      : "and is a compare-and-swap UPDATE that tells a conflict from a deleted session, where connect-pg-simple's upsert lets the last writer win.");
}

function redis(op: Row["op"]): string {
  return op === "load"
    ? "One round trip on both sides (a Lua script returning the entry and its TTL, where connect-redis sends GET); SessionScope then reads Django's pickle, so that a Django site shares the entries, where connect-redis runs JSON.parse."
    : "Each write is one Lua script that does the compare-and-swap and keeps the dashboard's indexes (meta hash, created and expiry sorted sets, per-user set) consistent with the entry, and writes Django's pickle; connect-redis sends one SET of JSON, with no index and no conflict detection.";
}

const CACHED_DB_LOAD =
  "A load is one round trip, as Django's cache GET, but a Lua script that reads the entry, the database version it came from (for the compare-and-swap) and its TTL, and takes a lease on a miss, so a racing save or kill can never be undone by a stale fill; then it reads Django's pickle.";

function cachedDbWrite(op: Row["op"]): string {
  return op === "create"
    ? "A create is the database insert (with its meta row), then the cache write: two round trips in sequence, as in Django, since the cache may only follow a successful database write."
    : "A save reads the cache, does the database compare-and-swap, then refreshes the cache under its lease: three round trips in sequence.";
}

function codec(op: Row["op"]): string {
  return op === "encode"
    ? "Encoding is dumps, deflate, base64 and HMAC; deflate alone is the floor."
    : "Decoding is the HMAC check, base64, inflate and the parse; inflate alone is the floor.";
}

/** The explanation of a failed row, or "" when there is nothing to say. */
export function whyMissed(r: Row): string {
  const b = r.section.backend;
  const parts: string[] = [];
  const capped = floorCapped(r);
  if (capped && r.floor !== null && r.dj !== null) {
    parts.push(`${TARGET_VS_DJANGO}× Django is out of reach for any implementation here: the floor alone (${r.floor.toFixed(1)} µs) is more than a third of Django's ${r.dj.us_per_op.toFixed(1)} µs.`);
  }
  const behind = r.ex !== null && !aheadOfExpress(r.vsExpress);
  if (b.startsWith("sqlite") && behind) parts.push(sqlite(r.op));
  else if (b === "postgresql" && behind) parts.push(postgresql(r.op));
  else if (b === "redis" && behind) parts.push(redis(r.op));
  else if (b === "cached_db" && r.op === "load") parts.push(CACHED_DB_LOAD);
  else if (b === "cached_db" && !capped) parts.push(cachedDbWrite(r.op));
  else if (b === "none" && !capped) parts.push(codec(r.op));
  return parts.join(" ");
}
