import { RedisScript } from './script.js'

// The Lua scripts behind the Redis state (docs/shared-state.md). Each runs atomically on the server,
// so a check and the write it guards can never be split by another client. Time-based records
// (slot leases) use the server's clock (TIME), so hosts with skewed clocks agree on what expired.

/** Milliseconds on the Redis server's clock; scripts replicate their effects, not their calls. */
const NOW = `
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`

/**
 * Compare-and-swap of a login. KEYS: token hash. ARGV: expected fingerprint ('' = no record),
 * next fingerprint, next data, fence ('' = written without a lock).
 * Returns {1} when written, {0, current data or ''} when the record changed meanwhile or a holder
 * with a newer fence already wrote it.
 */
export const TOKEN_CAS = new RedisScript(`
local current = redis.call('HGET', KEYS[1], 'fp') or ''
if current ~= ARGV[1] then return {0, redis.call('HGET', KEYS[1], 'data') or ''} end
if ARGV[4] ~= '' then
  local written = tonumber(redis.call('HGET', KEYS[1], 'fence') or '0')
  if written > tonumber(ARGV[4]) then return {0, redis.call('HGET', KEYS[1], 'data') or ''} end
  redis.call('HSET', KEYS[1], 'fence', ARGV[4])
end
redis.call('HSET', KEYS[1], 'fp', ARGV[2], 'data', ARGV[3])
return {1}
`)

/** Writes a login only where none is stored. KEYS: token hash. ARGV: fp, data. Returns the data now held. */
export const TOKEN_SEED = new RedisScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('HSET', KEYS[1], 'fp', ARGV[1], 'data', ARGV[2])
  return ARGV[2]
end
return redis.call('HGET', KEYS[1], 'data') or ''
`)

/**
 * Takes a lease lock. KEYS: lock key, fence counter. ARGV: owner, lease ms.
 * Returns {1, fence} when granted, {0, ms left on the holder's lease} otherwise. An attempt that
 * timed out on the client but succeeded here is granted again to the same owner on its retry.
 */
export const LOCK_ACQUIRE = new RedisScript(`
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return {1, tonumber(redis.call('GET', KEYS[2]) or '0')}
end
if not holder then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return {1, redis.call('INCR', KEYS[2])}
end
return {0, redis.call('PTTL', KEYS[1])}
`)

/** Extends a lease lock if still held by ARGV[1]. KEYS: lock key. ARGV: owner, lease ms. Returns 1 or 0. */
export const LOCK_RENEW = new RedisScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`)

/** Releases a lease lock if still held by ARGV[1]. KEYS: lock key. ARGV: owner. */
export const LOCK_RELEASE = new RedisScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`)

/**
 * Takes one of ARGV[2] slots: a member of a sorted set scored by its lease's end; expired members
 * (a crashed holder's) are dropped first. KEYS: slot set. ARGV: slot id, max, lease ms. Returns 1 or 0.
 */
export const SLOT_ACQUIRE = new RedisScript(`${NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
local lease = tonumber(ARGV[3])
redis.call('ZADD', KEYS[1], now + lease, ARGV[1])
if redis.call('PTTL', KEYS[1]) < lease then redis.call('PEXPIRE', KEYS[1], lease) end
return 1
`)

/** Extends a slot's lease if it has not expired. KEYS: slot set. ARGV: slot id, lease ms. Returns 1 or 0. */
export const SLOT_RENEW = new RedisScript(`${NOW}
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score or tonumber(score) <= now then return 0 end
local lease = tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], 'XX', now + lease, ARGV[1])
if redis.call('PTTL', KEYS[1]) < lease then redis.call('PEXPIRE', KEYS[1], lease) end
return 1
`)

/**
 * Everything account selection reads, in one round trip. KEYS: n status keys, n slot sets, then
 * the sticky key if ARGV[2] is '1'. ARGV: n. Returns {statuses ('' = ready), live slot counts, sticky or ''}.
 */
export const SNAPSHOT = new RedisScript(`${NOW}
local n = tonumber(ARGV[1])
local statuses = {}
local counts = {}
for i = 1, n do
  statuses[i] = redis.call('GET', KEYS[i]) or ''
  counts[i] = redis.call('ZCOUNT', KEYS[n + i], '(' .. now, '+inf')
end
local sticky = ''
if ARGV[2] == '1' then sticky = redis.call('GET', KEYS[2 * n + 1]) or '' end
return {statuses, counts, sticky}
`)
