import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { envWithHome, runCli, spawnTimeout } from './spawn-cli.js'

let home: string
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'kiro-cli-home-'))
})
afterAll(async () => {
  await rm(home, { recursive: true, force: true })
})

describe('kiro-client demo', () => {
  it('streams a tool-use conversation against the simulator, with no account, and exits 0', {
    timeout: spawnTimeout(),
  }, async () => {
    const result = await runCli(['demo'], envWithHome(home))
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('thinking: The user wants the weather now')
    expect(result.stdout).toContain('→ get_weather {"city":"Paris"}')
    expect(result.stdout).toContain('21 °C')
    expect(result.stdout).toMatch(/\[tool_use · \d+ in \/ \d+ out tokens/)
    expect(result.stdout).toMatch(/\[end_turn · \d+ in \/ \d+ out tokens/)
  })
})

describe('kiro-client chat', () => {
  it('streams one answer and a summary line', { timeout: spawnTimeout() }, async () => {
    const result = await runCli(['chat', '--simulate', 'What is 2 + 2?'])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('You said: "What is 2 + 2?"')
    expect(result.stdout).toMatch(/\[end_turn · \d+ in \/ \d+ out tokens · [\d.]+ credits · [\d.]+ s\]\n$/)
  })

  it('reads the prompt from standard input when none is given', { timeout: spawnTimeout() }, async () => {
    const result = await runCli(['chat', '--simulate'], process.env, 'Piped question\n')
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('You said: "Piped question"')
  })

  it('exits 2 with one line naming the mistake: missing prompt, unknown flag, bad or missing value', {
    timeout: spawnTimeout(5),
  }, async () => {
    const cases: Array<[string[], string]> = [
      [['chat', '--simulate'], 'kiro-client chat: give a prompt, as an argument or on standard input'],
      [['chat', '--nope', 'x'], 'kiro-client chat: unknown flag --nope'],
      [['chat', '--max-tokens', 'lots', 'x'], 'kiro-client chat: --max-tokens: expected a whole number'],
      [['chat', 'x', '--max-tokens'], 'kiro-client chat: --max-tokens expects a value'],
      [['whoami', 'extra'], 'kiro-client whoami: unexpected argument "extra"'],
    ]
    for (const [args, line] of cases) {
      const result = await runCli(args, process.env, '')
      expect(result.code).toBe(2)
      expect(result.stderr.startsWith(line)).toBe(true)
      expect(result.stderr).toContain(`Run 'kiro-client ${args[0]} --help'`)
      expect(result.stderr).not.toMatch(/\n\s+at /)
    }
  })

  it('without a login, explains how to sign in and exits 1', { timeout: spawnTimeout() }, async () => {
    const result = await runCli(['chat', 'hello'], envWithHome(home))
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('No Kiro login found')
    expect(result.stderr).toContain('--simulate')
  })
})

describe('kiro-client whoami', () => {
  it('describes the login found, and never prints a token', { timeout: spawnTimeout() }, async () => {
    const accessToken = 'aoaAAAAAGSecretAccessToken-whoami-0001'
    const refreshToken = 'aorAAAAAGSecretRefreshToken-whoami-0002'.padEnd(120, 'x')
    const expiresAt = new Date(Date.now() + 2 * 3_600_000).toISOString()
    const dir = join(home, 'login', '.aws', 'sso', 'cache')
    await mkdir(dir, { recursive: true })
    const file = join(dir, 'kiro-auth-token.json')
    await writeFile(
      file,
      JSON.stringify({
        accessToken,
        refreshToken,
        expiresAt,
        authMethod: 'social',
        provider: 'Github',
        region: 'us-east-1',
        profileArn: 'arn:aws:codewhisperer:us-east-1:699475941385:profile/EHGA3GRVQMUK',
      }),
    )
    const result = await runCli(['whoami'], envWithHome(join(home, 'login')))
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(`token-file (${file})`)
    expect(result.stdout).toMatch(/auth method: +social/)
    expect(result.stdout).toMatch(/region: +us-east-1/)
    expect(result.stdout).toContain('arn:aws:codewhisperer:us-east-1:699475941385:profile/EHGA3GRVQMUK')
    expect(result.stdout).toContain(`expires ${expiresAt}`)
    for (const secret of [accessToken, refreshToken, 'SecretAccess', 'SecretRefresh']) {
      expect(result.stdout + result.stderr).not.toContain(secret)
    }
  })

  it('describes a KIRO_API_KEY login without printing the key', { timeout: spawnTimeout() }, async () => {
    const apiKey = 'ksk_SecretApiKeyValue-whoami-0003'
    const result = await runCli(['whoami'], envWithHome(home, { KIRO_API_KEY: apiKey }))
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/auth method: +api_key/)
    expect(result.stdout).toContain('an API key (does not expire)')
    expect(result.stdout + result.stderr).not.toContain('SecretApiKey')
  })

  it('without a login, says where it looked and exits 1', { timeout: spawnTimeout() }, async () => {
    const result = await runCli(['whoami'], envWithHome(home))
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('No Kiro login found')
    expect(result.stderr).toContain('kiro-client demo')
  })
})

describe('kiro-client help and version', () => {
  it('prints the usage for no command or --help, and exits 2 for an unknown command', {
    timeout: spawnTimeout(4),
  }, async () => {
    expect((await runCli([])).stdout).toContain('kiro-client serve [options]')
    const serveHelp = await runCli(['serve', '--help'])
    expect(serveHelp.code).toBe(0)
    expect(serveHelp.stdout).toContain('Usage: kiro-client serve [options]')
    expect(serveHelp.stdout).toContain('--api-key-file PATH')
    expect(serveHelp.stdout).not.toContain('--max-tokens')
    const chatHelp = await runCli(['help', 'chat'])
    expect(chatHelp.stdout).toContain('--max-tokens N')
    const unknown = await runCli(['frobnicate'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('unknown command "frobnicate"')
  })

  it('prints the package version', { timeout: spawnTimeout() }, async () => {
    const result = await runCli(['--version'])
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/)
  })
})
