/**
 * Django's `pbkdf2_sha256` password hashes, read and written:
 * `pbkdf2_sha256$<iterations>$<salt>$<base64 sha256 pbkdf2 digest>`.
 * A Django site's auth_user rows verify here unchanged, and hashes made here
 * log in on Django.
 */
import { pbkdf2, randomInt } from "node:crypto";
import { promisify } from "node:util";
import { constantTimeEqual } from "../crypto.ts";

const pbkdf2Async = promisify(pbkdf2);

/** OWASP's figure for PBKDF2-SHA256 and Django 4.2's default. */
export const DEFAULT_PBKDF2_ITERATIONS = 600_000;

const SALT_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

export function makeSalt(length = 22): string {
  let salt = "";
  for (let i = 0; i < length; i++) salt += SALT_CHARS[randomInt(SALT_CHARS.length)];
  return salt;
}

export async function hashPassword(password: string, options: { iterations?: number; salt?: string } = {}): Promise<string> {
  const iterations = options.iterations ?? DEFAULT_PBKDF2_ITERATIONS;
  const salt = options.salt ?? makeSalt();
  if (salt.includes("$")) throw new Error("SessionScope: a password salt cannot contain '$'");
  const digest = await pbkdf2Async(password, salt, iterations, 32, "sha256");
  return `pbkdf2_sha256$${iterations}$${salt}$${digest.toString("base64")}`;
}

export interface ParsedHash {
  readonly algorithm: string;
  readonly iterations: number;
  readonly salt: string;
  readonly digest: string;
}

export function parsePasswordHash(encoded: string): ParsedHash | null {
  const parts = encoded.split("$");
  if (parts.length !== 4) return null;
  const [algorithm, iterations, salt, digest] = parts as [string, string, string, string];
  if (algorithm !== "pbkdf2_sha256" || !/^\d+$/.test(iterations) || !salt || !digest) return null;
  return { algorithm, iterations: Number(iterations), salt, digest };
}

/**
 * Whether `password` matches the stored hash. Unusable hashes (Django's "!"
 * prefix) and unknown algorithms never match.
 */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const parsed = parsePasswordHash(encoded);
  if (!parsed) return false;
  const expected = Buffer.from(parsed.digest, "base64");
  const actual = await pbkdf2Async(password, parsed.salt, parsed.iterations, expected.length || 32, "sha256");
  return constantTimeEqual(expected, actual);
}

/** Whether a hash should be upgraded on the next successful login. */
export function passwordNeedsRehash(encoded: string, iterations = DEFAULT_PBKDF2_ITERATIONS): boolean {
  const parsed = parsePasswordHash(encoded);
  return !parsed || parsed.iterations < iterations;
}

/**
 * A hash of a random password, for running the same work when a username does
 * not exist: login takes as long either way, so timing reveals no accounts.
 */
let dummyHash: Promise<string> | undefined;
export async function burnPasswordCheck(password: string): Promise<false> {
  dummyHash ??= hashPassword(makeSalt(32));
  await verifyPassword(password, await dummyHash);
  return false;
}
