/** The report's method section: how each figure was measured. */
import type { MachineFacts } from "../runner/machine.ts";
import type { RunOptions } from "../runner/options.ts";

type Timing = Pick<RunOptions, "rounds" | "seconds" | "warmup">;

/** `payloadBytes`: the size of bench/payload.json as compact JSON. */
export function renderMethod(facts: MachineFacts, opts: Timing, payloadBytes: number): string[] {
  return [
    "## Method",
    "",
    `- **One run, one machine, same servers.** \`bench/run.ts\` starts one PostgreSQL and one Redis on 127.0.0.1 (\`test/services/services.mjs\`), then for each backend runs Django, express-session and SessionScope one after the other against them, ${opts.rounds} round${opts.rounds > 1 ? "s" : ""} in turn (Django, express, SessionScope, Django, …). Each implementation gets its own PostgreSQL database and Redis logical database on the same server, and its own SQLite file in the same temp folder, so none reads another's rows.`,
    "- **Serial, single connection, on both sides.** Every loop issues one operation, waits for it to finish (Python: a plain call; Node: `await`), then issues the next: one SQLite connection, one PostgreSQL connection (Django's connection; a `pg.Pool` used serially reuses one connection), one Redis connection. These are per-operation latencies of a single worker, not the throughput of a loaded server.",
    `- **Time-boxed loops.** Each operation runs ${opts.warmup} s untimed (warm-up: JIT, statement caches, connection set-up), then as many times as fit in ${opts.seconds} s; ops/s = count / elapsed, µs/op = elapsed / count.`,
    "- **Operations**, all on existing sessions created by the create loop just before (up to 5,000 keys, cycled):",
    "  - *create*: Django `s = SessionStore(); s.update(payload); s.save()`; SessionScope `new Session({ store, codec })`, `load()`, `update(payload)`, `save()`; express-session `store.set(newSid, session)`.",
    "  - *load*: Django `SessionStore(key).load()`; SessionScope `new Session({ key, store, codec }).load()`; express-session `store.get(sid)`.",
    "  - *load-modify-save*: Django `s = SessionStore(key); s[\"counter\"] = i; s.save()`; SessionScope `load()`, `set(\"counter\", i)`, `save()` (a compare-and-swap update); express-session `store.get(sid)` then `store.set(sid, session)`.",
    "  - *touch* (express-session only, informational, no target): `store.touch(sid, session)`, which express-session calls at the end of a request that read the session without changing it.",
    "  - *encode / decode*: the 1 KB payload through Django's `SessionStore.encode/decode` and SessionScope's `lib/session/codec.ts` (same secret key, same salt, zlib compression as Django). SessionScope's *decode* runs with its verified-value cache off, so that each call checks the HMAC, inflates and parses, as Django's does; *decode, same value again* (informational) runs with the cache on. Informational too: `JSON.stringify` / `JSON.parse` of express-session's session object, the format its three stores keep.",
    `- **Payload**: \`bench/payload.json\`, identical everywhere: ${payloadBytes} bytes of compact JSON (auth keys \`_auth_user_id\`, \`_auth_user_backend\`, \`_auth_user_hash\`, a four-item cart, recently viewed products, preferences, two flash messages). express-session adds its \`cookie\` object to it, as it does in a real app.`,
    "- **SQLite durability.** *sqlite-full*: `journal_mode=DELETE`, `synchronous=FULL`, Django's default: each commit is on disk before it returns, so it survives a power cut. *sqlite-default*: `journal_mode=WAL`, `synchronous=NORMAL`, SessionScope's default: a commit survives a crash of the app, but an OS crash or power cut may lose the last commits (the database stays consistent). Django gets the same pragmas through a `connection_created` signal and better-sqlite3-session-store through `db.pragma`, so each table compares equal durability.",
    `- **PostgreSQL durability.** The test server runs with \`fsync=${facts.pgFsync ?? "off"}\` (as \`test/services/services.mjs\` starts it), the same for every implementation: the PostgreSQL numbers measure protocol and query cost, not disk flushes.`,
    "- **Floor.** `bench/floor.bench.ts` measures what the backend costs with no session code: one SQLite commit of a one-row `UPDATE` at each durability, one PostgreSQL `SELECT 1` round trip (a named, prepared statement), one Redis `PING`, and for the codec one native zlib `deflateSync` (level 6) of the payload's JSON and one `inflateSync` of it back, the steps of Django's format (`compress=True`) nothing may skip. The *floor* column is the least an operation needs (SQLite writes: one commit, reads: nothing measurable; PostgreSQL and Redis: one round trip per unavoidable statement, two for load-modify-save; cached_db: the database and the cache; encode: the deflate; decode: the inflate), and *best possible / Django* is Django's time divided by it: the ratio no implementation can beat.",
    `- **Noise.** On a small shared VM a loopback round trip flips between about 20 µs and 60 µs depending on what else runs, and fsync-bound writes vary more. Every figure is therefore the best of ${opts.rounds} interleaved round${opts.rounds > 1 ? "s" : ""} (the same rule for every implementation and for the floor; the raw lines below also give each measurement's worst round): a slow stretch of the machine can no longer land on one implementation only. Compare ratios within one run, and re-run on a quiet machine before drawing fine conclusions.`,
    "- **Sanity checks.** Each bench reads back a created session and checks its contents, and checks that load-modify-save persisted, before its numbers count.",
    "",
  ];
}
