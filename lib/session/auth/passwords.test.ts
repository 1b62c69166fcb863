import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { describe, expect, it } from "vitest";
import { PBKDF2_CHANNEL, checkPassword, hashPassword, parsePasswordHash, passwordNeedsRehash, verifyPassword } from "./passwords.ts";

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

  it("checks at one cost whatever is stored: one PBKDF2 at the given iteration count", async () => {
    const real = await hashPassword("right", { iterations: 3000 });
    const stored = [null, "!Pq3ufu7ZbtS8XwQKEd3GJfVgyEr0bBL6lyD9kqLM", "argon2$argon2id$v=19$m=102400,t=2,p=8$c2FsdA$aGFzaA", "bcrypt_sha256$$2b$12$abc", real];
    const seen: number[][] = [];
    for (const encoded of stored) {
      const run: number[] = [];
      const listener = (message: unknown) => run.push((message as { iterations: number }).iterations);
      subscribe(PBKDF2_CHANNEL, listener);
      try {
        expect(await checkPassword("wrong", encoded, 3000)).toBe(false);
      } finally {
        unsubscribe(PBKDF2_CHANNEL, listener);
      }
      seen.push(run);
    }
    expect(seen).toEqual(stored.map(() => [3000]));
    expect(await checkPassword("right", real, 3000)).toBe(true);
  });
});
