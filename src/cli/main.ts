import { readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { chat } from './chat.js'
import { demo } from './demo.js'
import type { CliIo } from './io.js'
import { serve } from './serve.js'
import { whoami } from './whoami.js'

const DEFAULT_MODEL = 'claude-sonnet-4-5'

const USAGE = `kiro-client: use Kiro's models through the Anthropic Messages API

Usage:
  kiro-client demo                      a streamed tool-use chat against a local simulator (no account)
  kiro-client chat "prompt" [options]   stream one answer to the terminal
      --model M          model name (default ${DEFAULT_MODEL})
      --max-tokens N     (default 4096)
      --system TEXT      a system prompt
      --simulate         answer from the local simulator instead of Kiro
  kiro-client serve [options]           an Anthropic-compatible proxy (Claude Code, the SDKs)
      --port N           (default 8787; 0 picks a free port)
      --host H           (default 127.0.0.1)
      --api-key KEY      a key clients must send (or set KIRO_SERVE_API_KEY)
      --simulate         serve the local simulator instead of Kiro
  kiro-client whoami                    which Kiro login is used, its region, profile and expiry

  -h, --help       this help
  -v, --version    the version
`

/** A command-line mistake: printed with the usage, exit code 2. */
class UsageError extends Error {}

/**
 * Runs the CLI on `argv` (without `node` and the script) and resolves to the exit code.
 * `untilStopped` is called by `serve` once it listens and ends it when settled (the entry waits for
 * SIGINT or SIGTERM; only then, so Ctrl-C keeps its default meaning for the other commands).
 */
export async function runCli(
  argv: string[],
  io: CliIo,
  untilStopped: () => Promise<unknown>,
): Promise<number> {
  const [command, ...rest] = argv
  const end = rest.indexOf('--')
  const flags = end === -1 ? rest : rest.slice(0, end)
  if (flags.includes('--help') || flags.includes('-h')) {
    io.out(USAGE)
    return 0
  }
  try {
    switch (command) {
      case 'serve':
        return await serve(io, { ...serveOptions(rest, io), untilStopped })
      case 'chat':
        return await chat(io, await chatOptions(rest, io))
      case 'demo': {
        const { values } = parse(rest, { model: { type: 'string' } }, false)
        return await demo(io, values.model ?? DEFAULT_MODEL)
      }
      case 'whoami':
        parse(rest, {}, false)
        return await whoami(io)
      case '-v':
      case '--version':
        io.out(`${await version()}\n`)
        return 0
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        io.out(USAGE)
        return 0
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}`)
    }
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    io.err(`kiro-client: ${error.message}\n\n${USAGE}`)
    return 2
  }
}

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>

function parse<O extends OptionSpec>(args: string[], options: O, positionals: boolean) {
  try {
    return parseArgs({
      args,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: positionals,
      strict: true,
    })
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
}

function serveOptions(args: string[], io: CliIo) {
  const { values } = parse(
    args,
    {
      port: { type: 'string' },
      host: { type: 'string' },
      'api-key': { type: 'string' },
      simulate: { type: 'boolean' },
    },
    false,
  )
  const { KIRO_SERVE_API_KEY: keyFromEnv } = io.env
  const apiKey = values['api-key'] ?? keyFromEnv
  return {
    port: integer('--port', values.port ?? '8787', 0, 65_535),
    host: values.host ?? '127.0.0.1',
    apiKey: apiKey === '' ? undefined : apiKey,
    simulate: values.simulate ?? false,
  }
}

async function chatOptions(args: string[], io: CliIo) {
  const { values, positionals } = parse(
    args,
    {
      model: { type: 'string' },
      'max-tokens': { type: 'string' },
      system: { type: 'string' },
      simulate: { type: 'boolean' },
    },
    true,
  )
  const prompt = positionals.length > 0 ? positionals.join(' ') : ((await io.readStdin()) ?? '').trim()
  if (prompt === '') throw new UsageError('chat: give a prompt, as an argument or on standard input')
  return {
    prompt,
    model: values.model ?? DEFAULT_MODEL,
    maxTokens: integer('--max-tokens', values['max-tokens'] ?? '4096', 1, 1_000_000),
    system: values.system,
    simulate: values.simulate ?? false,
  }
}

function integer(flag: string, raw: string, min: number, max: number): number {
  const value = Number(raw)
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new UsageError(`${flag}: expected a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`)
  }
  return value
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
