/** Session keys: Django's 32-character [a-z0-9] keys and its validity rule. */
import { takeRandomByte } from "./crypto.ts";

const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
/** 252 = 7 * 36: bytes at or above it are dropped so every character is equally likely. */
const LIMIT = 252;

/** 32 characters from [a-z0-9], uniform, from the CSPRNG (about 165 bits). */
export function generateSessionKey(length = 32): string {
  let key = "";
  while (key.length < length) {
    const byte = takeRandomByte();
    // Rejection sampling: `byte % 36` alone would favour the first characters (modulo bias).
    if (byte < LIMIT) key += ALPHABET[byte % 36];
  }
  return key;
}

/** Django's rule applied whenever a key is assigned: truthy and at least 8 characters. */
export function isValidSessionKey(key: unknown): key is string {
  return typeof key === "string" && key.length >= 8;
}

const KEY_SHAPE = /^[a-z0-9]{8,40}$/;

/**
 * Whether a cookie value can be a server-side session key at all: every key
 * Django and SessionScope generate is 32 of [a-z0-9], and Django's key column
 * is 40 wide. Anything else is rejected before a store is asked, so junk never
 * reaches Redis key names, SQL or file names.
 */
export function isWellFormedSessionKey(key: unknown): key is string {
  return typeof key === "string" && KEY_SHAPE.test(key);
}

/** The file engine's extra rule: the key becomes part of a file name, so only [a-z0-9]. */
export function isFileSafeKey(key: string): boolean {
  return /^[a-z0-9]+$/.test(key);
}
