/**
 * Everything a request needs to open a session, built once per process from
 * the validated environment: the config, the codec, the engine's store and
 * the live policy. Shared by the Next binding and the CLI (so no
 * "server-only" here).
 */
import type { Redis } from "ioredis";
import { Session, type MemcachedClient, type SessionCodec, type SessionConfig, type SessionPolicy, type SessionStore } from "../../session/index.ts";
import type { Database } from "../db/connection.ts";
import type { Env } from "../env.ts";
import { createSessionCodecFromConfig, createStoreFromEnv } from "./engines.ts";
import { createLivePolicy, type LivePolicy, type LiveSessionPolicy } from "./policy.ts";

export interface SessionRuntime {
  readonly config: SessionConfig;
  readonly codec: SessionCodec;
  readonly store: SessionStore;
  readonly policy: LivePolicy;
  readonly engine: Env["SESSION_ENGINE"];
  /** A lazy session for a cookie value (nothing is read until it is loaded). */
  openSession(key: string | null, policy: SessionPolicy, onInvalid?: (reason: string) => void): Session;
}

/**
 * Whether the session cookie must be Secure whatever the live policy says: in
 * production, unless a trusted proxy marks HTTPS requests or the environment
 * allows an insecure cookie outright (the same rule that refuses to start).
 */
export function secureCookieRequired(env: Pick<Env, "production" | "TRUST_PROXY" | "SESSIONSCOPE_ALLOW_INSECURE_COOKIE">): boolean {
  return env.production && !env.TRUST_PROXY && !env.SESSIONSCOPE_ALLOW_INSECURE_COOKIE;
}

export type { LiveSessionPolicy };

export function createSessionRuntime(env: Env, db: Database, redis: Redis | null, memcached: MemcachedClient | null = null): SessionRuntime {
  const config = env.session;
  const codec = createSessionCodecFromConfig(config);
  const store = createStoreFromEnv(env, db, redis, memcached);
  const policy = createLivePolicy(db.prisma, config, { secureRequired: secureCookieRequired(env) });
  return {
    config,
    codec,
    store,
    policy,
    engine: env.SESSION_ENGINE,
    openSession: (key, livePolicy, onInvalid) => new Session({ key, store, codec, policy: livePolicy, onInvalid }),
  };
}
