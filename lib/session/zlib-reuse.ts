/**
 * Node's native zlib, one stream reused for session-sized values.
 *
 * `zlib.inflateSync` and `deflateSync` build a stream object and a native zlib
 * stream on every call and close them after it: at 1 KB that fixed cost is
 * most of the call (inflate 7.9 µs a value, against 2.6 µs through one stream
 * reset between values, on the machine of docs/benchmarks.md). Node offers no
 * public way to reuse a stream synchronously, so this module drives the
 * native handle of one `zlib.Inflate` and one `zlib.Deflate` directly
 * (`writeSync`, then `reset`), as zlib's own synchronous path does, and falls
 * back to `inflateSync` / `deflateSync` whenever that handle is not what it
 * expects (another Node), reports an error, or the output does not fit its
 * buffer. So every value that does not go the fast way goes the old way, with
 * the old errors and limits: bad input is never judged here.
 *
 * The same idea as deflate.ts's reused pako stream for CPython's bytes.
 */
import zlib from "node:zlib";

/** The largest output the reused streams produce; beyond it the one-shot calls take over. */
const OUT_BYTES = 64 * 1024;

/** What this module needs of a zlib stream's native handle (lib/zlib.js's synchronous path). */
interface NativeHandle {
  writeSync(flush: number, input: Uint8Array, inOff: number, inLen: number, out: Uint8Array, outOff: number, outLen: number): void;
  reset(): void;
  onerror: (message: string, errno: number) => void;
}

interface Reused {
  readonly handle: NativeHandle;
  /** [avail_out, avail_in] after the last write. */
  readonly state: Uint32Array;
  readonly out: Buffer;
  failed: boolean;
}

function open(engine: zlib.Inflate | zlib.Deflate): Reused | null {
  const internals = engine as unknown as { _handle?: Partial<NativeHandle>; _writeState?: unknown };
  const handle = internals._handle;
  const state = internals._writeState;
  if (!handle || typeof handle.writeSync !== "function" || typeof handle.reset !== "function" || !(state instanceof Uint32Array) || state.length < 2) return null;
  const reused: Reused = { handle: handle as NativeHandle, state, out: Buffer.allocUnsafe(OUT_BYTES), failed: false };
  reused.handle.onerror = () => {
    reused.failed = true;
  };
  return reused;
}

/** Writes `input` whole with Z_FINISH; the output's length, or -1 when this way cannot answer. */
function run(reused: Reused, input: Uint8Array): number {
  reused.failed = false;
  reused.handle.reset();
  reused.handle.writeSync(zlib.constants.Z_FINISH, input, 0, input.length, reused.out, 0, OUT_BYTES);
  const [availOut, availIn] = reused.state;
  // An error, input left over, or a full buffer (the output may go on): the one-shot call decides.
  if (reused.failed || availIn !== 0 || availOut === 0) return -1;
  return OUT_BYTES - availOut!;
}

let inflater: Reused | null | undefined;
let deflater: Reused | null | undefined;

/** Verifies a fresh stream on a probe value once; a stream that does not give the one-shot answer is never used. */
function checked(make: () => Reused | null, probe: (reused: Reused) => boolean): Reused | null {
  try {
    const reused = make();
    return reused && probe(reused) ? reused : null;
  } catch {
    return null;
  }
}

const PROBE = Buffer.from('{"_auth_user_id":"42","cart":[1,2,3],"note":"zlib probe zlib probe zlib probe"}', "latin1");

/** `inflateSync(bytes, { maxOutputLength })` as latin-1 text, through the reused stream when the value fits it. */
export function inflateToLatin1(bytes: Uint8Array, maxOutputLength: number): string {
  inflater ??= checked(
    () => open(zlib.createInflate()),
    (r) => {
      const n = run(r, zlib.deflateSync(PROBE));
      return n === PROBE.length && r.out.subarray(0, n).equals(PROBE);
    },
  );
  if (inflater && maxOutputLength >= OUT_BYTES) {
    const n = run(inflater, bytes);
    if (n >= 0) return inflater.out.toString("latin1", 0, n);
  }
  return zlib.inflateSync(bytes, { maxOutputLength }).toString("latin1");
}

/** `deflateSync(data, { level: 6 })`, through the reused stream when the output fits it. */
export function deflateLevel6(data: Uint8Array): Uint8Array {
  deflater ??= checked(
    () => open(zlib.createDeflate({ level: 6 })),
    (r) => {
      const n = run(r, PROBE);
      return n > 0 && zlib.inflateSync(r.out.subarray(0, n)).equals(PROBE) && r.out.subarray(0, n).equals(zlib.deflateSync(PROBE, { level: 6 }));
    },
  );
  if (deflater) {
    const n = run(deflater, data);
    if (n >= 0) return Buffer.from(deflater.out.subarray(0, n));
  }
  return zlib.deflateSync(data, { level: 6 });
}
