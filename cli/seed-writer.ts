/**
 * Writes seed batches into the SQL engines' tables, many rows per statement:
 * `django_session` (Django's columns, Django's SQLite date text) and the meta
 * row beside each session. SQLite: two prepared statements run row by row in
 * one transaction per batch. PostgreSQL: one statement per batch that unnests
 * column arrays into both tables (COPY would need pg-copy-streams), with two
 * batches in flight on two connections so the server works while the next
 * batch is prepared.
 */
import { formatPrismaSqliteDate, formatSqliteDate } from "../lib/session/index.ts";
import type { Database } from "../lib/node/db/connection.ts";
import type { SeedBatch } from "./seed-rows.ts";

export interface BatchWriter {
  /** Resolves once the batch is committed (PostgreSQL may still be writing earlier ones meanwhile). */
  write(batch: SeedBatch): Promise<void>;
}

const SESSION_INSERT_SQLITE = "INSERT INTO django_session (session_key, session_data, expire_date) VALUES (?, ?, ?)";
const META_INSERT_SQLITE =
  "INSERT INTO sessionscope_session_meta (session_key, public_id, user_id, created_at, last_activity, ip, user_agent, device, engine, expire_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

/** One statement, both tables: the session rows, then their meta rows, from the same arrays. */
export const BATCH_INSERT_POSTGRES = `WITH sessions AS (
  INSERT INTO django_session (session_key, session_data, expire_date)
  SELECT * FROM unnest($1::varchar[], $2::text[], $3::timestamptz[])
)
INSERT INTO sessionscope_session_meta (session_key, public_id, user_id, created_at, last_activity, ip, user_agent, device, engine, expire_date)
SELECT k, p, u, c, a, i, ua, d, $10, e FROM unnest($1::varchar[], $4::varchar[], $5::int[], $6::timestamptz[], $7::timestamptz[], $8::varchar[], $9::varchar[], $11::varchar[], $3::timestamptz[])
  AS t(k, p, u, c, a, i, ua, d, e)`;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The statement's parameters for one batch. */
export function postgresBatchParams(batch: SeedBatch, engine: string): unknown[] {
  return [
    batch.keys, batch.data, batch.expires.map(iso), batch.publicIds, batch.userIds, batch.created.map(iso), batch.activity.map(iso),
    batch.ips, batch.agents, engine, batch.devices,
  ];
}

export function createBatchWriter(db: Database, engine: string): BatchWriter {
  if (db.provider === "sqlite") {
    // Rows arrive in random key and time order, so every index takes inserts all over: keep its
    // pages in memory (this connection only, up to 256 MiB) rather than rereading them per row.
    db.sqlite.pragma("cache_size = -262144");
    const session = db.sqlite.prepare(SESSION_INSERT_SQLITE);
    const meta = db.sqlite.prepare(META_INSERT_SQLITE);
    const insert = db.sqlite.transaction((batch: SeedBatch) => {
      for (let i = 0; i < batch.keys.length; i++) {
        const key = batch.keys[i]!;
        const activity = batch.activity[i] ?? null;
        const expire = formatSqliteDate(new Date(batch.expires[i]!));
        session.run(key, batch.data[i]!, expire);
        meta.run(
          key, batch.publicIds[i]!, batch.userIds[i] ?? null, formatPrismaSqliteDate(new Date(batch.created[i]!)),
          activity === null ? null : formatPrismaSqliteDate(new Date(activity)), batch.ips[i] ?? null, batch.agents[i] ?? null, batch.devices[i] ?? null, engine, expire,
        );
      }
    });
    return { write: async (batch) => insert(batch) };
  }
  const pool = db.pool;
  return {
    async write(batch) {
      await pool.query(BATCH_INSERT_POSTGRES, postgresBatchParams(batch, engine));
    },
  };
}
