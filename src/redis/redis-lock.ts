import { LockTimeoutError } from '../state/lock-table.js'
import { StateUnavailableError } from '../state/state-unavailable-error.js'
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
 * Takes a lease lock in Redis (docs/shared-state.md): `SET NX PX` with a random owner and a fencing
 * token from `INCR`. With `renew`, the holder extends it every third of the lease while it holds
 * it, so that only a dead holder's lock expires (refreshes may outlast a lease); without, the lease
 * bounds the hold, as in the memory state. Waiters poll every few tens of ms. Rejects with
 * `LockTimeoutError` when a holder kept it past `waitMs`, `StateUnavailableError` when Redis did
 * not answer meanwhile. Never grants a lock it could not confirm in Redis.
 */
export async function acquireRedisLock(
  context: RedisLockContext,
  options: LockOptions,
  renew = false,
): Promise<LockLease> {
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
      if (Number(reply[0]) === 1) return hold(context, owner, Number(reply[1]), renew ? options.leaseMs : 0)
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
        throw new StateUnavailableError(
          `Redis did not grant the lock ${lockKey} within ${options.waitMs} ms (${describeFailure(failure)}).`,
        )
      }
      throw new LockTimeoutError(
        `Another holder kept the lock ${lockKey} for more than ${options.waitMs} ms.`,
      )
    }
    await pause(Math.min(wait, left), options.signal)
  }
}

/** A granted lock; `renewMs` > 0 renews it on that lease until released. */
function hold(context: RedisLockContext, owner: string, fence: number, renewMs: number): LockLease {
  const { redis, timeoutMs, lockKey } = context
  const lease = String(Math.max(1, Math.round(renewMs)))
  let released = false
  const timer =
    renewMs <= 0
      ? undefined
      : setInterval(
          () => {
            bounded(LOCK_RENEW.run(redis, [lockKey], [owner, lease]), timeoutMs).then(
              (renewed) => {
                // Expired meanwhile (Redis restarted, or this process froze past the lease): stop trying.
                if (Number(renewed) !== 1) clearInterval(timer)
              },
              () => {},
            )
          },
          Math.max(1, Math.floor(renewMs / 3)),
        )
  timer?.unref?.()
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
