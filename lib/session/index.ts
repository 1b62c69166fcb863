/** SessionScope's framework-free session core: Django's session formats and semantics for Node. */
export { COOKIE_SALT, SESSION_SALT, createCookieCodec, createSessionCodec } from "./codec.ts";
export type { CookieCodecOptions, DecodeResult, SessionCodec, SessionCodecOptions, SessionData } from "./codec.ts";
export { defineSessionConfig, toSessionPolicy } from "./config.ts";
export type { SameSite, SessionConfig, SessionConfigInput } from "./config.ts";
export { buildDeleteCookie, buildSessionCookie, formatHttpDate, parseSessionCookie } from "./cookie.ts";
export {
  BadSignature, MalformedPayload, SESSION_ERROR_CODES, SessionConfigError, SessionInterrupted, SessionKeyError, SessionScopeError,
  SignatureExpired,
} from "./errors.ts";
export type { SessionErrorCode } from "./errors.ts";
export {
  ACTIVITY_KEY, CREATED_KEY, DEFAULT_SESSION_POLICY, EXPIRY_KEY, computeStoredExpiry, formatIsoDate, getCookieMaxAge, getCreatedAt,
  getExpireAtBrowserClose, getExpiredReason, getExpiryAge, getExpiryDate, isExpiredOnLoad, parseIsoDate, shouldRefreshActivity,
} from "./expiry.ts";
export type { Clock, ExpiryInput, SessionPolicy } from "./expiry.ts";
export { generateSessionKey, isFileSafeKey, isValidSessionKey } from "./keys.ts";
export { LEGACY_KEY_SALT, decodeLegacySession, encodeLegacySession } from "./legacy.ts";
export { PYTHON_KEY_ORDER, PyFloat, dumpsPython, formatPythonFloat, loadsPython, orderedKeys } from "./python-json.ts";
export { Session, TEST_COOKIE_NAME, TEST_COOKIE_VALUE } from "./session.ts";
export type { SessionOptions } from "./session.ts";
export {
  createSignedSerializer, createSigner, createTimestampSigner, decodeBase62, dumps, encodeBase62, loads, saltedHmac,
} from "./signing.ts";
export type { HashAlgorithm, SignedSerializer, Signer, SignerOptions, TimestampSigner } from "./signing.ts";
export { supportsIssuedBefore, supportsListing, supportsUserIndex } from "./store.ts";
export type * from "./store.ts";
export { createMemoryStore } from "./engines/memory.ts";
export type { MemoryStore } from "./engines/memory.ts";
