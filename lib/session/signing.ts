/**
 * Django's `django.core.signing`: salted HMAC, Signer, TimestampSigner and
 * `dumps`/`loads` with the exact compression and base64 rules (docs/django-format.md §1).
 */
import { createHash, createHmac, createSecretKey, type KeyObject } from "node:crypto";
import { constantTimeEqual } from "./crypto.ts";
import { compress as deflate, type ZlibFlavour } from "./deflate.ts";
import { inflateToLatin1 } from "./zlib-reuse.ts";
import { BadSignature, MalformedPayload, SignatureExpired } from "./errors.ts";
import { decodeBase62, decodeBase64Url, encodeBase62, encodeBase64Url } from "./encoding.ts";
import { dumpsPython } from "./python-json.ts";
import { loadsPythonAs, needsFullParser } from "./python-json-parse.ts";

export { decodeBase62, encodeBase62 } from "./encoding.ts";

export type HashAlgorithm = "sha256" | "sha1";

const derivedKeys = new Map<string, KeyObject>();

/**
 * K = H(keySalt || secret), computed once per (algorithm, salt, secret) and
 * cached as a KeyObject (as fast as a Buffer key for session-sized values, up to
 * 15 % faster at 8 KB, and the key bytes are not a Buffer anyone can read or pool).
 */
function deriveKey(keySalt: string, secret: string, algorithm: HashAlgorithm): KeyObject {
  const id = `${algorithm}\0${keySalt}\0${secret}`;
  let key = derivedKeys.get(id);
  if (key === undefined) {
    if (derivedKeys.size >= 1024) derivedKeys.clear();
    key = createSecretKey(createHash(algorithm).update(keySalt, "utf8").update(secret, "utf8").digest());
    derivedKeys.set(id, key);
  }
  return key;
}

/** Django's `salted_hmac(key_salt, value, secret, algorithm)`, as the raw digest. */
export function saltedHmac(keySalt: string, value: string, secret: string, algorithm: HashAlgorithm): Buffer {
  return createHmac(algorithm, deriveKey(keySalt, secret, algorithm)).update(value, "utf8").digest();
}

export interface SignerOptions {
  readonly secretKey: string;
  /** Older keys still accepted (Django 4.1+ SECRET_KEY_FALLBACKS), tried in order. */
  readonly fallbackKeys?: readonly string[];
  readonly salt?: string;
  readonly algorithm?: HashAlgorithm;
  /** Accept a SHA-1 signature made with the main key, as Django 3.1/3.2 do during the SHA-256 transition. */
  readonly allowLegacySha1?: boolean;
}

export interface Signer {
  signature(value: string): string;
  sign(value: string): string;
  /** The signed value, or BadSignature. */
  unsign(signed: string): string;
}

export function createSigner(options: SignerOptions): Signer {
  const { secretKey, fallbackKeys = [], salt = "django.core.signing.Signer", algorithm = "sha256" } = options;
  const keySalt = salt + "signer";
  const keys = [secretKey, ...fallbackKeys].map((secret) => deriveKey(keySalt, secret, algorithm));
  const mainKey = keys[0]!;
  const legacyKey = options.allowLegacySha1 && algorithm !== "sha1" ? deriveKey(keySalt, secretKey, "sha1") : null;
  const compute = (key: KeyObject, alg: HashAlgorithm, value: string) => createHmac(alg, key).update(value, "utf8").digest("base64url");
  return {
    signature: (value) => compute(mainKey, algorithm, value),
    sign: (value) => `${value}:${compute(mainKey, algorithm, value)}`,
    unsign(signed) {
      const cut = signed.lastIndexOf(":");
      if (cut < 0) throw new BadSignature("no ':' separator in the signed value");
      const value = signed.slice(0, cut);
      const sig = signed.slice(cut + 1);
      // Fallback keys let a rotated SECRET_KEY keep existing sessions valid until they expire.
      for (const key of keys) if (constantTimeEqual(sig, compute(key, algorithm, value))) return value;
      if (legacyKey && constantTimeEqual(sig, compute(legacyKey, "sha1", value))) return value;
      throw new BadSignature("signature does not match");
    },
  };
}

export interface TimestampSigner {
  sign(value: string, now: Date): string;
  /** The value; BadSignature, SignatureExpired when older than `maxAge` seconds, MalformedPayload without timestamp. */
  unsign(signed: string, check: { readonly maxAge?: number | null; readonly now?: Date }): string;
}

export function createTimestampSigner(options: SignerOptions): TimestampSigner {
  const signer = createSigner(options);
  return {
    sign: (value, now) => signer.sign(`${value}:${encodeBase62(Math.floor(now.getTime() / 1000))}`),
    unsign(signed, { maxAge = null, now }) {
      const inner = signer.unsign(signed);
      const cut = inner.lastIndexOf(":");
      if (cut < 0) throw new MalformedPayload("signed value has no timestamp");
      const timestamp = decodeBase62(inner.slice(cut + 1));
      if (maxAge !== null) {
        if (now === undefined) throw new TypeError("unsign: `now` is required with maxAge");
        const age = now.getTime() / 1000 - timestamp;
        if (age > maxAge) throw new SignatureExpired(`signature age ${age} > ${maxAge} seconds`);
      }
      return inner.slice(0, cut);
    },
  };
}

/**
 * b64url of the serialized bytes, zlib-compressed with a "." prefix only when
 * that saves at least 2 bytes (Django's rule), and, with `compressMinBytes`,
 * only tried on values of at least that many bytes.
 */
function encodePayload(serialized: string, compress: boolean, zlib: ZlibFlavour = "native", compressMinBytes = 0): string {
  const data = Buffer.from(serialized, "latin1");
  if (compress && data.length >= compressMinBytes) {
    const z = deflate(data, zlib);
    if (z.length < data.length - 1) return "." + encodeBase64Url(z);
  }
  return encodeBase64Url(data);
}

/**
 * The most a compressed payload may inflate to (8 MiB, far above any real
 * session). Django has no limit; without one, a value signed with a leaked key
 * could inflate ~1000x (1 MB of zlib → 1 GB) and exhaust memory.
 */
export const MAX_INFLATED_PAYLOAD_BYTES = 8 * 1024 * 1024;

/** The serialized text inside a payload (latin-1, as Django decodes it). */
function decodePayload(payload: string): string {
  const compressed = payload.startsWith(".");
  const bytes = decodeBase64Url(compressed ? payload.slice(1) : payload);
  if (!compressed) return bytes.toString("latin1");
  try {
    // zlib stops as soon as the output passes the limit, so a bomb costs at most that much memory and time.
    return inflateToLatin1(bytes, MAX_INFLATED_PAYLOAD_BYTES);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") {
      throw new MalformedPayload(`compressed payload inflates to more than ${MAX_INFLATED_PAYLOAD_BYTES} bytes`);
    }
    throw new MalformedPayload("compressed payload is not a valid zlib stream");
  }
}

export interface SignedSerializerOptions extends SignerOptions {
  readonly compress?: boolean;
  /**
   * With `compress`, try compression only on serialized values of at least this
   * many bytes (default 0: on every value, as Django does). Django reads both forms.
   */
  readonly compressMinBytes?: number;
  /** "native" (default, fast) or "cpython" (byte-identical to CPython's zlib); Django reads both. */
  readonly zlib?: ZlibFlavour;
}

export interface SignedSerializer {
  dumps(value: unknown, now: Date): string;
  /** `dumps`, with the serialized JSON text it signed (what `loadsText` gives back for it). */
  dumpsText(value: unknown, now: Date): { readonly signed: string; readonly text: string };
  loads(signed: string, check?: { readonly maxAge?: number | null; readonly now?: Date }): unknown;
  /** Verifies and unpacks a signed value to its serialized JSON text, without parsing it. */
  loadsText(signed: string, check?: { readonly maxAge?: number | null; readonly now?: Date }): string;
}

/** The payload's value; `full` is `needsFullParser(text)` when the caller has it already. */
export function parsePayloadText(text: string, full: boolean = needsFullParser(text)): unknown {
  try {
    return loadsPythonAs(text, full);
  } catch (error) {
    throw new MalformedPayload(`payload is not valid JSON (${(error as Error).message})`);
  }
}

/** `signing.dumps`/`signing.loads` bound to one key set and salt, so nothing is derived per call. */
export function createSignedSerializer(options: SignedSerializerOptions): SignedSerializer {
  const signer = createTimestampSigner({ salt: "django.core.signing", ...options });
  const compress = options.compress ?? false;
  const zlib = options.zlib ?? "native";
  const compressMinBytes = options.compressMinBytes ?? 0;
  const loadsText = (signed: string, check: { readonly maxAge?: number | null; readonly now?: Date } = {}) =>
    decodePayload(signer.unsign(signed, check));
  const dumpsText = (value: unknown, now: Date) => {
    const text = dumpsPython(value);
    return { signed: signer.sign(encodePayload(text, compress, zlib, compressMinBytes), now), text };
  };
  return {
    dumps: (value, now) => dumpsText(value, now).signed,
    dumpsText,
    loads: (signed, check) => parsePayloadText(loadsText(signed, check)),
    loadsText,
  };
}

export function dumps(value: unknown, options: SignedSerializerOptions & { readonly now: Date }): string {
  return createSignedSerializer(options).dumps(value, options.now);
}

export function loads(signed: string, options: SignerOptions & { readonly maxAge?: number | null; readonly now?: Date }): unknown {
  return createSignedSerializer(options).loads(signed, options);
}
