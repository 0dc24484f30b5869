import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { KiroClient } from '../../src/client/kiro-client.js'
import { ConfigurationError } from '../../src/errors/configuration-error.js'
import type { Logger } from '../../src/observability/logger.js'
import { ACCESS_TOKEN, params, REFRESH_TOKEN, rejectionOf, setup } from '../client/helpers.js'

type Line = { level: keyof Logger; message: string; details: unknown[] }

function recordingLogger(): { logger: Logger; lines: Line[] } {
  const lines: Line[] = []
  const at =
    (level: keyof Logger) =>
    (message: string, ...details: unknown[]) =>
      lines.push({ level, message, details })
  return { logger: { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') }, lines }
}

const LEVEL_VARIABLE = 'KIRO_LOG'
const savedLevel = process.env[LEVEL_VARIABLE]
function setLevelVariable(value: string | undefined): void {
  if (value === undefined) delete process.env[LEVEL_VARIABLE]
  else process.env[LEVEL_VARIABLE] = value
}
afterEach(() => setLevelVariable(savedLevel))

describe('logLevel, logger and KIRO_LOG', () => {
  it('debug shows each attempt, its status and timing, the retry decision and the refresh; never a secret', async () => {
    const { logger, lines } = recordingLogger()
    const { sim, client } = await setup(
      (simulator) => ({
        credentials: {
          accessToken: ACCESS_TOKEN,
          refreshToken: REFRESH_TOKEN,
          authMethod: 'social',
          expiresAt: Date.now() - 1_000,
        },
        refreshEndpoints: { social: simulator.refreshUrls.social },
        logLevel: 'debug',
        logger,
      }),
      { tokens: { accessToken: ACCESS_TOKEN, refreshToken: REFRESH_TOKEN } },
    )
    sim.enqueue([{ error: { status: 503, headers: { 'retry-after-ms': '5' } } }], [{ text: 'ok' }])
    await client.messages.create(params)

    const text = lines.map((line) => `${line.level} ${line.message}`)
    const url = `${sim.url}/generateAssistantResponse`
    expect(text).toEqual([
      expect.stringMatching(/^debug kiro-client \[[0-9a-f]{8}\] claude-sonnet-4-5: started$/),
      expect.stringMatching(/^info kiro-client token refreshed \(static, social\) in \d+ ms$/),
      expect.stringMatching(/^debug .* attempt 1: POST (\S+)$/),
      expect.stringMatching(/^debug .* attempt 1: HTTP 503 in \d+ ms$/),
      expect.stringMatching(/^warn .* attempt 1 failed \(overloaded, HTTP 503\), retrying in 5 ms: \S/),
      expect.stringMatching(/^debug .* attempt 2: POST (\S+)$/),
      expect.stringMatching(/^debug .* attempt 2: HTTP 200 in \d+ ms$/),
      expect.stringMatching(/^debug .* first event after \d+ ms$/),
      expect.stringMatching(
        /^info .* claude-sonnet-4-5: end_turn in \d+ ms, 2 attempts, \d+ in \/ \d+ out tokens$/,
      ),
    ])
    expect(text.filter((line) => line.endsWith(`POST ${url}`))).toHaveLength(2)
    const everything = JSON.stringify(lines)
    for (const secret of [ACCESS_TOKEN, REFRESH_TOKEN, sim.tokens?.accessToken, sim.tokens?.refreshToken]) {
      expect(everything).not.toContain(secret)
    }
  })

  it('error level: only the failure, with its class and status', async () => {
    const { logger, lines } = recordingLogger()
    const { sim, client } = await setup({ logLevel: 'error', logger, maxRetries: 0 })
    sim.enqueue([{ text: 'fine' }], [{ error: { status: 429, body: { message: 'Slow down' } } }])
    await client.messages.create(params)
    await rejectionOf(client.messages.create(params))
    expect(lines).toHaveLength(1)
    expect(lines[0]?.level).toBe('error')
    expect(lines[0]?.message).toMatch(
      /claude-sonnet-4-5: RateLimitError \(HTTP 429\) after \d+ ms, 1 attempt: /,
    )
    expect(lines[0]?.details[0]).toMatchObject({ error: 'RateLimitError', status: 429, attempts: 1 })
  })

  it('is off by default, even with a logger given', async () => {
    setLevelVariable(undefined)
    const { logger, lines } = recordingLogger()
    const { sim, client } = await setup({ logger, maxRetries: 0 })
    sim.enqueue([{ error: { status: 500 } }])
    await rejectionOf(client.messages.create(params))
    expect(lines).toHaveLength(0)
  })

  it('KIRO_LOG sets the level; the option wins over it', async () => {
    setLevelVariable(' INFO ')
    const { logger, lines } = recordingLogger()
    const { sim, client } = await setup({ logger })
    sim.enqueue([{ text: 'one' }], [{ text: 'two' }])
    await client.messages.create(params)
    expect(lines.map((line) => line.level)).toEqual(['info'])

    const quiet = recordingLogger()
    const second = await setup({ logger: quiet.logger, logLevel: 'off' })
    second.sim.enqueue([{ text: 'three' }])
    await second.client.messages.create(params)
    expect(quiet.lines).toHaveLength(0)
  })

  it('rejects a bad level or logger, naming the option or the variable', () => {
    const bad = (options: ConstructorParameters<typeof KiroClient>[0]) => {
      try {
        new KiroClient({ credentials: { accessToken: 'x' }, ...options })
      } catch (error) {
        return error as ConfigurationError
      }
      throw new Error('expected a ConfigurationError')
    }
    expect(bad({ logLevel: 'verbose' as never })).toMatchObject({
      name: 'ConfigurationError',
      field: 'logLevel',
    })
    expect(bad({ logger: { error() {} } as never })).toMatchObject({ field: 'logger' })
    expect(bad({ instrumentation: 'yes' as never })).toMatchObject({ field: 'instrumentation' })
    expect(bad({ tracerProvider: {} as never })).toMatchObject({ field: 'tracerProvider' })
    setLevelVariable('loud')
    const error = bad({})
    expect(error).toBeInstanceOf(ConfigurationError)
    expect(error.message).toMatch(
      /^KIRO_LOG: must be one of 'off', 'error', 'warn', 'info', 'debug', got "loud"/,
    )
  })

  it('a logger that throws never breaks the request', async () => {
    const explode = () => {
      throw new Error('logger down')
    }
    const { sim, client } = await setup({
      logLevel: 'debug',
      logger: { error: explode, warn: explode, info: explode, debug: explode },
    })
    sim.enqueue([{ text: 'still fine' }])
    const message = await client.messages.create(params)
    expect(message.content[0]).toMatchObject({ text: 'still fine' })
  })

  it('the default logger writes to standard error only (a child process)', async () => {
    const { code, stdout, stderr } = await runChild({ ...process.env, KIRO_LOG: 'debug' })
    expect(code).toBe(0)
    expect(stdout).toBe('')
    expect(stderr).toMatch(/attempt 1: POST https:\/\/\S+\/generateAssistantResponse/)
    expect(stderr).toMatch(/attempt 1 failed \(\w+, HTTP 503\), retrying/)
    expect(stderr).toMatch(/end_turn in \d+ ms, 2 attempts/)
    expect(stderr).not.toContain('at-secret-for-the-child-process')
  })

  it('writes nothing to the console unless logging is turned on (a child process)', async () => {
    const { KIRO_LOG: _, ...env } = process.env
    expect(await runChild(env)).toEqual({ code: 0, stdout: '', stderr: '' })
  })
})

/** Runs the fixture (one retried request through a default client) and collects what it printed. */
async function runChild(env: NodeJS.ProcessEnv): Promise<{ code: unknown; stdout: string; stderr: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./fixtures/log-to-stderr.ts', import.meta.url))],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
  })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  const [code] = await once(child, 'close')
  return { code, stdout, stderr }
}
