/**
 * Django's `pbkdf2_sha256` password hashes, read and written:
 * `pbkdf2_sha256$<iterations>$<salt>$<base64 sha256 pbkdf2 digest>`.
 * A Django site's auth_user rows verify here unchanged, and hashes made here
 * log in on Django.
 */
import { pbkdf2, randomBytes, randomInt } from "node:crypto";
import { channel } from "node:diagnostics_channel";
import { promisify } from "node:util";
import { constantTimeEqual } from "../crypto.ts";

const pbkdf2Async = promisify(pbkdf2);

/**
 * Published with `{ iterations }` before every PBKDF2 derivation (hashing and
 * checking alike), so metrics and tests can count password work; free when
 * nobody subscribes.
 */
export const PBKDF2_CHANNEL = "sessionscope:pbkdf2";
const pbkdf2Channel = channel(PBKDF2_CHANNEL);

function derive(password: string, salt: string, iterations: number, length: number): Promise<Buffer> {
  if (pbkdf2Channel.hasSubscribers) pbkdf2Channel.publish({ iterations });
  return pbkdf2Async(password, salt, iterations, length, "sha256");
}

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
  const digest = await derive(password, salt, iterations, 32);
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
  const actual = await derive(password, parsed.salt, parsed.iterations, expected.length || 32);
  return constantTimeEqual(expected, actual);
}

/** Whether a hash should be upgraded on the next successful login. */
export function passwordNeedsRehash(encoded: string, iterations = DEFAULT_PBKDF2_ITERATIONS): boolean {
  const parsed = parsePasswordHash(encoded);
  return !parsed || parsed.iterations < iterations;
}

/**
 * Runs the work of checking a password against a PBKDF2 hash of `iterations`
 * that nothing matches: for a username that does not exist, a login takes as
 * long as for one that does. Always false.
 */
export async function burnPasswordCheck(password: string, iterations = DEFAULT_PBKDF2_ITERATIONS): Promise<false> {
  await verifyPassword(password, `pbkdf2_sha256$${iterations}$${makeSalt()}$${randomBytes(32).toString("base64")}`);
  return false;
}

/**
 * verifyPassword at one cost whatever is stored: with no user (null), an
 * unusable hash (Django's "!…") or a format not verified here (argon2,
 * bcrypt from a shared Django table), a dummy check runs at `iterations`,
 * the count new hashes get, so the time a login takes does not tell which
 * accounts exist or how they are set up (as Django's fix for CVE-2024-39329).
 */
export async function checkPassword(password: string, encoded: string | null, iterations = DEFAULT_PBKDF2_ITERATIONS): Promise<boolean> {
  if (encoded !== null && parsePasswordHash(encoded)) return verifyPassword(password, encoded);
  return burnPasswordCheck(password, iterations);
}
