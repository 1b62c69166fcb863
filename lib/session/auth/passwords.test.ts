import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { describe, expect, it } from "vitest";
import { PBKDF2_CHANNEL, hashPassword, parsePasswordHash, passwordNeedsRehash, verifyPassword } from "./passwords.ts";

// Made by Django 3.2's PBKDF2PasswordHasher: make_password("demo-admin", "fixedsalt", ...) with 260000 iterations.
const DJANGO_HASH = "pbkdf2_sha256$260000$fixedsalt$32P8KalMPUibIokCRUjiY0UyO2GkiCMV0Sun+y/vcnc=";

describe("Django pbkdf2_sha256 passwords", () => {
  it("writes Django's format", async () => {
    const hash = await hashPassword("secret", { iterations: 1000, salt: "abc" });
    expect(hash).toMatch(/^pbkdf2_sha256\$1000\$abc\$[A-Za-z0-9+/]{43}=$/);
    expect(parsePasswordHash(hash)).toMatchObject({ iterations: 1000, salt: "abc" });
  });

  it("verifies the right password and rejects a wrong one", async () => {
    const hash = await hashPassword("correct horse", { iterations: 1000 });
    expect(await verifyPassword("correct horse", hash)).toBe(true);
    expect(await verifyPassword("correct horsE", hash)).toBe(false);
  });

  it("verifies a hash that Django wrote", async () => {
    expect(await verifyPassword("demo-admin", DJANGO_HASH)).toBe(true);
    expect(await verifyPassword("demo-admin2", DJANGO_HASH)).toBe(false);
  });

  it("never matches unusable or foreign hashes", async () => {
    expect(await verifyPassword("x", "!unusable")).toBe(false);
    expect(await verifyPassword("x", "md5$abc$def")).toBe(false);
    expect(await verifyPassword("x", "")).toBe(false);
  });

  it("asks for a rehash below the current iteration count", async () => {
    expect(passwordNeedsRehash(DJANGO_HASH)).toBe(true);
    expect(passwordNeedsRehash(await hashPassword("x", { iterations: 600_000 }))).toBe(false);
  });

  it("reports every PBKDF2 derivation with its iteration count", async () => {
    const seen: number[] = [];
    const listener = (message: unknown) => seen.push((message as { iterations: number }).iterations);
    subscribe(PBKDF2_CHANNEL, listener);
    try {
      const hash = await hashPassword("x", { iterations: 1200 });
      await verifyPassword("y", hash);
      await verifyPassword("y", "!unusable");
    } finally {
      unsubscribe(PBKDF2_CHANNEL, listener);
    }
    expect(seen).toEqual([1200, 1200]);
  });
});
