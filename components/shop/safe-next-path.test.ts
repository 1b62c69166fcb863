import { describe, expect, it } from "vitest";
import { safeNextPath } from "./safe-next-path";

const ORIGIN = "http://127.0.0.1:3000";

describe("safeNextPath", () => {
  it.each([
    ["/account/password", "/account/password"],
    ["/cart?step=2#total", "/cart?step=2#total"],
    ["/products/signed-mug", "/products/signed-mug"],
    ["/caf\u00e9", "/caf%C3%A9"],
    [`${ORIGIN}/ok`, "/ok"],
    [`${ORIGIN}/ok?x=1#y`, "/ok?x=1#y"],
  ])("keeps a path on this site: %j", (next, expected) => {
    expect(safeNextPath(next, ORIGIN)).toBe(expected);
  });

  it.each([
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/%09/evil.example",
    "\t//evil.example",
    "\n//evil.example",
    " //evil.example",
    "/ /evil.example",
    "https:evil.example",
    "https://evil.example/account",
    "http://127.0.0.1:3001/ok",
    "https://127.0.0.1:3000/ok",
    "http://127.0.0.1:3000@evil.example/",
    "%2F%2Fevil.example",
    "/%2F/evil.example",
    "/%5Cevil.example",
    "/%5cevil.example",
    "/%E0%A4%A",
    "/ok%00",
    "/\u0085/evil.example",
    "javascript:alert(document.cookie)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "",
  ])("refuses a value that leaves the site or that browsers reinterpret: %j", (next) => {
    expect(safeNextPath(next, ORIGIN)).toBe("/account");
  });

  it("refuses what is not one string, and honours the fallback", () => {
    expect(safeNextPath(undefined, ORIGIN)).toBe("/account");
    expect(safeNextPath(["/cart", "/account"], ORIGIN)).toBe("/account");
    expect(safeNextPath(`/${"a".repeat(5000)}`, ORIGIN)).toBe("/account");
    expect(safeNextPath("//evil.example", ORIGIN, "/")).toBe("/");
  });

  it("never returns anything a browser would resolve to another origin", () => {
    const tricky = ["//evil", "/\\evil", "/%09/evil", "https:evil", "%2F%2Fevil", "/%5Cevil", "\t//evil", "/\t/evil", " //evil", "/./\\evil", "/..//evil"];
    for (const next of tricky) {
      const path = safeNextPath(next, ORIGIN);
      expect(new URL(path, ORIGIN).origin, next).toBe(ORIGIN);
      expect(path.startsWith("/") && !path.startsWith("//"), next).toBe(true);
    }
  });
});
