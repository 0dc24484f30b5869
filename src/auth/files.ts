import type * as fsPromises from 'node:fs/promises'
import type * as os from 'node:os'
import type * as path from 'node:path'
import { CredentialsError } from '../errors/credentials-error.js'

/** The file operations the token file store needs; tests swap in a facade to simulate crashes. */
export interface FileSystem {
  readFile(path: string): Promise<string>
  /** Identity of the file's current version; undefined when it does not exist. */
  stat(path: string): Promise<{ mtimeMs: number; size: number; ino: number } | undefined>
  /**
   * Creates `path` exclusively with `mode` (exactly: set before any byte of `data` is written),
   * writes `data`, flushes it to disk (fsync) and closes it. On a failure after creating the file
   * it removes it; a file that already existed (`EEXIST`) is never touched.
   */
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
    // O_CREAT | O_EXCL: never an existing file, never through a symlink; created with `mode`
    // (minus the umask), so no other user can open it at any point.
    const handle = await fs.open(path, 'wx', mode)
    try {
      // Exactly `mode` (the umask may have narrowed it) before any byte of the secret is written.
      await handle.chmod(mode)
      await handle.writeFile(data, 'utf8')
      await handle.sync()
    } catch (error) {
      await handle.close().catch(() => {})
      await fs.unlink(path).catch(() => {})
      throw error
    }
    await handle.close()
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
 * atomic), fsync it, rename it over the target, then fsync the directory. The temp file is
 * owner-only (`mode`, 0600) from its creation, before the secret is in it; any failure removes it;
 * a crash may leave one behind, owner-only and named so that it never passes for the target.
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
  // writeNew removes what it created when it fails, and leaves alone a file it did not create.
  await fs.writeNew(temp, data, mode)
  try {
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
