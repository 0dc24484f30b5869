import type { ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Anthropic from '@anthropic-ai/sdk'
import Anthropic0 from 'anthropic-sdk-0x'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { envWithHome, runCli, spawnCli, spawnTimeout, waitForOutput } from './spawn-cli.js'

const params = {
  model: 'claude-sonnet-4-6',
  max_tokens: 256,
  messages: [{ role: 'user' as const, content: 'Hello proxy' }],
}

describe('kiro-client serve --simulate (child process)', () => {
  let child: ChildProcess
  let url: string

  beforeAll(async () => {
    child = spawnCli(['serve', '--simulate', '--port', '0', '--api-key', 'test-key'])
    url = (await waitForOutput(child, /listening on (http:\/\/\S+)/))[1]!
  }, spawnTimeout())

  afterAll(async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM')
      await once(child, 'close')
    }
  })

  it('serves the 1.x SDK (Bearer) and the 0.x SDK (x-api-key)', async () => {
    const v1 = new Anthropic({ baseURL: url, apiKey: 'test-key', maxRetries: 0 })
    const streamed = await v1.messages.stream(params).finalMessage()
    expect(streamed.content[0]).toMatchObject({ type: 'text', text: expect.stringContaining('Hello proxy') })
    expect(streamed.stop_reason).toBe('end_turn')

    const v0 = new Anthropic0({ baseURL: url, apiKey: 'test-key', maxRetries: 0 })
    const created = await v0.messages.create(params)
    expect(created.content[0]).toMatchObject({ type: 'text', text: expect.stringContaining('Hello proxy') })
  })

  it('refuses a wrong key with the SDK AuthenticationError', async () => {
    const client = new Anthropic({ baseURL: url, apiKey: 'wrong-key', maxRetries: 0 })
    await expect(client.messages.create(params)).rejects.toBeInstanceOf(Anthropic.AuthenticationError)
  })

  it('answers count_tokens, models and the /api/hello probe', async () => {
    const client = new Anthropic({ baseURL: url, apiKey: 'test-key', maxRetries: 0 })
    const counted = await client.messages.countTokens(params)
    expect(counted.input_tokens).toBeGreaterThan(0)
    const models = await client.models.list()
    expect(models.data.length).toBeGreaterThan(0)
    expect((await fetch(`${url}/api/hello`, { method: 'HEAD' })).status).toBe(200)
  })

  it('stops cleanly on SIGTERM', async () => {
    child.kill('SIGTERM')
    const [code] = await once(child, 'close')
    expect(code).toBe(0)
  })
})

describe('kiro-client serve without a login', () => {
  let home: string
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'kiro-cli-home-'))
  })
  afterAll(async () => {
    await rm(home, { recursive: true, force: true })
  })

  it('says where it looked and how to sign in, suggests --simulate, and exits 1', {
    timeout: spawnTimeout(),
  }, async () => {
    const result = await runCli(['serve', '--port', '0'], envWithHome(home))
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('No Kiro login found')
    expect(result.stderr).toContain(join(home, '.aws', 'sso', 'cache', 'kiro-auth-token.json'))
    expect(result.stderr).toContain('Kiro IDE')
    expect(result.stderr).toContain('kiro-client serve --simulate')
    expect(result.stdout).not.toContain('listening on')
  })
})
