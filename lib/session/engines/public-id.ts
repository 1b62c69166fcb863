/**
 * Public ids: what the dashboard shows and puts in URLs instead of a session
 * key. 6 bytes of milliseconds then 10 random bytes (80 bits) → 22 base64url
 * characters. Ids made close in time share their leading characters, so
 * inserts land in one region of the unique index instead of dirtying a random
 * page of it (measured: -14 µs per SQLite create). They reveal only the
 * creation time, which the dashboard shows anyway.
 */
import { takeRandomBytes } from "../crypto.ts";

const id = Buffer.alloc(16);

/** A new public id made at `nowMs` (the engine's clock). */
export function newPublicId(nowMs: number): string {
  id.writeUIntBE(nowMs, 0, 6);
  takeRandomBytes(id, 6, 10);
  return id.toString("base64url");
}
