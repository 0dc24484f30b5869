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
 * A lease or deadline that must still hold across a few calls to the state, however loaded the
 * machine: a stall that long between two consecutive calls is not expected.
 */
const HOLDS_MS = 2_000
/** A lease that outlives the whole test. */
const LONG_MS = 60_000
/** Steps of the clock while waiting for something to expire; at most this many. */
const STEP_MS = 50
const MAX_STEPS = 2_000

/**
 * What every `State` must do, whatever keeps it: run against the memory state here, and against
 * any other implementation by passing its own fixture. Nothing asserts how long a call took:
 * a deadline that must not have passed is long (`HOLDS_MS`), and one that must have passed is
 * waited for by watching it expire (or one known to end no earlier), so that an implementation on
 * real time on a loaded machine gives the same answers.
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

    /** Moves the clock in small steps until `present` says the thing is gone; fails if it never goes. */
    async function expires(present: () => Promise<boolean>): Promise<void> {
      for (let step = 0; step < MAX_STEPS; step++) {
        if (!(await present())) return
        await fixture.advance(STEP_MS)
      }
      throw new Error(`still there after ${MAX_STEPS} steps of ${STEP_MS} ms`)
    }

    it('starts with every account ready, idle, and no sticky route', async () => {
      const snapshot = await state.snapshot(['a', 'b'], 'conversation-1')
      expect(snapshot.statuses.size).toBe(0)
      expect(snapshot.inFlight.get('a') ?? 0).toBe(0)
      expect(snapshot.sticky).toBeUndefined()
    })

    it('parks an account until its deadline, then it is ready again', async () => {
      const until = Date.now() + HOLDS_MS
      await state.setStatus('a', { state: 'cooling', until, since: Date.now(), reason: 'X' })
      const parked = await state.snapshot(['a', 'b'])
      expect(parked.statuses.get('a')).toMatchObject({ state: 'cooling', reason: 'X', until })
      expect(parked.statuses.has('b')).toBe(false)
      await expires(async () => (await state.snapshot(['a'])).statuses.has('a'))
    })

    it('keeps a status without a deadline until it is cleared', async () => {
      await state.setStatus('a', { state: 'suspended', since: Date.now(), message: 'stop' })
      await fixture.advance(60)
      expect((await state.snapshot(['a'])).statuses.get('a')?.state).toBe('suspended')
      await state.setStatus('a', undefined)
      expect((await state.snapshot(['a'])).statuses.has('a')).toBe(false)
    })

    it('keeps accounts apart: another account busy or parked says nothing about this one', async () => {
      await state.setStatus('a', { state: 'disabled', since: Date.now() })
      await state.acquireSlot('a', 1, 10_000)
      // Entries of accounts not asked about may appear (a state may share its own maps).
      const snapshot = await state.snapshot(['b'])
      expect(snapshot.statuses.get('b')).toBeUndefined()
      expect(snapshot.inFlight.get('b') ?? 0).toBe(0)
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
      const lease = await state.acquireSlot('a', 1, HOLDS_MS)
      expect(lease).toBeDefined()
      expect(await state.renewSlot(lease!, LONG_MS)).toBe(true)
      // A witness taken after the renewal with the same first lease: once it has expired, the
      // renewed slot's first lease has too.
      const witness = await state.acquireSlot('c', 1, HOLDS_MS)
      expect(witness).toBeDefined()
      await expires(async () => ((await state.snapshot(['c'])).inFlight.get('c') ?? 0) > 0)
      expect((await state.snapshot(['a'])).inFlight.get('a')).toBe(1)
      expect(await state.acquireSlot('a', 1, LONG_MS)).toBeUndefined()
      expect(await state.renewSlot(lease!, LONG_MS)).toBe(true)
      await state.releaseSlot(lease!)
      expect(await state.acquireSlot('a', 1, LONG_MS)).toBeDefined()
    })

    it('routes a sticky key to its account until the route expires', async () => {
      await state.setSticky('conversation-1', 'b', HOLDS_MS)
      expect((await state.snapshot(['a', 'b'], 'conversation-1')).sticky).toBe('b')
      expect((await state.snapshot(['a', 'b'], 'conversation-2')).sticky).toBeUndefined()
      expect((await state.snapshot(['a', 'b'])).sticky).toBeUndefined()
      await state.setSticky('conversation-1', 'a', HOLDS_MS)
      expect((await state.snapshot(['a', 'b'], 'conversation-1')).sticky).toBe('a')
      await expires(async () => (await state.snapshot(['a', 'b'], 'conversation-1')).sticky !== undefined)
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
