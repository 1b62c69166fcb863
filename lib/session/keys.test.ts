import { describe, expect, it } from "vitest";
import { generateSessionKey, isFileSafeKey, isValidSessionKey } from "./keys.ts";

describe("session keys", () => {
  it("generates distinct 32-character [a-z0-9] keys", () => {
    const keys = new Set(Array.from({ length: 1000 }, () => generateSessionKey()));
    expect(keys.size).toBe(1000);
    for (const key of keys) expect(key).toMatch(/^[a-z0-9]{32}$/);
  });

  it("draws every character about equally often", () => {
    const counts = new Map<string, number>();
    const sample = Array.from({ length: 2000 }, () => generateSessionKey()).join("");
    for (const ch of sample) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    expect(counts.size).toBe(36);
    const expected = sample.length / 36;
    // Chi-square with 35 degrees of freedom: 80 is far beyond p = 0.0001 for a fair source.
    const chi = [...counts.values()].reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
    expect(chi).toBeLessThan(80);
  });

  it("applies Django's validity rule (middleware.json db_invalid_short_key)", () => {
    expect(isValidSessionKey("short")).toBe(false);
    expect(isValidSessionKey("")).toBe(false);
    expect(isValidSessionKey(null)).toBe(false);
    expect(isValidSessionKey("12345678")).toBe(true);
    expect(isValidSessionKey("doesnotexist12345678901234567890")).toBe(true);
  });

  it("accepts only [a-z0-9] for file names", () => {
    expect(isFileSafeKey(generateSessionKey())).toBe(true);
    expect(isFileSafeKey("../../etc/passwd")).toBe(false);
    expect(isFileSafeKey("ABCdefgh")).toBe(false);
  });
});
