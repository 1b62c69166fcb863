import "server-only";
/**
 * Paging cursors the browser may hold. A position in a listing can name a
 * session key (the engines' own cursors do), so what leaves the server is
 * sealed: AES-256-GCM under a key derived from the secret key, Django-style
 * (salted_hmac("sessionscope.admin.cursor", ...)). The token is opaque, and a
 * tampered, truncated or foreign one (another listing, another secret key)
 * fails to open: 400 "invalid cursor", never a 500 and never a wrong page.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { saltedHmac } from "@/lib/session";
import { API_ERRORS, HttpError } from "../http.ts";

const IV_BYTES = 12;
const TAG_BYTES = 16;
const keys = new Map<string, Buffer>();

function cursorKey(secretKey: string): Buffer {
  let key = keys.get(secretKey);
  if (!key) {
    if (keys.size > 8) keys.clear();
    key = saltedHmac("sessionscope.admin.cursor", "aes-256-gcm", secretKey, "sha256");
    keys.set(secretKey, key);
  }
  return key;
}

/** Seals `position` for one listing (`scope`, e.g. "sessions:-created"): it opens only there. */
export function sealCursor(secretKey: string, scope: string, position: unknown): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", cursorKey(secretKey), iv);
  cipher.setAAD(Buffer.from(scope, "utf8"));
  const body = Buffer.concat([cipher.update(JSON.stringify(position), "utf8"), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString("base64url");
}

/** The position sealed in `token` for `scope`; 400 "invalid cursor" for anything else. */
export function openCursor(secretKey: string, scope: string, token: string): unknown {
  const raw = /^[A-Za-z0-9_-]+$/.test(token) ? Buffer.from(token, "base64url") : Buffer.alloc(0);
  if (raw.length < IV_BYTES + TAG_BYTES + 1) throw invalidCursor();
  try {
    const decipher = createDecipheriv("aes-256-gcm", cursorKey(secretKey), raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(scope, "utf8"));
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    const text = Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString("utf8");
    return JSON.parse(text);
  } catch {
    throw invalidCursor();
  }
}

const invalidCursor = () => new HttpError(400, API_ERRORS.BAD_REQUEST, "invalid cursor: start again from the first page.");
