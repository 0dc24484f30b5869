import { describe, expect, it } from 'vitest'
import { FileTokenStore } from '../../src/auth/file-token-store.js'
import { MemoryTokenStore } from '../../src/auth/token-store.js'
import { APIUserAbortError } from '../../src/errors/api-error.js'
import { MemoryState } from '../../src/state/memory.js'
import { describeStateContract } from './state-contract.js'

function fakeClock() {
  let now = Date.now()
  return {
    now: () => now,
    advance: async (ms: number) => {
      now += ms
    },
  }
}

describeStateContract('memory', async () => {
  const clock = fakeClock()
  const state = new MemoryState({ now: clock.now })
  return { state, advance: clock.advance, close: () => state.close() }
})

describe('MemoryState', () => {
  it('shares one store per account and source between pools, and takes a seed from elsewhere', () => {
    const state = new MemoryState()
    const file = new FileTokenStore({ path: '/tmp/kiro-a.json' })
    expect(state.tokenStore('a', file)).toBe(file)
    expect(state.tokenStore('a', new FileTokenStore({ path: '/tmp/kiro-a.json' }))).toBe(file)
    const moved = new FileTokenStore({ path: '/tmp/kiro-a2.json' })
    expect(state.tokenStore('a', moved)).toBe(moved)
    const inMemory = new MemoryTokenStore({ accessToken: 'x' })
    expect(state.tokenStore('b', inMemory)).toBe(inMemory)
  })

  it('keeps at most maxStickyRoutes, dropping the least recently set', async () => {
    const state = new MemoryState({ maxStickyRoutes: 3 })
    for (const key of ['k1', 'k2', 'k3']) await state.setSticky(key, 'a', 60_000)
    await state.setSticky('k1', 'b', 60_000)
    await state.setSticky('k4', 'a', 60_000)
    expect((await state.snapshot(['a', 'b'], 'k2')).sticky).toBeUndefined()
    expect((await state.snapshot(['a', 'b'], 'k1')).sticky).toBe('b')
    expect((await state.snapshot(['a', 'b'], 'k4')).sticky).toBe('a')
  })

  it('stops a lock wait when the caller aborts', async () => {
    const state = new MemoryState()
    const held = await state.lock('k', { leaseMs: 60_000, waitMs: 60_000 })
    const controller = new AbortController()
    const waiting = state.lock('k', { leaseMs: 1_000, waitMs: 60_000, signal: controller.signal })
    controller.abort()
    await expect(waiting).rejects.toBeInstanceOf(APIUserAbortError)
    await held.release()
    const again = await state.lock('k', { leaseMs: 1_000, waitMs: 10 })
    expect(again.fence).toBe(2)
  })

  it('returns a copy of a status, so a caller cannot change what is stored', async () => {
    const state = new MemoryState()
    const record = { state: 'disabled' as const, since: 1 }
    await state.setStatus('a', record)
    record.since = 2
    expect((await state.snapshot(['a'])).statuses.get('a')?.since).toBe(1)
  })
})
