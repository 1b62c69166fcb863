/** base62 timestamps and base64 helpers with Django's exact alphabets and padding rules. */
import { MalformedPayload } from "./errors.ts";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export function encodeBase62(n: number): string {
  if (!Number.isSafeInteger(n)) throw new RangeError(`encodeBase62: ${n} is not a safe integer`);
  if (n < 0) return "-" + encodeBase62(-n);
  let out = "";
  do {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  } while (n > 0);
  return out;
}

/** Django's `b62_decode`; a value that is not base62 is malformed. */
export function decodeBase62(s: string): number {
  const negative = s.startsWith("-");
  const digits = negative ? s.slice(1) : s;
  if (digits === "") throw new MalformedPayload("empty base62 timestamp");
  let n = 0;
  for (const ch of digits) {
    const d = BASE62.indexOf(ch);
    if (d < 0) throw new MalformedPayload(`invalid base62 timestamp ${JSON.stringify(s)}`);
    n = n * 62 + d;
  }
  return negative ? -n : n;
}

export function encodeBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64url");
}

const B64URL = /^[A-Za-z0-9_-]*={0,2}$/;

/** Django's `b64_decode`: base64url, missing padding re-added, existing padding accepted. */
export function decodeBase64Url(s: string): Buffer {
  // Node's decoder skips invalid characters silently; check the alphabet and length first.
  if (!B64URL.test(s)) throw new MalformedPayload("payload is not valid base64url");
  // At most two "=" are left to strip (a /=+$/ replace would be quadratic on a long run of "=").
  const bare = s.endsWith("==") ? s.slice(0, -2) : s.endsWith("=") ? s.slice(0, -1) : s;
  if (bare.length % 4 === 1) throw new MalformedPayload("payload is not valid base64url");
  return Buffer.from(bare, "base64url");
}

const B64STD = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Standard base64 with padding, as the pre-3.1 session format uses. */
export function decodeBase64Strict(s: string): Buffer {
  if (!B64STD.test(s)) throw new MalformedPayload("legacy session data is not valid base64");
  return Buffer.from(s, "base64");
}
