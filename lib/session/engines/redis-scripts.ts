/**
 * Lua scripts of the Redis cache engine. Each runs atomically on the server,
 * so the session entry and SessionScope's indexes change together:
 *   <metaPrefix><key>   hash {c: created ms, u: user id, p: public id}, same TTL as the entry
 *   <createdZset>       key → created ms (listing, newest first; deleteIssuedBefore)
 *   <expiryZset>        key → expiry ms (prunes index entries of sessions Redis expired)
 *   <userPrefix><id>    set of the user's keys
 * Index entries of expired sessions are pruned lazily (prune, page, describe).
 * The scripts touch keys they compute, so they need a single Redis node (no Cluster).
 */
import { luaScript } from "./redis-client.ts";

/**
 * KEYS: entry, meta, created, expiry. ARGV: mode, expected, value, ttl ms, createdMs, userId, publicId, key, userPrefix, expireMs.
 * The TTL is the session's expiry to the millisecond: Redis drops the entry exactly when the session
 * ends, so a present entry is a live session and a load needs no expiry of its own (one GET).
 * A save whose owner did not change leaves the meta hash and the user set alone (only their TTL
 * and the expiry index move): a hash whose `u` is X always has its key in X's set, since only
 * this script writes `u` and the delete script removes both together.
 */
export const SAVE = luaScript(`
local ttl = tonumber(ARGV[4])
local create = ARGV[1] == 'create'
if create then
  if not redis.call('SET', KEYS[1], ARGV[3], 'NX', 'PX', ttl) then return 'exists' end
else
  local current = redis.call('GET', KEYS[1])
  if not current then return 'missing' end
  if current ~= ARGV[2] then return 'conflict' end
  redis.call('SET', KEYS[1], ARGV[3], 'PX', ttl)
end
local user = ARGV[6] ~= '' and ARGV[6] or false
local oldUser = redis.call('HGET', KEYS[2], 'u')
if create or (not oldUser and redis.call('EXISTS', KEYS[2]) == 0) then
  if create then redis.call('DEL', KEYS[2]) end
  if user then redis.call('HSET', KEYS[2], 'c', ARGV[5], 'p', ARGV[7], 'u', user)
  else redis.call('HSET', KEYS[2], 'c', ARGV[5], 'p', ARGV[7]) end
  redis.call('ZADD', KEYS[3], ARGV[5], ARGV[8])
  if oldUser and oldUser ~= user then redis.call('SREM', ARGV[9] .. oldUser, ARGV[8]) end
  if user then redis.call('SADD', ARGV[9] .. user, ARGV[8]) end
elseif oldUser ~= user then
  if oldUser then redis.call('SREM', ARGV[9] .. oldUser, ARGV[8]) end
  if user then
    redis.call('HSET', KEYS[2], 'u', user)
    redis.call('SADD', ARGV[9] .. user, ARGV[8])
  else
    redis.call('HDEL', KEYS[2], 'u')
  end
end
redis.call('PEXPIRE', KEYS[2], ttl)
redis.call('ZADD', KEYS[4], ARGV[10], ARGV[8])
return 'ok'
`);

/** KEYS: entry, meta, created, expiry. ARGV: key, userPrefix. Returns 1 when the entry existed. */
export const DELETE = luaScript(`
local u = redis.call('HGET', KEYS[2], 'u')
if u then redis.call('SREM', ARGV[2] .. u, ARGV[1]) end
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('ZREM', KEYS[4], ARGV[1])
local n = redis.call('DEL', KEYS[1])
redis.call('DEL', KEYS[2])
return n
`);

/** KEYS: created, expiry. ARGV: now ms, entryPrefix, limit. Drops index entries whose entry is gone; returns how many. */
export const PRUNE = luaScript(`
local keys = redis.call('ZRANGE', KEYS[2], '-inf', ARGV[1], 'BYSCORE', 'LIMIT', 0, ARGV[3])
local n = 0
for _, k in ipairs(keys) do
  if redis.call('EXISTS', ARGV[2] .. k) == 0 then
    redis.call('ZREM', KEYS[1], k)
    n = n + 1
  end
  redis.call('ZREM', KEYS[2], k)
end
return {#keys, n}
`);

/** KEYS: created. ARGV: score, key. The rank (newest first) just after a cursor position, even if its key is gone. */
export const RANK_AFTER = luaScript(`
local r = redis.call('ZREVRANK', KEYS[1], ARGV[2])
if r and tonumber(redis.call('ZSCORE', KEYS[1], ARGV[2])) == tonumber(ARGV[1]) then return r + 1 end
local n = redis.call('ZCOUNT', KEYS[1], '(' .. ARGV[1], '+inf')
for _, m in ipairs(redis.call('ZRANGE', KEYS[1], ARGV[1], ARGV[1], 'BYSCORE')) do
  if m > ARGV[2] then n = n + 1 end
end
return n
`);

const DESCRIBE_BODY = `
local out = {}
for _, k in ipairs(members) do
  local pttl = redis.call('PTTL', ARGV[1] .. k)
  if pttl == -2 then
    prune(k)
  else
    local m = redis.call('HMGET', ARGV[2] .. k, 'c', 'u', 'p')
    table.insert(out, {k, m[1] or '', m[2] or '', m[3] or '', pttl})
  end
end
return out
`;

/** KEYS: created, expiry. ARGV: entryPrefix, metaPrefix, start, stop. A page newest first, as [key, created, user, publicId, pttl]. */
export const PAGE = luaScript(`
local members = redis.call('ZRANGE', KEYS[1], ARGV[3], ARGV[4], 'REV')
local function prune(k) redis.call('ZREM', KEYS[1], k); redis.call('ZREM', KEYS[2], k) end
${DESCRIBE_BODY}`);

/** KEYS: user set. ARGV: entryPrefix, metaPrefix. The user's live sessions; dead members leave the set. */
export const USER_SESSIONS = luaScript(`
local members = redis.call('SMEMBERS', KEYS[1])
local function prune(k) redis.call('SREM', KEYS[1], k) end
${DESCRIBE_BODY}`);

// ------------------------------------------------ indexing entries a Django site wrote (redis-index.ts)

/**
 * KEYS: none (each key is computed: entryPrefix/metaPrefix + session key). ARGV: entryPrefix,
 * metaPrefix, then session keys. For each key without a meta hash whose entry still exists:
 * key, entry bytes, PTTL (a flat list; read with buffers).
 */
export const READ_UNINDEXED = luaScript(`
local out = {}
for i = 3, #ARGV do
  local k = ARGV[i]
  if redis.call('EXISTS', ARGV[2] .. k) == 0 then
    local v = redis.call('GET', ARGV[1] .. k)
    if v then
      table.insert(out, k)
      table.insert(out, v)
      table.insert(out, redis.call('PTTL', ARGV[1] .. k))
    end
  end
end
return out
`);

/**
 * ARGV: entryPrefix, metaPrefix, created, expiry, userPrefix, then per entry seven values: key,
 * sha1 of the bytes read, created ms, expiry ms, user id ('' none), public id, undecodable ('1'/'0').
 * Indexes each entry as SAVE would (meta hash with the entry's TTL, both sorted sets, the user's
 * set), marked estimated ('e') and, when it could not be read, undecodable ('x'); only if the entry
 * still holds the bytes that were decoded and nothing indexed it meanwhile (a login through
 * SessionScope, another pass). Returns {indexed, of which undecodable, gone, changed}.
 */
export const INDEX_ENTRIES = luaScript(`
local indexed, undecodable, gone, changed = 0, 0, 0, 0
for i = 6, #ARGV, 7 do
  local k, sha, c, e, u, p, x = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4], ARGV[i + 5], ARGV[i + 6]
  local meta = ARGV[2] .. k
  if redis.call('EXISTS', meta) == 0 then
    local v = redis.call('GET', ARGV[1] .. k)
    if not v then
      gone = gone + 1
    elseif redis.sha1hex(v) ~= sha then
      changed = changed + 1
    else
      local fields = {'c', c, 'p', p, 'e', '1'}
      if u ~= '' then table.insert(fields, 'u'); table.insert(fields, u) end
      if x == '1' then
        table.insert(fields, 'x'); table.insert(fields, '1')
        undecodable = undecodable + 1
      end
      redis.call('HSET', meta, unpack(fields))
      local pttl = redis.call('PTTL', ARGV[1] .. k)
      if pttl > 0 then redis.call('PEXPIRE', meta, pttl) end
      redis.call('ZADD', ARGV[3], c, k)
      redis.call('ZADD', ARGV[4], e, k)
      if u ~= '' then redis.call('SADD', ARGV[5] .. u, k) end
      indexed = indexed + 1
    end
  end
end
return {indexed, undecodable, gone, changed}
`);

/**
 * KEYS: created, expiry. ARGV: entryPrefix, metaPrefix, userPrefix, start, count. Index entries whose
 * session entry is gone though it had not expired (Django deleted it: logout, flush) leave every
 * index, a range of the created set at a time. Returns {members read, removed}.
 */
export const PRUNE_GONE = luaScript(`
local members = redis.call('ZRANGE', KEYS[1], ARGV[4], tonumber(ARGV[4]) + tonumber(ARGV[5]) - 1)
local removed = 0
for _, k in ipairs(members) do
  if redis.call('EXISTS', ARGV[1] .. k) == 0 then
    local u = redis.call('HGET', ARGV[2] .. k, 'u')
    if u then redis.call('SREM', ARGV[3] .. u, k) end
    redis.call('ZREM', KEYS[1], k)
    redis.call('ZREM', KEYS[2], k)
    redis.call('DEL', ARGV[2] .. k)
    removed = removed + 1
  end
end
return {#members, removed}
`);
