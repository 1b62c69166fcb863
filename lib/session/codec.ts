/**
 * Session codecs: a session dict to Django's stored string and back.
 * `createSessionCodec` is the db/cached_db/file form (salt from the store
 * class name, no max age, pre-3.1 fallback on request); `createCookieCodec` is the
 * signed-cookies form (its own salt, max age = cookie age).
 */
import { BadSignature, MalformedPayload } from "./errors.ts";
import { decodeLegacySession } from "./legacy.ts";
import { PYTHON_KEY_ORDER, orderedKeys } from "./python-json.ts";
import { loadsPythonAs, needsFullParser } from "./python-json-parse.ts";
import type { ZlibFlavour } from "./deflate.ts";
import { createSignedSerializer, parsePayloadText } from "./signing.ts";

export const SESSION_SALT = "django.contrib.sessions.SessionStore";
export const COOKIE_SALT = "django.contrib.sessions.backends.signed_cookies";

export type SessionData = Map<string, unknown>;
export type DecodeResult = { readonly ok: true; readonly data: SessionData } | { readonly ok: false; readonly reason: string };

/**
 * What verified a stored string: the current secret key, one of the fallback
 * keys, the current key with SHA-1 (Django 3.1/3.2's transition signatures),
 * or the pre-3.1 format.
 */
export type SignedWith = "secret_key" | "fallback_key" | "legacy_sha1" | "legacy_format";
export type InspectResult = { readonly ok: true; readonly data: SessionData; readonly signedWith: SignedWith } | { readonly ok: false; readonly reason: string };

/** The db/cached_db/file codec, which can also say how a value was verified. */
export interface SessionStringCodec extends SessionCodec {
  decode(encoded: string, now?: Date): DecodeResult;
  /**
   * `decode`, and which key or format verified the value: for tools that show
   * a session's signature (the dashboard). It accepts exactly what `decode`
   * accepts, but tries the keys one at a time, so it is slower: never on the
   * request path.
   */
  inspect(encoded: string): InspectResult;
}

export interface SessionCodec {
  encode(data: ReadonlyMap<string, unknown>, now: Date): string;
  /** Never throws on bad input: tampering, wrong keys and corrupt payloads give `ok: false`. */
  decode(encoded: string, now: Date): DecodeResult;
}

export interface SessionCodecOptions {
  readonly secretKey: string;
  readonly fallbackKeys?: readonly string[];
  /** Django's `"django.contrib.sessions." + SessionStore.__qualname__`. */
  readonly salt?: string;
  readonly compress?: boolean;
  /**
   * With `compress`, compress only sessions whose JSON is at least this many
   * bytes (0 = Django's rule: try on every value). Default
   * SESSION_COMPRESS_MIN_BYTES, or 0 with `zlib: "cpython"`, whose purpose is
   * Django's exact bytes. Django reads compressed and plain values alike.
   */
  readonly compressMinBytes?: number;
  /**
   * Also read what Django 3.1/3.2 read: the pre-3.1 format and SHA-1
   * signatures. Off by default, as in Django 4.0+ (SESSION_ACCEPT_LEGACY).
   */
  readonly legacy?: boolean;
  /** "native" (default) or "cpython" zlib bytes; Django reads both (see deflate.ts). */
  readonly zlib?: ZlibFlavour;
  /**
   * How many verified values to remember (default 1024, 0 = off): the values
   * this codec decoded and those it encoded. A session is loaded far more
   * often than it changes, and the stored string is the same each time; a hit
   * skips the HMAC check and the inflate, never the parse, so every caller
   * still gets its own copy of the data.
   */
  readonly verifiedCacheSize?: number;
}

/**
 * Stored sessions (db, cached_db, file) are compressed from this size of JSON
 * up. Below it zlib costs more than the bytes it saves: even through one
 * reused zlib stream (zlib-reuse.ts), writing plain saves 7 to 18 µs an encode
 * and 2 to 3 µs a decode at 200 B and 1 KB, while 2 KiB of JSON is at most
 * 2.7 KB of base64, which one SQLite page holds (written 2 to 3 µs slower than
 * its compressed form). An 8 KB session is 4 times smaller compressed and
 * decodes in about the same time either way, so it is compressed
 * (docs/benchmarks.md, "The session codec at three sizes"). Signed cookies
 * keep Django's rule: their bytes travel with every request.
 */
export const SESSION_COMPRESS_MIN_BYTES = 2048;

export function createSessionCodec(options: SessionCodecOptions): SessionStringCodec {
  const { secretKey, fallbackKeys = [], salt = SESSION_SALT, compress = true, legacy = false, zlib = "native" } = options;
  const compressMinBytes = options.compressMinBytes ?? (zlib === "cpython" ? 0 : SESSION_COMPRESS_MIN_BYTES);
  const serializer = createSignedSerializer({ secretKey, fallbackKeys, salt, compress, compressMinBytes, zlib, allowLegacySha1: legacy });
  // Keyed by the whole signed string, and private to this codec's key set:
  // only values this codec verified itself are ever remembered.
  const verified = createVerifiedCache(options.verifiedCacheSize ?? 1024);
  // Built on first use: only the dashboard asks.
  let inspector: ReturnType<typeof createInspector> | undefined;
  return {
    encode(data, now) {
      // A value this codec signed is verified by construction: the next load of it (the session's
      // next request, after this save) skips the HMAC check and the inflate.
      const { signed, text } = serializer.dumpsText(data, now);
      // Which parser it needs is decided at its first load, as for a value decoded (most are never loaded here again).
      verified.set(signed, { text, full: undefined });
      return signed;
    },
    decode(encoded) {
      const known = verified.get(encoded);
      // A hit skips the HMAC check, the inflate and the parser choice; every caller still parses its own copy.
      if (known !== undefined) return toSessionData(loadsPythonAs(known.text, (known.full ??= needsFullParser(known.text))));
      const signed = attempt(() => {
        const text = serializer.loadsText(encoded);
        const full = needsFullParser(text);
        const value = parsePayloadText(text, full);
        verified.set(encoded, { text, full });
        return value;
      });
      // Django 3.2 tries the pre-3.1 format only when the new format's signature fails.
      if (!signed.ok && signed.badSignature && legacy) {
        const old = attempt(() => decodeLegacySession(encoded, { secretKey, fallbackKeys }));
        if (old.ok) return toSessionData(old.value);
      }
      return signed.ok ? toSessionData(signed.value) : { ok: false, reason: signed.reason };
    },
    inspect: (encoded) => (inspector ??= createInspector(options)).inspect(encoded),
  };
}

/** One serializer per way a value can be verified, tried in Django's order (see SignedWith). */
function createInspector(options: SessionCodecOptions) {
  const { secretKey, fallbackKeys = [], salt = SESSION_SALT, compress = true, legacy = false, zlib = "native" } = options;
  const serializer = (keys: { secretKey: string; fallbackKeys?: readonly string[] }, algorithm: "sha256" | "sha1" = "sha256") =>
    createSignedSerializer({ ...keys, salt, compress, zlib, algorithm });
  const attempts: Array<[SignedWith, (encoded: string) => unknown]> = [["secret_key", (e) => serializer({ secretKey }).loads(e)]];
  const [firstFallback, ...otherFallbacks] = fallbackKeys;
  if (firstFallback !== undefined) attempts.push(["fallback_key", (e) => serializer({ secretKey: firstFallback, fallbackKeys: otherFallbacks }).loads(e)]);
  if (legacy) attempts.push(["legacy_sha1", (e) => serializer({ secretKey }, "sha1").loads(e)]);
  return {
    inspect(encoded: string): InspectResult {
      let first: { reason: string } | null = null;
      for (const [signedWith, load] of attempts) {
        const result = attempt(() => load(encoded));
        if (result.ok) {
          const data = toSessionData(result.value);
          return data.ok ? { ...data, signedWith } : data;
        }
        first ??= result;
        // A good signature over a bad payload is the answer; only a mismatch tries the next key.
        if (!result.badSignature) return { ok: false, reason: result.reason };
      }
      if (legacy) {
        const old = attempt(() => decodeLegacySession(encoded, { secretKey, fallbackKeys }));
        if (old.ok) {
          const data = toSessionData(old.value);
          return data.ok ? { ...data, signedWith: "legacy_format" } : data;
        }
      }
      return { ok: false, reason: first?.reason ?? "signature does not match" };
    },
  };
}

export interface CookieCodecOptions {
  readonly secretKey: string;
  readonly fallbackKeys?: readonly string[];
  /** SESSION_COOKIE_AGE: a cookie signed longer ago than this is expired. */
  readonly maxAge: number;
  readonly compress?: boolean;
  readonly zlib?: ZlibFlavour;
}

interface Verified {
  /** The serialized JSON text inside the signed value. */
  readonly text: string;
  /** Whether it needs the Python-faithful parser (else JSON.parse reads it exactly); undefined until first needed. */
  full: boolean | undefined;
}

interface VerifiedCache {
  get(encoded: string): Verified | undefined;
  set(encoded: string, entry: Verified): void;
}

/**
 * The most text (signed strings plus their JSON) the verified cache holds in
 * all: a few huge sessions, or many forged with a leaked key, cannot pin
 * gigabytes between requests. One entry may take at most a sixteenth of it.
 */
const VERIFIED_CACHE_CHARS = 16 * 1024 * 1024;

function createVerifiedCache(size: number): VerifiedCache {
  if (size <= 0) return { get: () => undefined, set: () => {} };
  const entries = new Map<string, Verified>();
  let chars = 0;
  const cost = (encoded: string, entry: Verified) => encoded.length + entry.text.length;
  return {
    get: (encoded) => entries.get(encoded),
    set(encoded, entry) {
      const c = cost(encoded, entry);
      if (c > VERIFIED_CACHE_CHARS / 16 || entries.has(encoded)) return;
      while (entries.size > 0 && (entries.size >= size || chars + c > VERIFIED_CACHE_CHARS)) {
        const [oldest, old] = entries.entries().next().value!;
        entries.delete(oldest);
        chars -= cost(oldest, old);
      }
      entries.set(encoded, entry);
      chars += c;
    },
  };
}

export function createCookieCodec(options: CookieCodecOptions): SessionCodec {
  const serializer = createSignedSerializer({ ...options, salt: COOKIE_SALT, compress: options.compress ?? true });
  return {
    encode: (data, now) => serializer.dumps(data, now),
    decode(encoded, now) {
      const signed = attempt(() => serializer.loads(encoded, { maxAge: options.maxAge, now }));
      return signed.ok ? toSessionData(signed.value) : { ok: false, reason: signed.reason };
    },
  };
}

type Attempt = { ok: true; value: unknown } | { ok: false; reason: string; badSignature: boolean };

function attempt(run: () => unknown): Attempt {
  try {
    return { ok: true, value: run() };
  } catch (error) {
    if (error instanceof BadSignature || error instanceof MalformedPayload) {
      return { ok: false, reason: error.message, badSignature: error instanceof BadSignature && error.code === "BAD_SIGNATURE" };
    }
    throw error;
  }
}

/** The top-level dict as a Map in Python key order; anything but a dict is not a session. */
function toSessionData(value: unknown): DecodeResult {
  if (typeof value !== "object" || value === null || Array.isArray(value) || Object.getPrototypeOf(value) !== Object.prototype) {
    return { ok: false, reason: `session data is a JSON ${Array.isArray(value) ? "list" : value === null ? "null" : typeof value}, not an object` };
  }
  const record = value as Record<string, unknown>;
  const keys = PYTHON_KEY_ORDER in value ? orderedKeys(value) : Object.keys(value);
  const data: SessionData = new Map();
  for (const k of keys) data.set(k, record[k]);
  return { ok: true, data };
}
