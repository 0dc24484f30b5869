import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loginHelp } from '../../src/cli/login-help.js'
import { CredentialsError } from '../../src/errors/credentials-error.js'
import { envWithHome, runCli, spawnCli, spawnTimeout } from './spawn-cli.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const STACK_LINE = /\n\s+at /

let home: string
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'kiro-cli-errors-'))
})
afterAll(async () => {
  await rm(home, { recursive: true, force: true })
})

describe('user mistakes get one line and exit 2, never a stack trace', () => {
  it('a malformed KIRO_* variable names the variable and what it expects', {
    timeout: spawnTimeout(3),
  }, async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [
        { KIRO_ACCESS_TOKEN: 'abcdefgh', KIRO_EXPIRES_AT: 'soon' },
        'KIRO_EXPIRES_AT: expected an ISO 8601 date',
      ],
      [{ KIRO_ACCESS_TOKEN: 'abcdefgh', KIRO_REGION: 'mars!' }, 'KIRO_REGION: expected an AWS region name'],
      [{ KIRO_API_KEY: 'not-a-key' }, 'KIRO_API_KEY: expected a Kiro API key'],
    ]
    for (const [env, expected] of cases) {
      const result = await runCli(['chat', 'hello'], envWithHome(home, env))
      expect(result.code).toBe(2)
      expect(result.stderr).toContain(expected)
      expect(result.stderr.trim().split('\n')).toHaveLength(1)
      expect(result.stderr).not.toMatch(STACK_LINE)
    }
  })

  it('bad flags of serve: a number out of range, a missing value, a secret file that cannot be read', {
    timeout: spawnTimeout(4),
  }, async () => {
    const cases: Array<[string[], string]> = [
      [['serve', '--port', '70000'], '--port: expected a whole number from 0 to 65535'],
      [['serve', '--host'], '--host expects a value'],
      [
        ['serve', '--api-key-file', join(home, 'nope')],
        `--api-key-file: cannot read ${join(home, 'nope')} (ENOENT)`,
      ],
      [['serve', '--api-key', 'a', '--api-key-file', 'b'], '--api-key and --api-key-file: give one of them'],
    ]
    for (const [args, expected] of cases) {
      const result = await runCli(args, envWithHome(home))
      expect(result.code).toBe(2)
      expect(result.stderr).toContain(expected)
      expect(result.stderr).not.toMatch(STACK_LINE)
    }
  })
})

describe('runtime failures exit 1', () => {
  it('KIRO_CLI_DB pointing at a missing file: not found, and no empty database is created', {
    timeout: spawnTimeout(),
  }, async () => {
    const path = join(home, 'missing', 'data.sqlite3')
    const result = await runCli(['chat', 'hello'], envWithHome(home, { KIRO_CLI_DB: path }))
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(`${path}: no kiro-cli database there (the file does not exist)`)
    expect(result.stderr).not.toMatch(STACK_LINE)
    await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' })
  })
})

describe('the process at the edges of a terminal', () => {
  it('a reader that closes the pipe early (`| head -c 10`) ends the command quietly', {
    timeout: spawnTimeout(),
  }, async () => {
    const child = spawnCli(['chat', '--simulate', 'Hello there'])
    let stderr = ''
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
    })
    // Close our end before the answer comes, as `head -c 10` does once it has its bytes: every
    // write of the child then meets a closed pipe.
    child.stdout!.destroy()
    const [code] = (await once(child, 'close')) as [number | null]
    expect(stderr).toBe('')
    expect(code).toBe(0)
  })

  it("suppresses node:sqlite's ExperimentalWarning, and only that warning", {
    timeout: spawnTimeout(),
  }, async () => {
    const script = `
      import { quietProcess } from './src/cli/process-quirks.ts'
      quietProcess(process)
      process.emitWarning('SQLite is an experimental feature and might change at any time', 'ExperimentalWarning')
      process.emitWarning('Some other feature is an experimental feature', 'ExperimentalWarning')
      process.emitWarning('a deprecation', 'DeprecationWarning')
    `
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
    })
    await once(child, 'close')
    expect(stderr).not.toContain('SQLite')
    expect(stderr).toContain('Some other feature is an experimental feature')
    expect(stderr).toContain('DeprecationWarning: a deprecation')
  })
})

describe('the login help fits the failure', () => {
  it('a refresh that never reached the sign-in service does not tell the user to sign in again', () => {
    for (const error of [
      new CredentialsError(
        'refresh_failed',
        'Could not reach the Kiro token refresh endpoint example: fetch failed.',
      ),
      new CredentialsError('refresh_failed', 'The Kiro token refresh failed with HTTP 503.', { status: 503 }),
      new CredentialsError('refresh_timeout', 'The Kiro token refresh did not complete within 20000 ms.'),
    ]) {
      const help = loginHelp(error, 'kiro-client demo')
      expect(help).toContain('Check the network')
      expect(help).not.toContain('To sign in')
      expect(help).not.toMatch(/sign in to kiro again/i)
    }
  })

  it('a dead or missing login still gets the sign-in steps; a locked store says try again', () => {
    expect(loginHelp(new CredentialsError('refresh_token_invalid', 'x'), 'demo')).toContain(
      'Sign in to Kiro again',
    )
    expect(loginHelp(new CredentialsError('not_found', 'x'), 'demo')).toContain('To sign in')
    expect(loginHelp(new CredentialsError('refresh_failed', 'x', { status: 400 }), 'demo')).toContain(
      'To sign in',
    )
    expect(loginHelp(new CredentialsError('locked', 'x'), 'demo')).toContain('try again')
  })
})
