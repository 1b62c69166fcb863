// Property-based bad-input suite for the pre-3.1 decoder: any string gives the
// data, BadSignature or MalformedPayload (what the codec turns into
// { ok: false }), in linear time; values re-hashed after mutation reach the JSON reader.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BadSignature, MalformedPayload } from "./errors.ts";
import { decodeLegacySession, encodeLegacySession } from "./legacy.ts";
import { dumpsPython, loadsPython } from "./python-json.ts";
import { itHandlesGarbage, LINEAR_RUNS, expectLinearWork, mutatedText, pump, pumped, sessionData } from "../../test/helpers/fuzz.ts";
import { loadMeta, loadVectors } from "../../test/fixtures/django-vectors.ts";

const { secret_key: SECRET, other_secret_key: OTHER } = loadMeta();
const options = { secretKey: OTHER, fallbackKeys: [SECRET] };
const LEGACY = loadVectors("legacy.json");
const ENCODED = LEGACY.map((v) => v.encoded).filter((e): e is string => typeof e === "string");
const SERIALIZED = [
  ...LEGACY.map((v) => v.serialized),
  ...loadVectors("db.json").map((v) => v.serialized),
].filter((s): s is string => typeof s === "string");

/** The data, or one of the two documented errors. */
function decodeOrDocumentedError(encoded: string): void {
  try {
    decodeLegacySession(encoded, options);
  } catch (error) {
    expect(error instanceof BadSignature || error instanceof MalformedPayload, String(error)).toBe(true);
  }
}

describe("pre-3.1 decoder on bad input", () => {
  itHandlesGarbage(decodeOrDocumentedError, ENCODED, { samplesName: "Django 3.2's legacy values" });

  it("mutated JSON with a valid hash (past the signature)", () => {
    fc.assert(fc.property(mutatedText(SERIALIZED), (t) => decodeOrDocumentedError(encodeLegacySession(t, { secretKey: SECRET }))), { numRuns: 300 });
  });
});

describe("round trip", () => {
  it("what encodeLegacySession writes, decodeLegacySession reads back", () => {
    fc.assert(
      fc.property(sessionData, (data) => {
        const text = dumpsPython(data);
        const decoded = decodeLegacySession(encodeLegacySession(text, { secretKey: SECRET }), options);
        expect(decoded).toEqual(loadsPython(text));
        expect(dumpsPython(decoded)).toBe(text);
      }),
      { numRuns: 200 },
    );
  });
});

describe("linear work", () => {
  const B64 = fc.string({ unit: fc.constantFrom("A", "z", "0", "+", "/", "=", "==", ":", "-", " "), maxLength: 8 });
  const JSON_PIECES = fc.string({ unit: fc.constantFrom("[", "]", "{", "}", '"', '"a":', ":", ",", "1", "9", ".", "e", "-", "NaN", "\\u00e9", "\\"), maxLength: 8 });

  it("on pumped base64 strings", () => {
    fc.assert(fc.property(pumped(B64), (p) => expectLinearWork((size) => pump(p, size), (e) => decodeLegacySession(e, options))), LINEAR_RUNS(30));
  });

  it("on pumped JSON with a valid hash", () => {
    fc.assert(
      fc.property(pumped(JSON_PIECES), (p) =>
        expectLinearWork((size) => encodeLegacySession(pump(p, size), { secretKey: SECRET }), (e) => decodeLegacySession(e, options)),
      ),
      LINEAR_RUNS(30),
    );
  });
});
