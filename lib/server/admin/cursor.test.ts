import { describe, expect, it } from "vitest";
import { HttpError } from "../http.ts";
import { openCursor, sealCursor } from "./cursor.ts";

const SECRET = "cursor-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz";
const KEY = "abcdefghijklmnopqrstuvwxyz012345";

function refused(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof HttpError) return `${error.status} ${error.message}`;
    throw error;
  }
  return "opened";
}

describe("sealed cursors", () => {
  it("open to what was sealed, and show nothing of it", () => {
    const token = sealCursor(SECRET, "sessions:db:-created", ["2026-03-01T10:00:00.000Z", KEY]);
    expect(openCursor(SECRET, "sessions:db:-created", token)).toEqual(["2026-03-01T10:00:00.000Z", KEY]);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    for (const view of [token, Buffer.from(token, "base64url").toString("latin1")]) {
      expect(view).not.toContain(KEY.slice(0, 8));
      expect(view).not.toContain("2026-03");
    }
    // A fresh IV each time: the same position never gives the same token.
    expect(sealCursor(SECRET, "s", 1)).not.toBe(sealCursor(SECRET, "s", 1));
  });

  it("refuse a tampered, truncated, foreign or made-up token with a 400", () => {
    const token = sealCursor(SECRET, "audit", ["2026-03-01T10:00:00.000Z", 7]);
    const flipped = token.slice(0, 20) + (token[20] === "A" ? "B" : "A") + token.slice(21);
    const invalid = "400 invalid cursor: start again from the first page.";
    expect(refused(() => openCursor(SECRET, "audit", flipped))).toBe(invalid);
    expect(refused(() => openCursor(SECRET, "audit", token.slice(0, -3)))).toBe(invalid);
    expect(refused(() => openCursor(SECRET, "sessions:db:-created", token))).toBe(invalid);
    expect(refused(() => openCursor(`${SECRET}-rotated`, "audit", token))).toBe(invalid);
    expect(refused(() => openCursor(SECRET, "audit", Buffer.from(JSON.stringify([0, "2026", KEY])).toString("base64url")))).toBe(invalid);
    expect(refused(() => openCursor(SECRET, "audit", "not base64!"))).toBe(invalid);
    expect(refused(() => openCursor(SECRET, "audit", ""))).toBe(invalid);
  });
});
