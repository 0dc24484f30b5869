import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { MemoryTokenStore } from '../../src/auth/token-store.js'
import { ConfigurationError } from '../../src/errors/configuration-error.js'
import { createRedisState, type RedisState } from '../../src/redis/index.js'
import { LockTimeoutError } from '../../src/state/lock-table.js'
import { CLIENT_KINDS, type ConnectedClient, connectClient } from '../helpers/redis-clients.js'
import { type RedisServer, startRedisServer } from '../helpers/redis-server.js'

let server: RedisServer
beforeAll(async () => {
  server = await startRedisServer()
})
afterAll(async () => {
  await server?.close()
})

/** Commands the state sends itself; those its scripts run inside Redis are not round trips. */
const TOP_LEVEL = new Set(['evalsha', 'eval', 'zrem', 'del'])

/** How many times Redis ran each top-level command since the last reset: round trips, counted by the server. */
async function commandCalls(client: ConnectedClient): Promise<Record<string, number>> {
  const info = String(await client.command(['INFO', 'commandstats']))
  const calls: Record<string, number> = {}
  for (const match of info.matchAll(/cmdstat_(\w+):calls=(\d+)/g)) {
    if (TOP_LEVEL.has(match[1]!)) calls[match[1]!] = Number(match[2])
  }
  return calls
}

describe.each(CLIENT_KINDS)('Redis state with %s', (kind) => {
  let client: ConnectedClient
  let other: ConnectedClient
  let prefix: string
  let state: RedisState
  /** A second process sharing the same Redis. */
  let peer: RedisState

  beforeEach(async () => {
    client = await connectClient(kind, server.url)
    other = await connectClient(kind, server.url)
    prefix = `t${Math.random().toString(36).slice(2, 8)}:`
    state = createRedisState({ redis: client.client, prefix })
    peer = createRedisState({ redis: other.client, prefix })
  })
  afterEach(async () => {
    await client.close()
    await other.close()
  })

  it('recognises the client library', () => {
    expect(state.library).toBe(kind === 'ioredis' ? 'ioredis' : 'node-redis')
    expect(state.kind).toBe('redis')
  })

  it('snapshot: statuses, live slot counts and the sticky route, in one round trip', async () => {
    await state.setStatus('a', {
      state: 'cooling',
      until: Date.now() + 60_000,
      reason: 'THROTTLED',
      since: 1,
    })
    await peer.acquireSlot('b', 5, 60_000)
    await peer.acquireSlot('b', 5, 60_000)
    await state.setSticky('conversation-1', 'b', 60_000)
    await peer.snapshot([])
    await client.command(['CONFIG', 'RESETSTAT'])
    const snapshot = await peer.snapshot(['a', 'b', 'c'], 'conversation-1')
    expect(await commandCalls(client)).toEqual({ evalsha: 1 })
    expect(snapshot.statuses).toEqual(
      new Map([['a', expect.objectContaining({ state: 'cooling', reason: 'THROTTLED' })]]),
    )
    expect(snapshot.inFlight).toEqual(new Map([['b', 2]]))
    expect(snapshot.sticky).toBe('b')
    expect((await state.snapshot(['a'])).sticky).toBeUndefined()
  })

  it('slot acquire and release are one round trip each; the hot path is two', async () => {
    await state.snapshot(['a'])
    await client.command(['CONFIG', 'RESETSTAT'])
    await state.snapshot(['a'], 'k')
    const lease = await state.acquireSlot('a', 2, 60_000)
    expect(await commandCalls(client)).toEqual({ evalsha: 2 })
    await state.releaseSlot(lease!)
    expect(await commandCalls(client)).toEqual({ evalsha: 2, zrem: 1 })
  })

  it('runs its scripts again after SCRIPT FLUSH (EVALSHA falls back to EVAL)', async () => {
    await state.snapshot(['a'])
    await client.command(['SCRIPT', 'FLUSH'])
    await client.command(['CONFIG', 'RESETSTAT'])
    expect((await state.snapshot(['a'])).statuses.size).toBe(0)
    expect(await commandCalls(client)).toEqual({ evalsha: 1, eval: 1 })
    expect((await state.snapshot(['a'])).statuses.size).toBe(0)
  })

  it('slots are counted across processes and capped at max', async () => {
    const first = await state.acquireSlot('a', 2, 60_000)
    const second = await peer.acquireSlot('a', 2, 60_000)
    expect(first).toBeDefined()
    expect(second).toBeDefined()
    expect(await state.acquireSlot('a', 2, 60_000)).toBeUndefined()
    await peer.releaseSlot(second!)
    expect(await state.acquireSlot('a', 2, 60_000)).toBeDefined()
  })

  it("a crashed holder's slot expires with its lease; renewing keeps a live one", async () => {
    // Both taken with the same short lease; only one is renewed, at once and for long. No wait is
    // timed: the crashed holder's slot is watched until it expires, and then the renewed one,
    // taken before it, must still be there.
    const renewed = await state.acquireSlot('b', 1, 1_000)
    expect(await state.renewSlot(renewed!, 60_000)).toBe(true)
    const crashed = await peer.acquireSlot('a', 1, 1_000)
    expect(crashed).toBeDefined()
    for (let i = 0; ((await state.snapshot(['a'])).inFlight.get('a') ?? 0) > 0; i++) {
      if (i === 1_000) throw new Error('the crashed slot never expired')
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
    expect((await peer.snapshot(['b'])).inFlight.get('b')).toBe(1)
    expect(await state.acquireSlot('a', 1, 60_000)).toBeDefined()
    expect(await peer.acquireSlot('b', 1, 60_000)).toBeUndefined()
    expect(await peer.renewSlot(crashed!, 300)).toBe(false)
  })

  it('a status with a deadline expires in Redis at that deadline; undefined makes the account ready', async () => {
    await state.setStatus('a', { state: 'exhausted', until: Date.now() + 30_000, since: Date.now() })
    const ttl = Number(await client.command(['PTTL', `${prefix}status:a`]))
    expect(ttl).toBeGreaterThan(25_000)
    expect(ttl).toBeLessThanOrEqual(30_000)
    await state.setStatus('b', { state: 'suspended', since: Date.now() })
    expect(Number(await client.command(['PTTL', `${prefix}status:b`]))).toBe(-1)
    expect([...(await peer.snapshot(['a', 'b'])).statuses.keys()]).toEqual(['a', 'b'])
    await peer.setStatus('a', undefined)
    expect([...(await state.snapshot(['a', 'b'])).statuses.keys()]).toEqual(['b'])
  })

  it('sticky routes live for their TTL', async () => {
    await state.setSticky('conversation-2', 'c', 45_000)
    const ttl = Number(await client.command(['PTTL', `${prefix}sticky:conversation-2`]))
    expect(ttl).toBeGreaterThan(40_000)
    expect((await peer.snapshot([], 'conversation-2')).sticky).toBe('c')
  })

  describe('lock', () => {
    it('is exclusive across processes, with a fencing token that grows per grant', async () => {
      const first = await state.lock('job', { leaseMs: 10_000, waitMs: 1_000 })
      let second: Awaited<ReturnType<RedisState['lock']>> | undefined
      const waiting = peer.lock('job', { leaseMs: 10_000, waitMs: 5_000 }).then((lease) => {
        second = lease
        return lease
      })
      await new Promise((resolve) => setTimeout(resolve, 100))
      expect(second).toBeUndefined()
      await first.release()
      const lease = await waiting
      expect(lease.key).toBe('job')
      expect(lease.fence).toBe(first.fence + 1)
      await lease.release()
    })

    it("a dead holder's lock is free once its lease runs out", async () => {
      await client.command(['SET', `${prefix}lock:job`, 'dead-holder', 'PX', '150'])
      const lease = await state.lock('job', { leaseMs: 10_000, waitMs: 5_000 })
      expect(lease.fence).toBeGreaterThan(0)
      await lease.release()
    })

    it('a waiter gives up with LockTimeoutError while the holder is within its lease', async () => {
      const held = await state.lock('job', { leaseMs: 10_000, waitMs: 1_000 })
      const error = await peer.lock('job', { leaseMs: 90, waitMs: 200 }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(LockTimeoutError)
      await held.release()
      await (await peer.lock('job', { leaseMs: 90, waitMs: 400 })).release()
    })

    it('the refresh lock is renewed while held: a live refresh outlasting the lease keeps it', async () => {
      const renewing = createRedisState({
        redis: client.client,
        prefix,
        refreshLock: { leaseMs: 90, waitMs: 1_000 },
      })
      const waiting = createRedisState({
        redis: other.client,
        prefix,
        refreshLock: { leaseMs: 90, waitMs: 400 },
      })
      const held = await renewing.tokenStore('a', new MemoryTokenStore()).lock!()
      const error = await waiting.tokenStore('a', new MemoryTokenStore()).lock!().catch((e: unknown) => e)
      expect(error).toMatchObject({ name: 'CredentialsError', code: 'refresh_timeout' })
      await held.release()
      await (await waiting.tokenStore('a', new MemoryTokenStore()).lock!()).release()
    })

    it('release leaves a lock taken over by someone else alone', async () => {
      const held = await state.lock('job', { leaseMs: 10_000, waitMs: 100 })
      await client.command(['SET', `${prefix}lock:job`, 'someone-else'])
      await held.release()
      expect(await client.command(['GET', `${prefix}lock:job`])).toBe('someone-else')
    })
  })

  it('rejects what is not a Redis client, and bad options, with a ConfigurationError', () => {
    expect(() => createRedisState({ redis: {} as never })).toThrow(ConfigurationError)
    const cluster = { evalSha: () => {}, sendCommand: () => {}, masters: [] }
    expect(() => createRedisState({ redis: cluster as never })).toThrow(/cluster client is not supported/)
    expect(() => createRedisState({ redis: client.client, commandTimeoutMs: -1 })).toThrow(/commandTimeoutMs/)
    expect(() => createRedisState({ redis: client.client, encryptionKey: new Uint8Array(16) })).toThrow(
      /encryptionKey: expected 32 bytes/,
    )
  })

  it('token stores are one per account', () => {
    const seed = new MemoryTokenStore()
    expect(state.tokenStore('a', seed)).toBe(state.tokenStore('a', seed))
    expect(state.tokenStore('a', seed)).not.toBe(state.tokenStore('b', seed))
  })
})
