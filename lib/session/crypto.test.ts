import { describe, expect, it } from "vitest";
import { constantTimeEqual, takeRandomByte, takeRandomBytes } from "./crypto.ts";

describe("constantTimeEqual", () => {
  it("is true only for the same bytes", () => {
    expect(constantTimeEqual("abc", "abc")).toBe(true);
    expect(constantTimeEqual("abc", "abd")).toBe(false);
    expect(constantTimeEqual(Buffer.from([1, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(true);
    expect(constantTimeEqual(Buffer.from([1, 2, 3]), Buffer.from([1, 2, 4]))).toBe(false);
  });

  it("answers false on unequal lengths instead of throwing", () => {
    expect(constantTimeEqual("abc", "abcd")).toBe(false);
    expect(constantTimeEqual("", "a")).toBe(false);
    expect(constantTimeEqual(Buffer.alloc(32), Buffer.alloc(31))).toBe(false);
  });

  it("compares strings as UTF-8, so a string equals its own bytes", () => {
    expect(constantTimeEqual("café", Buffer.from("café", "utf8"))).toBe(true);
    // Same length in UTF-16 code units, different bytes.
    expect(constantTimeEqual("cafe", "café")).toBe(false);
    expect(constantTimeEqual("", "")).toBe(true);
  });
});

describe("random pool", () => {
  it("never hands out the same bytes twice, across refills of the pool", () => {
    // 1000 × 10 bytes crosses the 4096-byte pool at least twice.
    const seen = new Set<string>();
    const chunk = Buffer.alloc(10);
    for (let i = 0; i < 1000; i++) {
      takeRandomBytes(chunk, 0, 10);
      seen.add(chunk.toString("hex"));
    }
    expect(seen.size).toBe(1000);
  });

  it("writes at the given offset and leaves the rest of the target alone", () => {
    const target = Buffer.alloc(16, 0xaa);
    takeRandomBytes(target, 6, 4);
    expect([...target.subarray(0, 6)]).toEqual(Array(6).fill(0xaa));
    expect([...target.subarray(10)]).toEqual(Array(6).fill(0xaa));
  });

  it("refuses more than one pool at a time, and a target too small", () => {
    expect(() => takeRandomBytes(Buffer.alloc(5000), 0, 5000)).toThrow(RangeError);
    expect(() => takeRandomBytes(Buffer.alloc(4), 0, 8)).toThrow(RangeError);
  });

  it("gives bytes spread over 0-255", () => {
    const counts = new Array<number>(256).fill(0);
    for (let i = 0; i < 256 * 64; i++) counts[takeRandomByte()]!++;
    // Chi-square with 255 degrees of freedom: 400 is far beyond p = 0.0001 for a fair source.
    const chi = counts.reduce((sum, c) => sum + (c - 64) ** 2 / 64, 0);
    expect(chi).toBeLessThan(400);
  });
});
