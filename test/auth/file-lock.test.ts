import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { acquireFileLock } from '../../src/auth/file-lock.js'
import { FileTokenStore } from '../../src/auth/file-token-store.js'
import { ConfigurationError } from '../../src/errors/configuration-error.js'
import { isSettled } from './helpers/refresh-server.js'

let dir: string
let file: string

const LOGIN = { accessToken: 'access-0', refreshToken: 'refresh-0', expiresAt: '2030-01-01T00:00:00.000Z' }

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiro-lock-'))
  file = join(dir, 'kiro-auth-token.json')
  await writeFile(file, JSON.stringify(LOGIN))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** Leaves a lock file behind as a holder killed with -9 would, last renewed `ageMs` ago. */
async function deadHolder(ageMs: number): Promise<void> {
  await writeFile(`${file}.lock`, JSON.stringify({ pid: 999_999, fence: 1 }))
  const at = new Date(Date.now() - ageMs)
  await utimes(`${file}.lock`, at, at)
}

describe('acquireFileLock', () => {
  it('is exclusive: a second holder waits for the first to release', async () => {
    const first = (await acquireFileLock(file, { leaseMs: 10_000, waitMs: 10_000 }))!
    const second = acquireFileLock(file, { leaseMs: 10_000, waitMs: 10_000 })
    expect(await isSettled(second)).toBe(false)
    await first.release()
    const lease = (await second)!
    expect(lease.fence).toBeGreaterThan(first.fence)
    await lease.release()
    expect(await readdir(dir)).toEqual(['kiro-auth-token.json'])
  })

  it('takes over the lock of a holder that stopped renewing once its lease has run out', async () => {
    await deadHolder(5_000)
    const lease = (await acquireFileLock(file, { leaseMs: 1_000, waitMs: 100 }))!
    expect(JSON.parse(await readFile(`${file}.lock`, 'utf8'))).toMatchObject({ pid: process.pid })
    await lease.release()
    expect(await readdir(dir)).toEqual(['kiro-auth-token.json'])
  })

  it('never takes over a live lock: waits, then fails with refresh_timeout', async () => {
    await deadHolder(0)
    await expect(acquireFileLock(file, { leaseMs: 60_000, waitMs: 150 })).rejects.toMatchObject({
      name: 'CredentialsError',
      code: 'refresh_timeout',
    })
    expect(JSON.parse(await readFile(`${file}.lock`, 'utf8'))).toMatchObject({ pid: 999_999 })
  })

  it('many waiters racing to take over one dead holder: one holder at a time, every one served', async () => {
    await deadHolder(5_000)
    let inside = 0
    let most = 0
    const entered: number[] = []
    await Promise.all(
      Array.from({ length: 8 }, async (_, index) => {
        const lease = (await acquireFileLock(file, { leaseMs: 1_000, waitMs: 20_000 }))!
        inside += 1
        most = Math.max(most, inside)
        entered.push(index)
        await new Promise((resolve) => setTimeout(resolve, 5))
        inside -= 1
        await lease.release()
      }),
    )
    expect(most).toBe(1)
    expect(entered.sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7])
  })

  it('a holder whose lock was taken over learns it is lost and leaves the new lock alone', async () => {
    const lease = (await acquireFileLock(file, { leaseMs: 60, waitMs: 1_000 }))!
    await rm(`${file}.lock`)
    await writeFile(`${file}.lock`, JSON.stringify({ pid: 4242 }))
    for (let i = 0; i < 100 && !lease.lost; i++) await new Promise((resolve) => setTimeout(resolve, 20))
    expect(lease.lost).toBe(true)
    await lease.release()
    expect(JSON.parse(await readFile(`${file}.lock`, 'utf8'))).toEqual({ pid: 4242 })
  })

  it('gives no lock where no lock file can exist (missing directory): nothing can coordinate there', async () => {
    expect(await acquireFileLock(join(dir, 'missing', 'token.json'), { leaseMs: 1_000, waitMs: 100 })).toBe(
      undefined,
    )
  })

  it('stops waiting when the signal aborts', async () => {
    await deadHolder(0)
    const controller = new AbortController()
    const waiting = acquireFileLock(file, { leaseMs: 60_000, waitMs: 60_000, signal: controller.signal })
    controller.abort()
    await expect(waiting).rejects.toMatchObject({ name: 'APIUserAbortError' })
  })
})

describe('FileTokenStore locking', () => {
  it('compare-and-swap under contention: exactly one of many writers swaps', async () => {
    for (let round = 0; round < 5; round++) {
      const stores = Array.from({ length: 8 }, () => new FileTokenStore({ path: file }))
      const expected = (await stores[0]!.load())!
      const results = await Promise.all(
        stores.map((store, index) =>
          store.compareAndSwap(expected, { ...expected, accessToken: `access-${round}-${index}` }),
        ),
      )
      expect(results.filter((result) => result.swapped)).toHaveLength(1)
      const winner = results.findIndex((result) => result.swapped)
      expect((await stores[0]!.load())?.accessToken).toBe(`access-${round}-${winner}`)
    }
  })

  it('writes made while lock() is held run under that hold, not a second one', async () => {
    const store = new FileTokenStore({ path: file })
    const lock = await store.lock()
    const current = (await store.load())!
    expect(await store.compareAndSwap(current, { ...current, accessToken: 'under-the-lock' })).toEqual({
      swapped: true,
    })
    const other = new FileTokenStore({ path: file }).save({ accessToken: 'other-process' })
    expect(await isSettled(other)).toBe(false)
    await lock.release()
    await other
    expect((await store.load())?.accessToken).toBe('other-process')
  })

  it('callers of lock() in one process take turns', async () => {
    const store = new FileTokenStore({ path: file })
    const first = await store.lock()
    const second = store.lock()
    expect(await isSettled(second)).toBe(false)
    await first.release()
    await (await second).release()
    expect(await readdir(dir)).toEqual(['kiro-auth-token.json'])
  })

  it('lock: false turns locking off', async () => {
    await deadHolder(0)
    const store = new FileTokenStore({ path: file, lock: false })
    await store.save({ accessToken: 'unlocked' })
    const lock = await store.lock()
    expect(lock.fence).toBe(0)
    await lock.release()
    expect((await store.load())?.accessToken).toBe('unlocked')
  })

  it('rejects a bad lease with a ConfigurationError naming the field', () => {
    expect(() => new FileTokenStore({ path: file, lock: { leaseMs: 0 } })).toThrow(ConfigurationError)
    expect(() => new FileTokenStore({ path: file, lock: { waitMs: Number.NaN } })).toThrow(/lock\.waitMs/)
  })
})
