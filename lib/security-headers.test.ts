import { describe, expect, it } from "vitest";
import { createNonce, isWellFormedPath, mayBeStored, noStoreCacheControl, pageContentSecurityPolicy } from "./security-headers";

const directive = (policy: string, name: string) => policy.split("; ").find((part) => part.split(" ")[0] === name);

describe("security headers", () => {
  it("lets scripts run only with the response's nonce in production", () => {
    const policy = pageContentSecurityPolicy("abc123");
    expect(directive(policy, "script-src")).toBe("script-src 'self' 'nonce-abc123' 'strict-dynamic'");
    expect(directive(policy, "style-src")).toBe("style-src 'self' 'nonce-abc123'");
    expect(directive(policy, "frame-ancestors")).toBe("frame-ancestors 'none'");
    expect(policy).not.toMatch(/script-src[^;]*unsafe/);
  });

  it("allows eval only to the development server's error overlay", () => {
    expect(directive(pageContentSecurityPolicy("n", true), "script-src")).toContain("'unsafe-eval'");
  });

  it("makes a fresh 128-bit nonce each time", () => {
    const nonces = new Set(Array.from({ length: 50 }, createNonce));
    expect(nonces.size).toBe(50);
    for (const nonce of nonces) expect(Buffer.from(nonce, "base64")).toHaveLength(16);
  });

  it("lets only the public catalogue be stored", () => {
    expect(mayBeStored("/api/products")).toBe(true);
    for (const path of ["/", "/cart", "/account", "/api/cart", "/api/auth/me", "/api/account/sessions", "/api/products/1"]) expect(mayBeStored(path), path).toBe(false);
  });

  it("keeps compression and proxies off the dashboard's event stream, so no event waits in a buffer", () => {
    expect(noStoreCacheControl("/api/admin/events")).toBe("no-store, no-transform");
    expect(noStoreCacheControl("/api/admin/sessions")).toBe("no-store");
  });

  it("tells malformed percent escapes from good ones", () => {
    expect(isWellFormedPath("/api/cart/items/12")).toBe(true);
    expect(isWellFormedPath("/products/caf%C3%A9")).toBe(true);
    for (const path of ["/api/cart/items/%", "/products/%zz", "/api/account/sessions/%E0%A4%A"]) expect(isWellFormedPath(path), path).toBe(false);
  });
});
