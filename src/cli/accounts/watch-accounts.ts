import { type FSWatcher, watch } from 'node:fs'
import { stat } from 'node:fs/promises'
import { basename, dirname } from 'node:path'
import { type AccountsFile, readAccountsFile } from './accounts-file.js'

export interface WatchAccountsOptions {
  /** Applies a new configuration (checked by then as a file); throws to refuse it. */
  apply(file: AccountsFile): Promise<void>
  /** The new accounts are in use. */
  applied(file: AccountsFile): void
  /** The file changed but could not be used: the accounts in use stay. */
  refused(error: unknown): void
  /** Quiet time after a change before the file is read (editors write in several steps). @defaultValue 100 */
  settleMs?: number | undefined
}

/**
 * Re-reads an accounts file when it changes and applies it; a file that does not parse, or whose
 * accounts cannot be built, is refused and the accounts in use stay (docs/accounts.md "Reload").
 * Watches the folder, so a file replaced by a rename (editors, `accounts add`) is seen too; a
 * change is one whose size, modification time or inode differ. Returns a function that stops it.
 */
export function watchAccountsFile(file: string, options: WatchAccountsOptions): () => void {
  const settleMs = options.settleMs ?? 100
  let stamp: string | undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  let running: Promise<void> = Promise.resolve()
  let closed = false

  const stampOf = async (): Promise<string | undefined> => {
    try {
      const info = await stat(file)
      return `${info.mtimeMs}:${info.size}:${info.ino}`
    } catch {
      return undefined
    }
  }
  const check = async () => {
    const now = await stampOf()
    if (closed || now === undefined || now === stamp) return
    stamp = now
    try {
      const parsed = await readAccountsFile(file)
      await options.apply(parsed)
      options.applied(parsed)
    } catch (error) {
      options.refused(error)
    }
  }
  void stampOf().then((first) => {
    stamp ??= first
  })
  let watcher: FSWatcher | undefined
  try {
    watcher = watch(dirname(file), { persistent: false }, (_event, name) => {
      if (name !== null && name !== basename(file)) return
      clearTimeout(timer)
      timer = setTimeout(() => {
        // One reload at a time, in order.
        running = running.then(check)
      }, settleMs)
    })
    watcher.on('error', (error) => options.refused(error))
  } catch (error) {
    options.refused(error)
  }
  return () => {
    closed = true
    clearTimeout(timer)
    watcher?.close()
  }
}
