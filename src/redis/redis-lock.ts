import { StateError } from '../state/state-error.js'
import type { LockLease, LockOptions } from '../state/types.js'
import { throwIfAborted } from '../util/abort.js'
import type { RedisCommands } from './client.js'
import { bounded, describeFailure } from './health.js'
import { LOCK_ACQUIRE, LOCK_RELEASE, LOCK_RENEW } from './scripts.js'

export interface RedisLockContext {
  /** The key the caller asked for (reported on the lease). */
  name: string
  redis: RedisCommands
  /** Bound on each Redis call. */
  timeoutMs: number
  lockKey: string
  fenceKey: string
}

const POLL_MIN_MS = 10
const POLL_MAX_MS = 40
/** Between attempts while Redis does not answer. */
const RETRY_MS = 50

/**
 * Takes a lease lock in Redis (docs/shared-state.md): `SET NX PX` with a random owner, a fencing
 * token from `INCR`, renewed every third of the lease while held so that only a dead holder's lock
 * expires. Waiters poll every few tens of ms. Rejects with a `StateError`: `lock_timeout` when a
 * holder kept it past `waitMs`, `unavailable` when Redis did not answer meanwhile. Never grants a
 * lock it could not confirm in Redis.
 */
export async function acquireRedisLock(context: RedisLockContext, options: LockOptions): Promise<LockLease> {
  const { redis, timeoutMs, lockKey, fenceKey } = context
  const owner = randomOwner()
  const lease = String(Math.max(1, Math.round(options.leaseMs)))
  const deadline = Date.now() + options.waitMs
  for (;;) {
    throwIfAborted(options.signal)
    let failure: unknown
    let wait: number
    try {
      const reply = (await bounded(
        LOCK_ACQUIRE.run(redis, [lockKey, fenceKey], [owner, lease]),
        timeoutMs,
      )) as [number, number]
      if (Number(reply[0]) === 1) return hold(context, owner, Number(reply[1]), options.leaseMs)
      wait = Math.min(
        Math.max(Number(reply[1]), 1),
        POLL_MIN_MS + Math.random() * (POLL_MAX_MS - POLL_MIN_MS),
      )
    } catch (error) {
      failure = error
      wait = RETRY_MS
    }
    const left = deadline - Date.now()
    if (left <= 0) {
      if (failure !== undefined) {
        throw new StateError(
          'unavailable',
          `Redis did not grant the lock ${lockKey} within ${options.waitMs} ms (${describeFailure(failure)}).`,
        )
      }
      throw new StateError(
        'lock_timeout',
        `Another holder kept the lock ${lockKey} for more than ${options.waitMs} ms.`,
      )
    }
    await pause(Math.min(wait, left), options.signal)
  }
}

function hold(context: RedisLockContext, owner: string, fence: number, leaseMs: number): LockLease {
  const { redis, timeoutMs, lockKey } = context
  const lease = String(Math.max(1, Math.round(leaseMs)))
  let released = false
  const timer = setInterval(
    () => {
      bounded(LOCK_RENEW.run(redis, [lockKey], [owner, lease]), timeoutMs).then(
        (renewed) => {
          // Expired meanwhile (Redis restarted, or this process froze past the lease): stop trying.
          if (Number(renewed) !== 1) clearInterval(timer)
        },
        () => {},
      )
    },
    Math.max(1, Math.floor(leaseMs / 3)),
  )
  timer.unref?.()
  return {
    key: context.name,
    fence,
    async release() {
      if (released) return
      released = true
      clearInterval(timer)
      // A release Redis does not get is a lease that runs out instead.
      await bounded(LOCK_RELEASE.run(redis, [lockKey], [owner]), timeoutMs).catch(() => {})
    },
  }
}

function randomOwner(): string {
  return Array.from(globalThis.crypto.getRandomValues(new Uint8Array(12)), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('')
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal?.addEventListener('abort', done, { once: true })
  })
}
