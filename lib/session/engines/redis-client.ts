/**
 * The narrow Redis client the Redis-backed engines take (ioredis satisfies
 * it), and a Lua script runner: EVALSHA, falling back to EVAL once when the
 * server has not cached the script yet (after a restart or SCRIPT FLUSH).
 */
import { createHash } from "node:crypto";
import { NEVER_EXPIRES } from "../expiry.ts";

export type RedisArg = string | Buffer | number;

export interface RedisClient {
  call(command: string, args: RedisArg[]): Promise<unknown>;
  /** Like `call`, with bulk replies as Buffers (for pickled bytes). */
  callBuffer(command: string, args: RedisArg[]): Promise<unknown>;
}

export interface LuaScript {
  run(client: RedisClient, keys: readonly RedisArg[], args: readonly RedisArg[], buffers?: boolean): Promise<unknown>;
}

export function luaScript(source: string): LuaScript {
  const sha = createHash("sha1").update(source).digest("hex");
  return {
    async run(client, keys, args, buffers = false) {
      const send = buffers ? client.callBuffer.bind(client) : client.call.bind(client);
      try {
        return await send("EVALSHA", [sha, keys.length, ...keys, ...args]);
      } catch (error) {
        if (!String((error as Error)?.message).includes("NOSCRIPT")) throw error;
        return send("EVAL", [source, keys.length, ...keys, ...args]);
      }
    },
  };
}

/** Django's cache key for a session: KEY_PREFIX:VERSION:name (docs/django-format.md §5.2). */
export function djangoCacheKey(name: string, options: { keyPrefix?: string; version?: number } = {}): string {
  return `${options.keyPrefix ?? ""}:${options.version ?? 1}:${name}`;
}

/** When an entry expires, from its PTTL (ms left; negative: the entry has no TTL) read at `nowMs`. */
export function expireDateFromPttl(pttl: number, nowMs: number): Date {
  return new Date(pttl < 0 ? NEVER_EXPIRES : nowMs + pttl);
}
