/** The edges between a Session and its store: decoding what was loaded, building what is saved. */
import { AUTH_USER_ID_KEY } from "./auth/auth-keys.ts";
import type { DecodeResult, SessionCodec } from "./codec.ts";
import { ACTIVITY_KEY, computeStoredExpiry, getCreatedAt, toUnixSeconds, type SessionPolicy } from "./expiry.ts";
import type { SaveRecord, StoredSession } from "./store.ts";

/** Stored strings go through the codec; dicts from trusted caches (Django's pickles) are used as they are. */
export function decodeStored(stored: StoredSession, codec: SessionCodec, now: Date): DecodeResult {
  if (stored.data !== undefined) return { ok: true, data: new Map(stored.data) };
  return codec.decode(stored.encoded, now);
}

/** Encodes the data and computes the expiry an engine stores; records activity when an idle timeout is set. */
export function buildSaveRecord(data: Map<string, unknown>, codec: SessionCodec, policy: SessionPolicy, now: Date): SaveRecord {
  if (policy.idleTimeoutSeconds !== null) data.set(ACTIVITY_KEY, toUnixSeconds(now));
  const expireDate = computeStoredExpiry({ data, policy, now });
  const userId = data.get(AUTH_USER_ID_KEY);
  let encoded: string | undefined;
  return {
    get encoded() {
      return (encoded ??= codec.encode(data, now));
    },
    expireDate,
    // Rounded up: a TTL only collects garbage (every load checks the exact expiry), and must never end a session early.
    ttlSeconds: Math.max(0, Math.ceil((expireDate.getTime() - now.getTime()) / 1000)),
    data,
    createdAt: getCreatedAt(data) ?? now,
    now,
    userId: typeof userId === "string" ? userId : userId == null ? null : String(userId),
  };
}
