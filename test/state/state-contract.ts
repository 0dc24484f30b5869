import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MemoryTokenStore } from '../../src/auth/token-store.js'
import { KiroError } from '../../src/errors/kiro-error.js'
import type { State } from '../../src/state/types.js'

/** A state under test and a way to move its clock (a fake clock, or real time for a server). */
export interface StateFixture {
  state: State
  /** Lets `ms` pass for the state's deadlines. */
  advance(ms: number): Promise<void>
  close(): Promise<void>
}

/**
 * What every `State` must do, whatever keeps it: run against the memory state here, and against
 * any other implementation by passing its own fixture. Leases and deadlines are short (tens of ms)
 * so that an implementation on real time can run it too.
 */
export function describeStateContract(name: string, open: () => Promise<StateFixture>): void {
  describe(`State contract: ${name}`, () => {
    let fixture: StateFixture
    let state: State
    beforeEach(async () => {
      fixture = await open()
      state = fixture.state
    })
    afterEach(async () => {
      await fixture.close()
    })

    it('starts with every account ready, idle, and no sticky route', async () => {
      const snapshot = await state.snapshot(['a', 'b'], 'conversation-1')
      expect(snapshot.statuses.size).toBe(0)
      expect(snapshot.inFlight.get('a') ?? 0).toBe(0)
      expect(snapshot.sticky).toBeUndefined()
    })

    it('parks an account until its deadline, then it is ready again', async () => {
      await state.setStatus('a', { state: 'cooling', until: Date.now() + 40, since: Date.now(), reason: 'X' })
      const parked = await state.snapshot(['a', 'b'])
      expect(parked.statuses.get('a')).toMatchObject({ state: 'cooling', reason: 'X' })
      expect(parked.statuses.has('b')).toBe(false)
      await fixture.advance(60)
      expect((await state.snapshot(['a'])).statuses.has('a')).toBe(false)
    })

    it('keeps a status without a deadline until it is cleared', async () => {
      await state.setStatus('a', { state: 'suspended', since: Date.now(), message: 'stop' })
      await fixture.advance(60)
      expect((await state.snapshot(['a'])).statuses.get('a')?.state).toBe('suspended')
      await state.setStatus('a', undefined)
      expect((await state.snapshot(['a'])).statuses.has('a')).toBe(false)
    })

    it('reports only the accounts asked for', async () => {
      await state.setStatus('a', { state: 'disabled', since: Date.now() })
      await state.acquireSlot('a', 1, 10_000)
      const snapshot = await state.snapshot(['b'])
      expect(snapshot.statuses.has('a')).toBe(false)
      expect(snapshot.inFlight.has('a')).toBe(false)
    })

    it('counts slots up to the maximum and frees them on release', async () => {
      const first = await state.acquireSlot('a', 2, 10_000)
      const second = await state.acquireSlot('a', 2, 10_000)
      expect(first).toBeDefined()
      expect(second).toBeDefined()
      expect(first?.id).not.toBe(second?.id)
      expect(await state.acquireSlot('a', 2, 10_000)).toBeUndefined()
      expect((await state.snapshot(['a'])).inFlight.get('a')).toBe(2)
      await state.releaseSlot(first!)
      expect((await state.snapshot(['a'])).inFlight.get('a')).toBe(1)
      expect(await state.acquireSlot('a', 2, 10_000)).toBeDefined()
      // Another account's slots are its own.
      expect(await state.acquireSlot('b', 1, 10_000)).toBeDefined()
    })

    it('frees the slot of a holder that stopped renewing it', async () => {
      const lease = await state.acquireSlot('a', 1, 40)
      expect(lease).toBeDefined()
      await fixture.advance(60)
      expect((await state.snapshot(['a'])).inFlight.get('a') ?? 0).toBe(0)
      expect(await state.renewSlot(lease!, 40)).toBe(false)
      expect(await state.acquireSlot('a', 1, 10_000)).toBeDefined()
    })

    it('keeps a renewed slot past its first lease', async () => {
      const lease = await state.acquireSlot('a', 1, 80)
      await fixture.advance(50)
      expect(await state.renewSlot(lease!, 80)).toBe(true)
      await fixture.advance(50)
      expect((await state.snapshot(['a'])).inFlight.get('a')).toBe(1)
      expect(await state.acquireSlot('a', 1, 80)).toBeUndefined()
    })

    it('routes a sticky key to its account until the route expires', async () => {
      await state.setSticky('conversation-1', 'b', 40)
      expect((await state.snapshot(['a', 'b'], 'conversation-1')).sticky).toBe('b')
      expect((await state.snapshot(['a', 'b'], 'conversation-2')).sticky).toBeUndefined()
      expect((await state.snapshot(['a', 'b'])).sticky).toBeUndefined()
      await state.setSticky('conversation-1', 'a', 40)
      expect((await state.snapshot(['a', 'b'], 'conversation-1')).sticky).toBe('a')
      await fixture.advance(60)
      expect((await state.snapshot(['a', 'b'], 'conversation-1')).sticky).toBeUndefined()
    })

    it('grants a lock to one holder at a time, with a growing fence', async () => {
      const first = await state.lock('refresh:a', { leaseMs: 10_000, waitMs: 1_000 })
      let second: { fence: number; release(): Promise<void> } | undefined
      const waiting = state.lock('refresh:a', { leaseMs: 10_000, waitMs: 5_000 }).then((lease) => {
        second = lease
        return lease
      })
      await new Promise((resolve) => setTimeout(resolve, 20))
      expect(second).toBeUndefined()
      await first.release()
      const lease = await waiting
      expect(lease.fence).toBeGreaterThan(first.fence)
      // Other keys are independent.
      const other = await state.lock('refresh:b', { leaseMs: 10_000, waitMs: 10 })
      await other.release()
      await lease.release()
    })

    it('gives up on a lock after waitMs with a KiroError', async () => {
      const held = await state.lock('refresh:a', { leaseMs: 10_000, waitMs: 100 })
      const error = await state.lock('refresh:a', { leaseMs: 10_000, waitMs: 30 }).catch((e: unknown) => e)
      expect(KiroError.isInstance(error)).toBe(true)
      await held.release()
    })

    it('hands the lock of a holder that died to the next, and ignores the late release', async () => {
      const dead = await state.lock('refresh:a', { leaseMs: 40, waitMs: 100 })
      await fixture.advance(60)
      const next = await state.lock('refresh:a', { leaseMs: 10_000, waitMs: 100 })
      expect(next.fence).toBeGreaterThan(dead.fence)
      await dead.release()
      const error = await state.lock('refresh:a', { leaseMs: 10_000, waitMs: 20 }).catch((e: unknown) => e)
      expect(KiroError.isInstance(error)).toBe(true)
      await next.release()
    })

    it('gives the login of the seed when it holds none for the account', async () => {
      const seed = new MemoryTokenStore({ accessToken: 'seed-access', refreshToken: 'seed-refresh' })
      const store = state.tokenStore('a', seed)
      expect((await store.load())?.refreshToken).toBe('seed-refresh')
    })
  })
}
