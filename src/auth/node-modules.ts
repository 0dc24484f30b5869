import type * as fsPromises from 'node:fs/promises'
import type * as os from 'node:os'
import type * as path from 'node:path'

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
