import { readFile } from 'node:fs/promises'
import { ConfigurationError } from '../errors/configuration-error.js'
import { CredentialsError } from '../errors/credentials-error.js'
import { KiroError } from '../errors/kiro-error.js'
import { UsageError } from './args.js'
import { COMMANDS, commandHelp, runCommand } from './commands.js'
import type { CliIo } from './io.js'

function usage(): string {
  const width = Math.max(...Object.values(COMMANDS).map((command) => command.synopsis.length)) + 2
  const lines = Object.values(COMMANDS).map(
    (command) => `  ${command.synopsis.padEnd(width)}${command.summary}`,
  )
  return `kiro-client: use Kiro's models through the Anthropic Messages API

Usage:
${lines.join('\n')}

  -h, --help       this help; 'kiro-client COMMAND --help' for a command's flags
  -v, --version    the version
`
}

/**
 * Runs the CLI on `argv` (without `node` and the script) and resolves to the exit code: 0 done,
 * 1 a runtime failure, 2 a usage error (one line naming the flag or variable, and where help is).
 * `untilStopped` is called by `serve` once it listens and ends it when settled (the entry waits for
 * SIGINT or SIGTERM; only then, so Ctrl-C keeps its default meaning for the other commands).
 */
export async function runCli(
  argv: string[],
  io: CliIo,
  untilStopped: () => Promise<unknown>,
): Promise<number> {
  const [name, ...rest] = argv
  const end = rest.indexOf('--')
  const flags = end === -1 ? rest : rest.slice(0, end)
  switch (name) {
    case undefined:
    case '-h':
    case '--help':
      io.out(usage())
      return 0
    case 'help': {
      const command = rest[0] === undefined ? undefined : COMMANDS[rest[0]]
      io.out(command === undefined ? usage() : commandHelp(command))
      return 0
    }
    case '-v':
    case '--version':
      io.out(`${await version()}\n`)
      return 0
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined
  if (command === undefined) {
    io.err(`kiro-client: unknown command ${JSON.stringify(name)}\n\n${usage()}`)
    return 2
  }
  if (flags.includes('--help') || flags.includes('-h')) {
    io.out(commandHelp(command))
    return 0
  }
  try {
    return await runCommand(command, rest, io, untilStopped)
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`kiro-client ${name}: ${error.message}\nRun 'kiro-client ${name} --help' for its flags.\n`)
      return 2
    }
    if (isSettingMistake(error)) {
      // A malformed KIRO_* variable or option value: the message names it and what is expected.
      io.err(`kiro-client ${name}: ${error.message}\n`)
      return 2
    }
    if (KiroError.isInstance(error)) {
      io.err(`kiro-client ${name}: ${error.message}\n`)
      return 1
    }
    throw error
  }
}

/** A value the user set is malformed (not a failure of anything at run time). */
function isSettingMistake(error: unknown): error is KiroError {
  return (
    error instanceof ConfigurationError ||
    (error instanceof CredentialsError && error.code === 'invalid_credentials')
  )
}

async function version(): Promise<string> {
  try {
    // src/cli/main.ts and the bundled dist/cli.js both sit one or two levels below package.json.
    for (const candidate of ['../../package.json', '../package.json']) {
      const text = await readFile(new URL(candidate, import.meta.url), 'utf8').catch(() => undefined)
      if (text === undefined) continue
      const parsed = JSON.parse(text) as { name?: string; version?: string }
      if (parsed.name === 'kiro-client' && parsed.version) return parsed.version
    }
  } catch {
    // Fall through: a version is nice to have, never worth failing over.
  }
  return 'unknown'
}
