import { resolve } from 'node:path'
import { hashClientKey, parseClientKeys } from '../../server/client-keys.js'
import { UsageError } from '../args.js'
import { parseConfigJson, readEditableConfig, writeConfigFile } from '../config-file.js'
import type { CliIo } from '../io.js'

export interface KeysCommandOptions {
  action: string | undefined
  name: string | undefined
  file: string
  /** Accounts the new key is pinned to. */
  accounts: string[]
}

/** A new client key: 32 random bytes, base64url, with a prefix that says what it is. */
function newKey(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(32))
  return `kck_${Buffer.from(bytes).toString('base64url')}`
}

async function readKeys(file: string): Promise<Record<string, unknown>> {
  const text = await readEditableConfig(file)
  if (text === undefined) return {}
  const parsed = parseConfigJson(text, file) as Record<string, unknown>
  parseClientKeys(parsed, file)
  return parsed
}

/**
 * `kiro-client keys add NAME [--account ID]... | list | remove NAME`: the client keys of
 * `serve --client-keys` (docs/accounts.md "Client keys"). A new key is printed once; the file keeps
 * only its SHA-256.
 */
export async function keysCommand(io: CliIo, options: KeysCommandOptions): Promise<number> {
  const file = resolve(options.file)
  const keys = await readKeys(file)
  switch (options.action) {
    case 'add': {
      const name = options.name
      if (name === undefined) throw new UsageError('add: give the member name')
      if (Object.hasOwn(keys, name))
        throw new UsageError(`add: ${file} already has a key for ${JSON.stringify(name)}`)
      const key = newKey()
      const entry = {
        sha256: await hashClientKey(key),
        ...(options.accounts.length > 0 ? { accounts: options.accounts } : {}),
      }
      const next = { ...keys, [name]: entry }
      parseClientKeys(next, file)
      await writeConfigFile(file, next)
      io.out(`${key}\n`)
      io.err(`The key of ${name}, shown once: ${file} keeps only its SHA-256.\n`)
      return 0
    }
    case 'list': {
      for (const [name, entry] of parseClientKeys(keys, file)) {
        io.out(`${name}${entry.accounts ? `: pinned to ${entry.accounts.join(', ')}` : ''}\n`)
      }
      return 0
    }
    case 'remove': {
      const name = options.name
      if (name === undefined || !Object.hasOwn(keys, name)) {
        throw new UsageError(`remove: ${file} has no key for ${JSON.stringify(name ?? '')}`)
      }
      const { [name]: _removed, ...rest } = keys
      await writeConfigFile(file, rest)
      io.out(`Removed the key of ${name}.\n`)
      return 0
    }
    default:
      throw new UsageError(
        `expected add NAME, list or remove NAME, got ${JSON.stringify(options.action ?? '')}`,
      )
  }
}
