import { describe, expect, it } from "vitest";
import { newPublicId } from "./public-id.ts";

describe("public ids", () => {
  it("are 22 URL-safe characters, distinct even when made in the same millisecond", () => {
    const ids = Array.from({ length: 1000 }, () => newPublicId(1_700_000_000_000));
    expect(new Set(ids).size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it("start with the time they were made at, so ids made close in time share their leading characters", () => {
    const early = newPublicId(1_700_000_000_000);
    const late = newPublicId(1_700_000_000_999);
    expect(Buffer.from(early, "base64url").readUIntBE(0, 6)).toBe(1_700_000_000_000);
    expect(Buffer.from(late, "base64url").readUIntBE(0, 6)).toBe(1_700_000_000_999);
    expect(late.slice(0, 6)).toBe(early.slice(0, 6));
  });
});
