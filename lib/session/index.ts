/** SessionScope's framework-free session core: Django's session formats and semantics for Node. */
export { COOKIE_SALT, SESSION_COMPRESS_MIN_BYTES, SESSION_SALT, createCookieCodec, createSessionCodec } from "./codec.ts";
export type { CookieCodecOptions, DecodeResult, InspectResult, SessionCodec, SessionCodecOptions, SessionData, SessionStringCodec, SignedWith } from "./codec.ts";
export { defineSessionConfig, toSessionPolicy } from "./config.ts";
export type { DefineSessionConfigOptions, SameSite, SessionConfig, SessionConfigInput } from "./config.ts";
export { buildDeleteCookie, buildSessionCookie, parseSessionCookie } from "./cookie.ts";
export {
  BadSignature, MalformedPayload, SESSION_ERROR_CODES, SessionConfigError, SessionInterrupted, SessionKeyError, SessionScopeError,
  SignatureExpired,
} from "./errors.ts";
export type { SessionErrorCode } from "./errors.ts";
export {
  ACTIVITY_KEY, CREATED_KEY, DEFAULT_SESSION_POLICY, EXPIRY_KEY, NEVER_EXPIRES, computeStoredExpiry, formatIsoDate, getCookieMaxAge, getCreatedAt,
  getDeadlines, getExpireAtBrowserClose, getExpiredReason, getExpiryAge, getExpiryDate, parseIsoDate, shouldRefreshActivity, systemClock, toUnixSeconds,
} from "./expiry.ts";
export type { Clock, ExpiryInput, SessionDeadlines, SessionPolicy } from "./expiry.ts";
export { constantTimeEqual } from "./crypto.ts";
export { generateSessionKey, isFileSafeKey, isValidSessionKey, isWellFormedSessionKey } from "./keys.ts";
export { LEGACY_KEY_SALT, decodeLegacySession, encodeLegacySession } from "./legacy.ts";
export { PYTHON_KEY_ORDER, PyFloat, dumpsPython, formatPythonFloat, loadsPython, needsFullParser, orderedKeys } from "./python-json.ts";
export { PyDate, PyDatetime, PyTime, PyTimedelta, PyTimezone, pythonDatetimeType } from "./python-values.ts";
export type { PyDatetimeValue } from "./python-values.ts";
export { Session, TEST_COOKIE_NAME, TEST_COOKIE_VALUE } from "./session.ts";
export type { SessionOptions } from "./session.ts";
export {
  createSignedSerializer, createSigner, createTimestampSigner, decodeBase62, dumps, encodeBase62, loads, MAX_INFLATED_PAYLOAD_BYTES, saltedHmac,
} from "./signing.ts";
export type { HashAlgorithm, SignedSerializer, Signer, SignerOptions, TimestampSigner } from "./signing.ts";
export { deflateLevel6, inflateToLatin1 } from "./zlib-reuse.ts";
export { supportsActivity, supportsIssuedBefore, supportsKill, supportsListing, supportsUserIndex } from "./store.ts";
export type * from "./store.ts";
export { createMemoryStore } from "./engines/memory.ts";
export type { MemoryStore, MemoryStoreOptions } from "./engines/memory.ts";
export { createCachedDbStore } from "./engines/cached-db.ts";
export type { CachedDbStore, CachedDbStoreOptions, DatabaseStore } from "./engines/cached-db.ts";
export { createFileStore } from "./engines/file.ts";
export type { FileStoreOptions } from "./engines/file.ts";
export { createPostgresStore } from "./engines/postgres.ts";
export type { PgQueryable, PostgresStore, PostgresStoreOptions } from "./engines/postgres.ts";
export { createRedisStore } from "./engines/redis.ts";
export type { RedisStore, RedisStoreOptions } from "./engines/redis.ts";
export { createDjangoCacheIndexer } from "./engines/redis-index.ts";
export type { DjangoCacheEntry, DjangoCacheIndexer, DjangoCacheIndexOptions, DjangoCacheIndexResult } from "./engines/redis-index.ts";
export type { RedisClient } from "./engines/redis-client.ts";
export { createMemcachedStore } from "./engines/memcached.ts";
export type { MemcachedStoreOptions } from "./engines/memcached.ts";
export { createMemcachedCachedDbStore } from "./engines/memcached-cached-db.ts";
export type { MemcachedCachedDbStoreOptions } from "./engines/memcached-cached-db.ts";
export { FLAG_PICKLE, memcachedExptime } from "./engines/memcached-client.ts";
export type { MemcachedClient, MemcachedItem, StoreOutcome } from "./engines/memcached-client.ts";
export { MAX_COOKIE_BYTES, createSignedCookieStore } from "./engines/signed-cookies.ts";
export type { SignedCookieStoreOptions } from "./engines/signed-cookies.ts";
export { createSqliteStore } from "./engines/sqlite.ts";
export type { SqliteDriver, SqliteStatement, SqliteStoreOptions, SqlStore } from "./engines/sqlite.ts";
export { formatPrismaSqliteDate, formatSqliteDate, parseSqliteDate } from "./engines/sqlite-dates.ts";
export { newPublicId } from "./engines/public-id.ts";
export { dumpsPickle } from "./engines/pickle.ts";
export { PickleError, loadsPickle } from "./engines/pickle-read.ts";
export { buildSaveRecord, decodeStored } from "./session-record.ts";
export { getSessionEnd } from "./expiry.ts";
export type { DeadlineReason, SessionDeadline, SessionEnd } from "./expiry.ts";
export { commitSession } from "./middleware.ts";
export type { CommitContext, CookieInstruction, SessionCommit } from "./middleware.ts";
export {
  AUTH_BACKEND_KEY, AUTH_HASH_KEY, AUTH_USER_ID_KEY, MODEL_BACKEND, getSessionUser, legacySessionAuthHash, login, logout,
  sessionAuthHash, updateSessionAuthHash,
} from "./auth/session-auth.ts";
export type { AuthKeys, AuthUser, UserLookup } from "./auth/session-auth.ts";
export {
  DEFAULT_PBKDF2_ITERATIONS, PBKDF2_CHANNEL, burnPasswordCheck, checkPassword, hashPassword, makeSalt, parsePasswordHash, passwordNeedsRehash, verifyPassword,
} from "./auth/passwords.ts";
export type { ParsedHash } from "./auth/passwords.ts";
