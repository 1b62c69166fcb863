// Property-based bad-input suite for signed values (the db/file/cached_db codec,
// with and without the legacy fallback, and the signed-cookie codec): whatever
// the string, decode returns { ok: true, data } or { ok: false, reason }, never
// throws, and does work linear in the input. Values are also re-signed after
// mutation, so the fuzzing reaches past the signature into base64, zlib and JSON.
import { deflateSync } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { COOKIE_SALT, SESSION_SALT, createCookieCodec, createSessionCodec, type DecodeResult } from "./codec.ts";
import { dumpsPython } from "./python-json.ts";
import { createTimestampSigner } from "./signing.ts";
import { itHandlesGarbage, LINEAR_RUNS, expectLinearWork, mutatedBytes, mutatedText, pump, pumped, sessionData } from "../../test/helpers/fuzz.ts";
import { loadMeta, loadVectors } from "../../test/fixtures/django-vectors.ts";

const { secret_key: SECRET } = loadMeta();
const NOW = new Date(1_700_000_000_000);
const CODECS = {
  db: createSessionCodec({ secretKey: SECRET }),
  dbLegacy: createSessionCodec({ secretKey: SECRET, legacy: true }),
  cookie: createCookieCodec({ secretKey: SECRET, maxAge: 1_209_600 }),
};
const uncached = createSessionCodec({ secretKey: SECRET, legacy: true, verifiedCacheSize: 0 });
const sessionSigner = createTimestampSigner({ secretKey: SECRET, salt: SESSION_SALT });
const cookieSigner = createTimestampSigner({ secretKey: SECRET, salt: COOKIE_SALT });

const VECTORS = ["db.json", "file.json", "signed_cookies.json", "tampered.json", "interop.json", "legacy.json", "other_key.json"].flatMap((f) => loadVectors(f));
const ENCODED = VECTORS.map((v) => v.encoded).filter((e): e is string => typeof e === "string" && e.length > 0);
const SERIALIZED = [
  ...VECTORS.map((v) => v.serialized).filter((s): s is string => typeof s === "string"),
  ...VECTORS.filter((v) => typeof v.decoded === "object" && v.decoded !== null).map((v) => dumpsPython(v.decoded)),
];
const PAYLOADS = ENCODED.map((e) => e.split(":")[0]!).filter(Boolean);

/** The documented result shape, and nothing else. */
function expectDecodeResult(result: DecodeResult): void {
  if (result.ok) expect(result.data).toBeInstanceOf(Map);
  else expect(result).toEqual({ ok: false, reason: expect.stringMatching(/\S/) });
}

function decodeEverywhere(value: string): void {
  expectDecodeResult(CODECS.db.decode(value, NOW));
  expectDecodeResult(CODECS.dbLegacy.decode(value, NOW));
  expectDecodeResult(CODECS.cookie.decode(value, NOW));
}

const plainPayload = (text: string) => Buffer.from(text, "latin1").toString("base64url");
const zlibPayload = (bytes: Uint8Array) => "." + Buffer.from(bytes).toString("base64url");

describe("signed-value decode: bad input is { ok: false }, never an exception", () => {
  itHandlesGarbage(decodeEverywhere, ENCODED, { runs: 400, samplesName: "real values from Django" });

  it("mutated payload strings, re-signed (base64 layer)", () => {
    fc.assert(
      fc.property(mutatedText(PAYLOADS), (payload) => {
        expectDecodeResult(CODECS.db.decode(sessionSigner.sign(payload, NOW), NOW));
        expectDecodeResult(CODECS.cookie.decode(cookieSigner.sign(payload, NOW), NOW));
      }),
      { numRuns: 300 },
    );
  });

  it("mutated JSON texts, re-signed plain and compressed (JSON layer)", () => {
    fc.assert(
      fc.property(mutatedText(SERIALIZED), (text) => {
        for (const payload of [plainPayload(text), zlibPayload(deflateSync(Buffer.from(text, "latin1")))]) {
          expectDecodeResult(CODECS.db.decode(sessionSigner.sign(payload, NOW), NOW));
          expectDecodeResult(CODECS.cookie.decode(cookieSigner.sign(payload, NOW), NOW));
        }
      }),
      { numRuns: 300 },
    );
  });

  it("mutated zlib streams, re-signed (zlib layer)", () => {
    const streams = SERIALIZED.map((s) => deflateSync(Buffer.from(s, "latin1")));
    fc.assert(
      fc.property(mutatedBytes(streams), (z) => expectDecodeResult(CODECS.db.decode(sessionSigner.sign(zlibPayload(z), NOW), NOW))),
      { numRuns: 300 },
    );
  });

  it("mutated timestamps and signatures of cookies", () => {
    const cookies = VECTORS.filter((v) => v.salt === COOKIE_SALT && typeof v.encoded === "string").map((v) => v.encoded as string);
    const tails = fc.tuple(fc.constantFrom(...cookies), mutatedText(cookies.map((c) => c.slice(c.indexOf(":")))));
    fc.assert(fc.property(tails, ([cookie, tail]) => expectDecodeResult(CODECS.cookie.decode(cookie.slice(0, cookie.indexOf(":")) + tail, NOW))), { numRuns: 200 });
  });
});

describe("encode then decode is the identity", () => {
  it("for data Python's JSON round-trips: same values, same key order (db and cookie codecs)", () => {
    fc.assert(
      fc.property(sessionData, (data) => {
        for (const codec of [CODECS.db, CODECS.cookie]) {
          const decoded = codec.decode(codec.encode(data, NOW), NOW);
          if (!decoded.ok) throw new Error(decoded.reason);
          expect(decoded.data).toEqual(data);
          expect(dumpsPython(decoded.data)).toBe(dumpsPython(data));
        }
      }),
      { numRuns: 200 },
    );
  });
});

// Pieces that stress each layer: base64 and padding, JSON tokens, numbers, escapes, nesting.
const B64_PIECES = fc.string({ unit: fc.constantFrom("A", "z", "0", "-", "_", "=", ".", "==", "+", "/", ":", " "), maxLength: 8 });
const JSON_PIECES = fc.string({
  unit: fc.constantFrom("[", "]", "{", "}", '"', '"a":', '"10":', ":", ",", " ", "1", "0", "-", ".", "e", "E5", "+", "9".repeat(17), "1.0", "NaN", "-Infinity", "true", "null", "\\", "\\u00e9", "\\ud83d", "\\n", "é"),
  maxLength: 8,
});

describe("decoding does linear work, whatever it is given", () => {
  it("pumped payload strings, signed", () => {
    fc.assert(
      fc.property(pumped(B64_PIECES), (p) => expectLinearWork((size) => sessionSigner.sign(pump(p, size), NOW), (v) => uncached.decode(v))),
      LINEAR_RUNS(40),
    );
  });

  it("pumped JSON texts, signed plain and compressed", () => {
    fc.assert(
      fc.property(pumped(JSON_PIECES), fc.boolean(), (p, compressed) => {
        const sign = (text: string) => {
          const bytes = Buffer.from(text, "latin1");
          return sessionSigner.sign(compressed ? zlibPayload(deflateSync(bytes)) : plainPayload(text), NOW);
        };
        expectLinearWork((size) => sign(pump(p, size)), (v) => uncached.decode(v));
      }),
      LINEAR_RUNS(40),
    );
  });

  it("pumped unsigned junk (the signature check and the legacy fallback)", () => {
    fc.assert(fc.property(pumped(fc.oneof(B64_PIECES, JSON_PIECES)), (p) => expectLinearWork((size) => pump(p, size), (v) => uncached.decode(v))), LINEAR_RUNS(20));
  });
});
