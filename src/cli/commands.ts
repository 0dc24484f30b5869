import { readFile } from 'node:fs/promises'
import { accountsCommand } from './accounts/accounts-command.js'
import { keysCommand } from './accounts/keys-command.js'
import { defaultPaths } from './accounts/paths.js'
import { integer, parseCommandArgs, UsageError } from './args.js'
import { chat } from './chat.js'
import { demo } from './demo.js'
import {
  booleanFlag,
  type FlagContext,
  type FlagTable,
  type FlagValues,
  integerFlag,
  listFlag,
  resolveFlags,
  stringFlag,
  tableHelp,
  tableOptions,
} from './flag-kinds.js'
import type { CliIo } from './io.js'
import { SERVE_FLAGS } from './serve/flags.js'
import { serve } from './serve.js'
import { whoami } from './whoami.js'

export const DEFAULT_MODEL = 'claude-sonnet-4-5'

/** One `kiro-client` command: its help and how it runs. */
export interface Command {
  /** `kiro-client chat "prompt" [options]`. */
  synopsis: string
  /** One line for the overall usage. */
  summary: string
  flags: FlagTable
  positionals: boolean
  run(input: CommandInput): Promise<number>
}

export interface CommandInput {
  io: CliIo
  values: Record<string, unknown>
  positionals: string[]
  untilStopped: () => Promise<unknown>
}

const CHAT_FLAGS = {
  model: stringFlag('model', {
    group: 'Options',
    arg: 'M',
    help: `model name (default ${DEFAULT_MODEL})`,
    default: DEFAULT_MODEL,
  }),
  maxTokens: integerFlag('max-tokens', {
    group: 'Options',
    arg: 'N',
    help: 'the longest answer, in tokens',
    default: 4096,
    min: 1,
    max: 1_000_000,
  }),
  system: stringFlag('system', { group: 'Options', arg: 'TEXT', help: 'a system prompt' }),
  simulate: booleanFlag('simulate', {
    group: 'Options',
    help: 'answer from the local simulator instead of Kiro',
  }),
}

const DEMO_FLAGS = {
  model: stringFlag('model', {
    group: 'Options',
    arg: 'M',
    help: `model name (default ${DEFAULT_MODEL})`,
    default: DEFAULT_MODEL,
  }),
}

const ACCOUNTS_FLAGS = {
  file: stringFlag('file', {
    group: 'Options',
    arg: 'FILE',
    help: 'the accounts file (default: ~/.config/kiro-client/accounts.json, or under KIRO_CLIENT_HOME)',
  }),
  from: stringFlag('from', {
    group: 'Options',
    arg: 'PATH',
    help: 'add: the token file or kiro-cli database to import (default: the Kiro IDE login, else kiro-cli)',
  }),
  maxConcurrency: stringFlag('max-concurrency', {
    group: 'Options',
    arg: 'N',
    help: 'add: the most requests the account serves at once',
  }),
}

const KEYS_FLAGS = {
  file: stringFlag('file', {
    group: 'Options',
    arg: 'FILE',
    help: 'the client keys file (default: ~/.config/kiro-client/client-keys.json, or under KIRO_CLIENT_HOME)',
  }),
  account: listFlag('account', { group: 'Options', arg: 'ID', help: 'add: pin the key to this account' }),
}

export const COMMANDS: Record<string, Command> = {
  demo: {
    synopsis: 'kiro-client demo [options]',
    summary: 'a streamed tool-use chat against a local simulator (no account)',
    flags: DEMO_FLAGS,
    positionals: false,
    run: ({ io, values }) => demo(io, (values as FlagValues<typeof DEMO_FLAGS>).model),
  },
  chat: {
    synopsis: 'kiro-client chat "prompt" [options]',
    summary: 'stream one answer to the terminal (the prompt may come on standard input)',
    flags: CHAT_FLAGS,
    positionals: true,
    run: async ({ io, values, positionals }) => {
      const flags = values as FlagValues<typeof CHAT_FLAGS>
      const prompt = positionals.length > 0 ? positionals.join(' ') : ((await io.readStdin()) ?? '').trim()
      if (prompt === '') throw new UsageError('give a prompt, as an argument or on standard input')
      return chat(io, { prompt, ...flags })
    },
  },
  serve: {
    synopsis: 'kiro-client serve [options]',
    summary: 'an Anthropic-compatible proxy (Claude Code, the SDKs)',
    flags: SERVE_FLAGS,
    positionals: false,
    run: ({ io, values, untilStopped }) =>
      serve(io, { ...(values as FlagValues<typeof SERVE_FLAGS>), untilStopped }),
  },
  accounts: {
    synopsis: 'kiro-client accounts add NAME | list | remove NAME',
    summary: 'the Kiro logins of a pool (serve --accounts): import the current login, list, remove',
    flags: ACCOUNTS_FLAGS,
    positionals: true,
    run: ({ io, values, positionals }) => {
      const flags = values as FlagValues<typeof ACCOUNTS_FLAGS>
      const [action, name, extra] = positionals
      if (extra !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(extra)}`)
      return accountsCommand(io, {
        action,
        name,
        file: flags.file ?? defaultPaths(io.env).accountsFile,
        from: flags.from,
        maxConcurrency:
          flags.maxConcurrency === undefined
            ? undefined
            : integer('--max-concurrency', flags.maxConcurrency, 1, 10_000),
      })
    },
  },
  keys: {
    synopsis: 'kiro-client keys add NAME | list | remove NAME',
    summary: 'named client keys for serve --client-keys (stored hashed; a new key is shown once)',
    flags: KEYS_FLAGS,
    positionals: true,
    run: ({ io, values, positionals }) => {
      const flags = values as FlagValues<typeof KEYS_FLAGS>
      const [action, name, extra] = positionals
      if (extra !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(extra)}`)
      return keysCommand(io, {
        action,
        name,
        file: flags.file ?? defaultPaths(io.env).keysFile,
        accounts: flags.account,
      })
    },
  },
  whoami: {
    synopsis: 'kiro-client whoami',
    summary: 'which Kiro login is used, its region, profile and expiry',
    flags: {},
    positionals: false,
    run: ({ io }) => whoami(io),
  },
}

/** The help of one command: its synopsis, summary and flags. */
export function commandHelp(command: Command): string {
  const flags = Object.keys(command.flags).length === 0 ? '' : `\n${tableHelp(command.flags)}\n`
  return `Usage: ${command.synopsis}\n  ${command.summary}\n${flags}\nRun 'kiro-client --help' for the other commands.\n`
}

/** Parses a command's arguments against its flag table and runs it. */
export async function runCommand(
  command: Command,
  args: string[],
  io: CliIo,
  untilStopped: () => Promise<unknown>,
): Promise<number> {
  const parsed = parseCommandArgs(args, tableOptions(command.flags), command.positionals)
  const context: FlagContext = {
    env: io.env,
    readFile: (path) => readFile(path, 'utf8'),
    warn: (text) => io.err(`${text}\n`),
  }
  const values = await resolveFlags(command.flags, parsed.values, context)
  return command.run({ io, values, positionals: parsed.positionals, untilStopped })
}
