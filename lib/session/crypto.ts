/** The two crypto helpers the framework shares: constant-time comparison and a pooled CSPRNG. */
import { randomFillSync, timingSafeEqual } from "node:crypto";

/**
 * Whether two secrets-derived values are equal (strings compare as UTF-8).
 * Why constant-time: a comparison that stops at the first difference lets an
 * attacker recover a signature or hash byte by byte from response times. The
 * lengths are not secret (signatures and hashes have fixed lengths), so a
 * length mismatch returns false at once.
 */
export function constantTimeEqual(a: string | Uint8Array, b: string | Uint8Array): boolean {
  const x = typeof a === "string" ? Buffer.from(a, "utf8") : a;
  const y = typeof b === "string" ? Buffer.from(b, "utf8") : b;
  return x.byteLength === y.byteLength && timingSafeEqual(x, y);
}

// Random bytes come from one pooled CSPRNG buffer: one randomFillSync per 4 KiB
// instead of one per session key or public id. Each byte is handed out once and
// wiped, so no two values (a key and an id, say) ever share randomness.
const POOL_SIZE = 4096;
const pool = Buffer.alloc(POOL_SIZE);
let poolOffset = POOL_SIZE;

function refill(): void {
  randomFillSync(pool);
  poolOffset = 0;
}

/** One fresh random byte (0-255). */
export function takeRandomByte(): number {
  if (poolOffset === POOL_SIZE) refill();
  const byte = pool[poolOffset]!;
  pool[poolOffset++] = 0;
  return byte;
}

/** Copies `length` fresh random bytes into `target` at `start` (at most 4096 per call). */
export function takeRandomBytes(target: Uint8Array, start: number, length: number): void {
  if (!Number.isSafeInteger(length) || length < 0 || length > POOL_SIZE) throw new RangeError(`takeRandomBytes: ${length} bytes (0 to ${POOL_SIZE})`);
  if (poolOffset + length > POOL_SIZE) refill();
  target.set(pool.subarray(poolOffset, poolOffset + length), start);
  pool.fill(0, poolOffset, poolOffset + length);
  poolOffset += length;
}
