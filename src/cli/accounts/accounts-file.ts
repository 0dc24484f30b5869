import { dirname, isAbsolute, resolve } from 'node:path'
import {
  ACCOUNT_SELECTIONS,
  type AccountOptions,
  type AccountSelection,
  checkAccountOptions,
} from '../../accounts/account-options.js'
import { ConfigurationError } from '../../errors/configuration-error.js'
import { parseConfigJson, readConfigText, readEditableConfig } from '../config-file.js'

/** What an accounts file holds (docs/accounts.md "The accounts file"). */
export interface AccountsFile {
  accounts: AccountOptions[]
  selection?: AccountSelection | undefined
  maxQueuedRequests?: number | undefined
}

/** The same error, its field prefixed with the file it is in. */
function inFile(error: unknown, file: string): unknown {
  if (!(error instanceof ConfigurationError)) return error
  const reason = error.message.startsWith(`${error.field}: `)
    ? error.message.slice(error.field.length + 2)
    : error.message
  return new ConfigurationError(`${file}: ${error.field}`, reason)
}

/**
 * Parses an accounts file: `{ "accounts": [...], "selection"?, "maxQueuedRequests"? }` or the bare
 * array. Token files and kiro-cli databases given by a relative path are found next to the file.
 * Throws a `ConfigurationError` naming the file and the field; never quotes a value.
 */
export function parseAccountsFile(text: string, file: string): AccountsFile {
  const parsed = parseConfigJson(text, file)
  const root = Array.isArray(parsed) ? { accounts: parsed } : parsed
  if (typeof root !== 'object' || root === null) {
    throw new ConfigurationError(file, 'expected { "accounts": [...] } or an array of accounts.')
  }
  const { accounts, selection, maxQueuedRequests, ...rest } = root as Record<string, unknown>
  const unknown = Object.keys(rest)[0]
  if (unknown !== undefined) throw new ConfigurationError(`${file}: ${unknown}`, 'unknown field.')
  const out: AccountsFile = { accounts: [] }
  try {
    out.accounts = checkAccountOptions(accounts).map((account) => withPathsFrom(account, dirname(file)))
  } catch (error) {
    throw inFile(error, file)
  }
  if (selection !== undefined) {
    if (!ACCOUNT_SELECTIONS.includes(selection as AccountSelection)) {
      throw new ConfigurationError(`${file}: selection`, `expected one of ${ACCOUNT_SELECTIONS.join(', ')}.`)
    }
    out.selection = selection as AccountSelection
  }
  if (maxQueuedRequests !== undefined) {
    if (!(Number.isInteger(maxQueuedRequests) && (maxQueuedRequests as number) >= 0)) {
      throw new ConfigurationError(`${file}: maxQueuedRequests`, 'expected a whole number >= 0.')
    }
    out.maxQueuedRequests = maxQueuedRequests as number
  }
  return out
}

function withPathsFrom(account: AccountOptions, dir: string): AccountOptions {
  const credentials = account.credentials as Record<string, unknown>
  for (const key of ['tokenFile', 'kiroCliDb'] as const) {
    const value = credentials[key]
    if (typeof value === 'string' && value !== '' && !value.startsWith('~') && !isAbsolute(value)) {
      return {
        ...account,
        credentials: { ...credentials, [key]: resolve(dir, value) } as AccountOptions['credentials'],
      }
    }
  }
  return account
}

/** Reads and parses an accounts file; a missing or unreadable file is a `ConfigurationError` too. */
export async function readAccountsFile(file: string): Promise<AccountsFile> {
  return parseAccountsFile(await readConfigText(file), file)
}

/** One entry of an accounts file as written, for the `accounts` command to edit. */
export interface RawAccount {
  [field: string]: unknown
  id?: unknown
  credentials?: unknown
  maxConcurrency?: unknown
}

/** The raw entries of an accounts file, for the `accounts` command to edit; an absent file has none. */
export async function readRawAccounts(
  file: string,
): Promise<{ root: Record<string, unknown>; list: RawAccount[] }> {
  const text = await readEditableConfig(file)
  if (text === undefined) return { root: { accounts: [] }, list: [] }
  parseAccountsFile(text, file)
  const parsed = JSON.parse(text) as unknown
  const root = (Array.isArray(parsed) ? { accounts: parsed } : parsed) as {
    accounts: Record<string, unknown>[]
  }
  return { root, list: root.accounts }
}
