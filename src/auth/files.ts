import type * as fsPromises from 'node:fs/promises'
import type * as os from 'node:os'
import type * as path from 'node:path'
import { CredentialsError } from '../errors/credentials-error.js'

/** The file operations the token file store needs; tests swap in a facade to simulate crashes. */
export interface FileSystem {
  readFile(path: string): Promise<string>
  /** Identity of the file's current version; undefined when it does not exist. */
  stat(path: string): Promise<{ mtimeMs: number; size: number; ino: number } | undefined>
  /** Creates `path` exclusively with `mode`, writes `data`, flushes it to disk (fsync) and closes it. */
  writeNew(path: string, data: string, mode: number): Promise<void>
  rename(from: string, to: string): Promise<void>
  unlink(path: string): Promise<void>
  mkdir(path: string): Promise<void>
  /** Flushes a directory entry change (a rename) to disk; a no-op where directories cannot be opened. */
  syncDir(path: string): Promise<void>
}

/** The real file system, through `node:fs/promises`. */
export const nodeFileSystem: FileSystem = {
  async readFile(path) {
    const { fs } = await nodeModules()
    return fs.readFile(path, 'utf8')
  },
  async stat(path) {
    const { fs } = await nodeModules()
    try {
      const stats = await fs.stat(path)
      return { mtimeMs: stats.mtimeMs, size: stats.size, ino: stats.ino }
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ENOENT') return undefined
      throw error
    }
  },
  async writeNew(path, data, mode) {
    const { fs } = await nodeModules()
    const handle = await fs.open(path, 'wx', mode)
    try {
      await handle.writeFile(data, 'utf8')
      // The umask may have narrowed the mode at creation; secrets files are exactly owner read/write.
      await handle.chmod(mode)
      await handle.sync()
    } finally {
      await handle.close()
    }
  },
  async rename(from, to) {
    const { fs } = await nodeModules()
    await fs.rename(from, to)
  },
  async unlink(path) {
    const { fs } = await nodeModules()
    await fs.unlink(path)
  },
  async mkdir(path) {
    const { fs } = await nodeModules()
    await fs.mkdir(path, { recursive: true, mode: 0o700 })
  },
  async syncDir(path) {
    const { fs } = await nodeModules()
    try {
      const handle = await fs.open(path, 'r')
      try {
        await handle.sync()
      } finally {
        await handle.close()
      }
    } catch {
      // Windows cannot open directories; the rename is still atomic there.
    }
  },
}

/** A file-system failure's code (`EACCES`), or its class name: never its message, which quotes paths and data. */
export function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code === 'string') return code
  return error instanceof Error ? error.name : 'unknown error'
}

/** `fs.stat`, with any failure but "no such file" as a `CredentialsError` naming the path. */
export async function statLogin(
  fs: FileSystem,
  path: string,
): Promise<{ mtimeMs: number; size: number; ino: number } | undefined> {
  try {
    return await fs.stat(path)
  } catch (error) {
    throw new CredentialsError('invalid_file', `${path}: cannot be read (${errorCode(error)}).`)
  }
}

/**
 * Replaces `target` with `data` so that a reader (or a crash) sees either the old file whole or
 * the new one whole: write a temp file in the same directory (same file system, so rename is
 * atomic), fsync it, rename it over the target, then fsync the directory. A failure removes the
 * temp file; a crash may leave one behind, named so that it never passes for the target.
 */
export async function writeFileAtomic(
  fs: FileSystem,
  target: string,
  data: string,
  mode = 0o600,
): Promise<void> {
  const { path } = await nodeModules()
  const dir = path.dirname(target)
  const suffix = Array.from(globalThis.crypto.getRandomValues(new Uint8Array(6)), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('')
  const temp = path.join(dir, `.${path.basename(target)}.${suffix}.tmp`)
  try {
    await fs.writeNew(temp, data, mode)
    await fs.rename(temp, target)
  } catch (error) {
    await fs.unlink(temp).catch(() => {})
    throw error
  }
  await fs.syncDir(dir)
}

export interface NodeModules {
  fs: typeof fsPromises
  os: typeof os
  path: typeof path
}

let loaded: Promise<NodeModules> | undefined

/**
 * Node's file-system modules, imported on first use: the token file and SQLite sources need them,
 * but a client built from static credentials or an API key must load on runtimes without `node:fs`.
 */
export function nodeModules(): Promise<NodeModules> {
  loaded ??= Promise.all([import('node:fs/promises'), import('node:os'), import('node:path')]).then(
    ([fs, os, path]) => ({ fs, os, path }),
  )
  return loaded
}

/** Expands a leading `~` to the home directory, as shells do. */
export function expandHome(file: string, { os, path }: NodeModules): string {
  if (file === '~') return os.homedir()
  if (file.startsWith('~/') || file.startsWith('~\\')) return path.join(os.homedir(), file.slice(2))
  return file
}
