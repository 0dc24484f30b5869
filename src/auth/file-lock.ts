import type { FileHandle } from 'node:fs/promises'
import { CredentialsError } from '../errors/credentials-error.js'
import { throwIfAborted } from '../util/abort.js'
import { errorCode, nodeModules } from './files.js'

export interface FileLockOptions {
  /** A holder that stops renewing (killed, frozen) loses the lock after this long. */
  leaseMs: number
  /** How long to wait for another holder before failing with `refresh_timeout`. */
  waitMs: number
  signal?: AbortSignal | undefined
}

/** A held {@link acquireFileLock}. */
export interface FileLease {
  /** The grant time in ms since the epoch, made strictly increasing within this process. */
  readonly fence: number
  /** True once another process took the lock over (this holder stopped renewing for a whole lease). */
  readonly lost: boolean
  release(): Promise<void>
}

/** Codes meaning the directory will never hold a lock file: no process can coordinate through it. */
const CANNOT_LOCK = new Set(['EROFS', 'EACCES', 'EPERM', 'ENOENT', 'ENOTDIR'])
const POLL_MIN_MS = 10
const POLL_MAX_MS = 40

let lastFence = 0

/**
 * An exclusive lock on `target` across processes (docs/shared-state.md): `target.lock` created with
 * `O_EXCL`, its mtime renewed every third of the lease while held. A lock file older than the lease
 * belongs to a dead or frozen holder and is taken over, but only under a second short lock
 * (`target.lock.steal`) and only if it is still stale once that is held, so two waiters can never
 * both take over the same dead holder's lock.
 *
 * Resolves undefined when the directory cannot hold a lock file (read-only, missing): nothing can
 * coordinate there, and the caller goes on unlocked, as before locks existed.
 */
export async function acquireFileLock(
  target: string,
  options: FileLockOptions,
): Promise<FileLease | undefined> {
  const { fs } = await nodeModules()
  const lockPath = `${target}.lock`
  const deadline = Date.now() + options.waitMs
  for (;;) {
    throwIfAborted(options.signal)
    const fence = Math.max(Date.now(), lastFence + 1)
    let handle: FileHandle
    try {
      handle = await fs.open(lockPath, 'wx', 0o600)
    } catch (error) {
      const code = errorCode(error)
      if (CANNOT_LOCK.has(code)) return undefined
      if (code !== 'EEXIST') {
        throw new CredentialsError('write_failed', `${lockPath}: cannot create the lock file (${code}).`)
      }
      const seen = await fs.stat(lockPath).catch(() => undefined)
      if (seen !== undefined && Date.now() - seen.mtimeMs > options.leaseMs) {
        await takeOverStale(lockPath, options.leaseMs)
        continue
      }
      const left = deadline - Date.now()
      if (left <= 0) {
        throw new CredentialsError(
          'refresh_timeout',
          `${lockPath}: another process has held the login's refresh lock for more than ${options.waitMs} ms.`,
        )
      }
      await pause(Math.min(left, POLL_MIN_MS + Math.random() * (POLL_MAX_MS - POLL_MIN_MS)))
      continue
    }
    lastFence = fence
    return hold(handle, lockPath, fence, options.leaseMs)
  }
}

function hold(handle: FileHandle, lockPath: string, fence: number, leaseMs: number): FileLease {
  let lost = false
  let released = false
  const identity = handle.stat().then((stats) => stats.ino)
  // Who holds it, for an operator looking at a stuck lock; nothing secret.
  const written = handle
    .writeFile(JSON.stringify({ pid: globalThis.process?.pid, fence, at: new Date(fence).toISOString() }))
    .catch(() => {})
  const renew = async () => {
    const { fs } = await nodeModules()
    try {
      const [ino, current] = await Promise.all([identity, fs.stat(lockPath)])
      if (current.ino !== ino) lost = true
      else await handle.utimes(new Date(), new Date())
    } catch {
      lost = true
    }
    if (lost) clearInterval(timer)
  }
  // Renewed through the open handle: a lock taken over meanwhile is another file, never touched.
  const timer = setInterval(() => void renew(), Math.max(1, Math.floor(leaseMs / 3)))
  timer.unref?.()
  return {
    fence,
    get lost() {
      return lost
    },
    async release() {
      if (released) return
      released = true
      clearInterval(timer)
      await written
      const { fs } = await nodeModules()
      try {
        const [ino, current] = await Promise.all([identity, fs.stat(lockPath)])
        if (!lost && current.ino === ino) await fs.unlink(lockPath)
      } catch {
        // Already gone (taken over and released): nothing of ours to remove.
      } finally {
        await handle.close().catch(() => {})
      }
    },
  }
}

/**
 * Removes a lock file whose holder stopped renewing it, under the steal lock so that only one
 * waiter removes it, and only while it is still stale (not a fresh lock created meanwhile).
 */
async function takeOverStale(lockPath: string, leaseMs: number): Promise<void> {
  const { fs } = await nodeModules()
  const stealPath = `${lockPath}.steal`
  let steal: FileHandle
  try {
    steal = await fs.open(stealPath, 'wx', 0o600)
  } catch {
    // Someone else is taking over. A steal lock outlives its few file operations only if its
    // holder died in between: clear it once it is a lease old, so the next waiter can proceed.
    const stats = await fs.stat(stealPath).catch(() => undefined)
    if (stats !== undefined && Date.now() - stats.mtimeMs > leaseMs)
      await fs.unlink(stealPath).catch(() => {})
    await pause(POLL_MIN_MS)
    return
  }
  try {
    const current = await fs.stat(lockPath).catch(() => undefined)
    if (current !== undefined && Date.now() - current.mtimeMs > leaseMs) await fs.unlink(lockPath)
  } catch {
    // Gone already: the next attempt creates it.
  } finally {
    await steal.close().catch(() => {})
    await fs.unlink(stealPath).catch(() => {})
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
