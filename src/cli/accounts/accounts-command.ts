import { unlink } from 'node:fs/promises'
import { dirname, join, relative, resolve } from 'node:path'
import { checkAccountOptions } from '../../accounts/account-options.js'
import { FileTokenStore } from '../../auth/file-token-store.js'
import { effectiveAuthMethod, type StoredToken } from '../../auth/types.js'
import { UsageError } from '../args.js'
import { writeConfigFile } from '../config-file.js'
import { relativeTime } from '../describe-login.js'
import type { CliIo } from '../io.js'
import { parseAccountsFile, type RawAccount, readRawAccounts } from './accounts-file.js'
import { findLogin, writeLogin } from './import-login.js'

export interface AccountsCommandOptions {
  action: string | undefined
  name: string | undefined
  /** The accounts file. */
  file: string
  /** Where the login to add comes from; the Kiro IDE's or kiro-cli's current login when absent. */
  from: string | undefined
  maxConcurrency: number | undefined
}

/** Imported logins live in this folder beside the accounts file, one `NAME.json` each. */
const LOGINS = 'accounts'

/** `kiro-client accounts add NAME | list | remove NAME` (docs/accounts.md "Adding a login"). */
export async function accountsCommand(io: CliIo, options: AccountsCommandOptions): Promise<number> {
  switch (options.action) {
    case 'add':
      return add(io, options, required(options.name, 'add'))
    case 'list':
      return list(io, options.file)
    case 'remove':
      return remove(io, options.file, required(options.name, 'remove'))
    default:
      throw new UsageError(
        `expected add NAME, list or remove NAME, got ${JSON.stringify(options.action ?? '')}`,
      )
  }
}

function required(name: string | undefined, action: string): string {
  if (name === undefined) throw new UsageError(`${action}: give the account's name`)
  return name
}

function describe(stored: StoredToken, now: number): string {
  const parts: string[] = [`${effectiveAuthMethod(stored)} login`]
  if (stored.region) parts.push(stored.region)
  if (stored.expiresAt !== undefined) {
    parts.push(
      `token ${stored.expiresAt > now ? 'expires' : 'expired'} ${relativeTime(stored.expiresAt, now)}`,
    )
  }
  if (stored.refreshToken === undefined && stored.apiKey === undefined) parts.push('cannot refresh')
  return parts.join(', ')
}

async function add(io: CliIo, options: AccountsCommandOptions, name: string): Promise<number> {
  const file = resolve(options.file)
  const { root, list } = await readRawAccounts(file)
  if (list.some((entry) => entry.id === name)) {
    throw new UsageError(`add: ${file} already has an account named ${JSON.stringify(name)}`)
  }
  const tokenFile = `${LOGINS}/${name}.json`
  const entry: RawAccount = { id: name, credentials: { tokenFile } }
  if (options.maxConcurrency !== undefined) entry.maxConcurrency = options.maxConcurrency
  // The name and options are checked before anything is copied.
  checkAccountOptions([...list, entry])
  const login = await findLogin(options.from, io.env)
  await writeLogin(join(dirname(file), tokenFile), login.stored)
  await writeConfigFile(file, { ...root, accounts: [...list, entry] })
  io.out(`Added ${name}: ${describe(login.stored, Date.now())}, copied from ${login.from}.\n`)
  io.out(`Accounts file: ${file} (a serve started with --accounts ${file} picks the change up).\n`)
  io.err(
    'Note: the copy and the original share one refresh token. Kiro may rotate it on refresh, and then only one of them keeps working: sign the IDE or kiro-cli in to a different account before both are used.\n',
  )
  return 0
}

async function list(io: CliIo, path: string): Promise<number> {
  const file = resolve(path)
  const { list: entries } = await readRawAccounts(file)
  if (entries.length === 0) {
    io.out(`No accounts in ${file}. Add one with: kiro-client accounts add NAME\n`)
    return 0
  }
  const { accounts } = parseAccountsFile(JSON.stringify({ accounts: entries }), file)
  const now = Date.now()
  for (const account of accounts) {
    const credentials = account.credentials as { tokenFile?: string }
    let login = 'credentials given in the file'
    if (credentials.tokenFile !== undefined) {
      try {
        const stored = await new FileTokenStore({ path: credentials.tokenFile }).load()
        login =
          stored === undefined
            ? `no login in ${credentials.tokenFile}`
            : `${describe(stored, now)} (${credentials.tokenFile})`
      } catch (error) {
        login = (error as Error).message
      }
    }
    const extras = [
      account.maxConcurrency === undefined ? undefined : `max ${account.maxConcurrency} at once`,
      account.disabled ? 'disabled' : undefined,
    ].filter((text) => text !== undefined)
    io.out(`${account.id}: ${login}${extras.length > 0 ? `; ${extras.join(', ')}` : ''}\n`)
  }
  return 0
}

async function remove(io: CliIo, path: string, name: string): Promise<number> {
  const file = resolve(path)
  const { root, list: entries } = await readRawAccounts(file)
  const entry = entries.find((candidate) => candidate.id === name)
  if (entry === undefined)
    throw new UsageError(`remove: ${file} has no account named ${JSON.stringify(name)}`)
  await writeConfigFile(file, { ...root, accounts: entries.filter((candidate) => candidate !== entry) })
  // Only a login this command imported (in the folder beside the file) is deleted.
  const tokenFile = (entry.credentials as { tokenFile?: unknown } | undefined)?.tokenFile
  if (typeof tokenFile === 'string') {
    const target = resolve(dirname(file), tokenFile)
    const inside = relative(join(dirname(file), LOGINS), target)
    if (!inside.startsWith('..') && !inside.includes('/') && !inside.includes('\\')) {
      await unlink(target).catch(() => {})
    }
  }
  io.out(`Removed ${name} from ${file}.\n`)
  return 0
}
