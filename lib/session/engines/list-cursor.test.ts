import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor, type ListCursor } from "./list-cursor.ts";

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe("listing cursor", () => {
  it("round-trips both phases, with text or numeric creation times", () => {
    const cursors: ListCursor[] = [
      { phase: 0, created: "2024-01-02T03:04:05.678901Z", key: "abcdefgh12345678" },
      { phase: 0, created: 1700000000123, key: "k" },
      { phase: 1, key: "zzzzzzzz" },
      { phase: 1, key: "" },
    ];
    for (const cursor of cursors) expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  it("is URL-safe text that does not show the key it points at", () => {
    const text = encodeCursor({ phase: 0, created: 1, key: "secretkey0123456" });
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(text).not.toContain("secretkey0123456");
  });

  it("rejects cursors it did not write", () => {
    const tampered = [
      "",
      "not-a-cursor",
      b64([2, "k"]),
      b64([0, "2024", 5]),
      b64([0, null, "k"]),
      b64([0, 1, "k", "extra"]),
      b64([1, 7]),
      b64([1, "k", "extra"]),
      b64({ phase: 1, key: "k" }),
      encodeCursor({ phase: 0, created: 1, key: "k" }).slice(0, -3),
    ];
    for (const text of tampered) expect(() => decodeCursor(text), text).toThrow(/SessionScope: invalid session list cursor/);
  });
});
