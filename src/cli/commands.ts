import { readFile } from 'node:fs/promises'
import { parseCommandArgs, UsageError } from './args.js'
import { chat } from './chat.js'
import { demo } from './demo.js'
import {
  booleanFlag,
  type FlagContext,
  type FlagTable,
  type FlagValues,
  integerFlag,
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
