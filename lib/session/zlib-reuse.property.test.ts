// The reused zlib streams answer exactly as Node's one-shot calls: the same text for every valid
// value, the same error for every invalid one, and the one-shot call itself past their buffer.
import fc from "fast-check";
import { deflateSync, inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { deflateLevel6, inflateToLatin1 } from "./zlib-reuse.ts";

const MAX = 8 * 1024 * 1024;

/** What the one-shot call gives: the text, or the error's code and message. */
function oneShot(bytes: Uint8Array): { text: string } | { code: unknown; message: string } {
  try {
    return { text: inflateSync(bytes, { maxOutputLength: MAX }).toString("latin1") };
  } catch (error) {
    return { code: (error as NodeJS.ErrnoException).code, message: (error as Error).message };
  }
}

function reused(bytes: Uint8Array): { text: string } | { code: unknown; message: string } {
  try {
    return { text: inflateToLatin1(bytes, MAX) };
  } catch (error) {
    return { code: (error as NodeJS.ErrnoException).code, message: (error as Error).message };
  }
}

/** Session-like bytes: repetitive JSON-ish text with some noise, up to 100 KB (past the reused buffer's 64 KB). */
const payloads = fc.oneof(
  fc.uint8Array({ maxLength: 3000 }),
  fc.string({ maxLength: 2000 }).map((s) => Buffer.from(JSON.stringify({ cart: [s, s, s], n: s.length }), "latin1")),
  fc.integer({ min: 60_000, max: 100_000 }).map((n) => Buffer.from("x".repeat(n) + "tail", "latin1")),
);

describe("zlib streams reused across values", () => {
  it("deflates to the bytes deflateSync writes, and inflates them back as inflateSync does", () => {
    fc.assert(
      fc.property(payloads, (data) => {
        const compressed = deflateLevel6(data);
        expect(Buffer.from(compressed).equals(deflateSync(data, { level: 6 }))).toBe(true);
        expect(inflateToLatin1(compressed, MAX)).toBe(Buffer.from(data).toString("latin1"));
      }),
      { numRuns: 300 },
    );
  });

  it("answers a damaged stream (truncated, a byte flipped, bytes after its end) as inflateSync does, and the next value rightly", () => {
    fc.assert(
      fc.property(payloads, fc.nat(), fc.integer({ min: 1, max: 255 }), fc.constantFrom("truncate", "flip", "append"), (data, at, mask, damage) => {
        const good = deflateSync(data);
        const bytes = Buffer.from(good);
        const i = at % bytes.length;
        const damaged = damage === "truncate" ? bytes.subarray(0, i) : damage === "flip" ? (bytes.writeUInt8(bytes[i]! ^ mask, i), bytes) : Buffer.concat([bytes, Buffer.from([mask, i & 255])]);
        expect(reused(damaged)).toEqual(oneShot(damaged));
        expect(inflateToLatin1(good, MAX)).toBe(Buffer.from(data).toString("latin1"));
      }),
      { numRuns: 300 },
    );
  });

  it("leaves a value past its buffer to the one-shot call, with its output limit", () => {
    const big = Buffer.alloc(3 * 1024 * 1024, 0x61);
    expect(inflateToLatin1(deflateSync(big), MAX)).toBe(big.toString("latin1"));
    expect(() => inflateToLatin1(deflateSync(big), 1024 * 1024)).toThrow(expect.objectContaining({ code: "ERR_BUFFER_TOO_LARGE" }));
    expect(inflateToLatin1(deflateSync(Buffer.from("small")), MAX)).toBe("small");
  });
});
