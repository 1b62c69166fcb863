/**
 * The pre-3.1 session format, still read by Django 3.1/3.2:
 * base64(hex(salted_hmac("django.contrib.sessions" + class name, json, SHA-1)) + ":" + json).
 */
import { constantTimeEqual } from "./crypto.ts";
import { BadSignature, MalformedPayload } from "./errors.ts";
import { decodeBase64Strict } from "./encoding.ts";
import { loadsPython } from "./python-json.ts";
import { saltedHmac } from "./signing.ts";

export const LEGACY_KEY_SALT = "django.contrib.sessionsSessionStore";

export interface LegacyOptions {
  readonly secretKey: string;
  readonly fallbackKeys?: readonly string[];
  readonly keySalt?: string;
}

/** The decoded data of a pre-3.1 session string; BadSignature on a wrong hash, MalformedPayload otherwise. */
export function decodeLegacySession(encoded: string, options: LegacyOptions): unknown {
  const raw = decodeBase64Strict(encoded).toString("latin1");
  const cut = raw.indexOf(":");
  if (cut < 0) throw new MalformedPayload("legacy session data has no ':' separator");
  const given = raw.slice(0, cut);
  const serialized = raw.slice(cut + 1);
  const keySalt = options.keySalt ?? LEGACY_KEY_SALT;
  const matches = [options.secretKey, ...(options.fallbackKeys ?? [])].some((secret) => {
    return constantTimeEqual(given, saltedHmac(keySalt, serialized, secret, "sha1").toString("hex"));
  });
  if (!matches) throw new BadSignature("legacy session hash does not match");
  try {
    return loadsPython(serialized);
  } catch (error) {
    throw new MalformedPayload(`legacy session data is not valid JSON (${(error as Error).message})`);
  }
}

/** Writes the pre-3.1 format (what Django 3.1/3.2 write with DEFAULT_HASHING_ALGORITHM = "sha1"); for tests and migrations. */
export function encodeLegacySession(serialized: string, options: LegacyOptions): string {
  const hash = saltedHmac(options.keySalt ?? LEGACY_KEY_SALT, serialized, options.secretKey, "sha1").toString("hex");
  return Buffer.from(`${hash}:${serialized}`, "latin1").toString("base64");
}
