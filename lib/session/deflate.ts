/**
 * zlib compression for session payloads, two ways:
 * - "native": Node's zlib (level 6). About 4x faster; its bytes differ from
 *   CPython's, as Django's own output differs between zlib builds, and Django
 *   decodes any valid zlib stream. The default on the request path.
 * - "cpython": byte-identical to CPython's `zlib.compress(data)` (level 6,
 *   window 15, memLevel 8), via pako's port of classic zlib, for reproducing
 *   Django's exact values (the CLI's `encode`, the vector tests).
 */
import { deflate as deflateOnce } from "pako";
import zlibDeflate from "pako/lib/zlib/deflate.js";
import ZStream from "pako/lib/zlib/zstream.js";
import { deflateLevel6 } from "./zlib-reuse.ts";

const Z_FINISH = 4;
const Z_OK = 0;
const Z_STREAM_END = 1;
let stream: ZStream | null = null;

export type ZlibFlavour = "native" | "cpython";

export function compress(data: Uint8Array, flavour: ZlibFlavour): Uint8Array {
  return flavour === "native" ? deflateLevel6(data) : compressLikePython(data);
}

// One pako stream is reset and reused: allocating zlib's ~200 KB of state
// dominated the cost of a 1 KB session.

export function compressLikePython(data: Uint8Array): Uint8Array {
  const strm = openStream();
  if (strm === null) return deflateOnce(data);
  // zlib's compressBound plus room for the header and checksum.
  const out = new Uint8Array(data.length + (data.length >> 12) + (data.length >> 14) + (data.length >> 25) + 64);
  strm.input = data;
  strm.next_in = 0;
  strm.avail_in = data.length;
  strm.output = out;
  strm.next_out = 0;
  strm.avail_out = out.length;
  const status = zlibDeflate.deflate(strm, Z_FINISH);
  const length = strm.next_out;
  strm.input = null;
  strm.output = null;
  if (status !== Z_STREAM_END) {
    stream = null;
    return deflateOnce(data);
  }
  return out.subarray(0, length);
}

function openStream(): ZStream | null {
  if (stream !== null) return zlibDeflate.deflateReset(stream) === Z_OK ? stream : (stream = null);
  const fresh = new ZStream();
  // Level 6, deflate method 8, 15-bit window, memLevel 8, default strategy: CPython's zlib.compress defaults.
  if (zlibDeflate.deflateInit2(fresh, 6, 8, 15, 8, 0) !== Z_OK) return null;
  return (stream = fresh);
}
