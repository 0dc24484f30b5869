import type { ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import Anthropic from '@anthropic-ai/sdk'
import { describe, expect, it } from 'vitest'
import { parsePrometheus, sampleValue } from '../observability/prometheus-text.js'
import type { LogRecord } from '../observability/serve-harness.js'
import { spawnCli, spawnTimeout } from './spawn-cli.js'

/** Collects a child's stdout and resolves with the first JSON record carrying a URL. */
function readJsonLines(child: ChildProcess) {
  let stdout = ''
  let stderr = ''
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
  })
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  const first = new Promise<{ url: string }>((resolve, reject) => {
    const onData = () => {
      const line = stdout.split('\n')[0]
      if (stdout.includes('\n') && line !== undefined) {
        child.stdout?.off('data', onData)
        resolve(JSON.parse(line) as { url: string })
      }
    }
    child.stdout?.on('data', onData)
    child.once('close', (code) => reject(new Error(`serve exited (${code}): ${stdout}${stderr}`)))
  })
  return { first, stdout: () => stdout, stderr: () => stderr }
}

describe('kiro-client serve --log-format json --metrics (child process)', () => {
  it('writes JSON records only on stdout, one access line per request, and serves /metrics', {
    timeout: spawnTimeout(),
  }, async () => {
    const child = spawnCli(['serve', '--simulate', '--port', '0', '--metrics', '--log-format', 'json'])
    const output = readJsonLines(child)
    try {
      const listening = await output.first
      expect(listening).toMatchObject({
        level: 'info',
        msg: 'listening on',
        url: expect.stringMatching(/^http:\/\//),
      })
      const { url } = listening

      const sdk = new Anthropic({ baseURL: url, apiKey: 'unused', maxRetries: 0 })
      const message = await sdk.messages.create({
        model: 'claude-sonnet-4-5',
        max_tokens: 64,
        messages: [{ role: 'user', content: 'hello from the test' }],
      })
      expect(message.stop_reason).toBe('end_turn')
      expect((await fetch(`${url}/health`)).status).toBe(200)
      const scrape = await fetch(`${url}/metrics`)
      const samples = parsePrometheus(await scrape.text())
      expect(
        sampleValue(samples, 'kiro_http_requests_total', {
          route: '/v1/messages',
          model: 'claude-sonnet-4-5',
          status: '200',
        }),
      ).toBe(1)
    } finally {
      child.kill('SIGTERM')
      await once(child, 'close')
    }
    const lines = output.stdout().split('\n').filter(Boolean)
    const records = lines.map((line) => JSON.parse(line) as LogRecord)
    const access = records.filter((record) => record.msg === 'request')
    expect(access).toHaveLength(1)
    expect(access[0]).toMatchObject({
      route: '/v1/messages',
      status: 200,
      model: 'claude-sonnet-4-5',
      attempts: 1,
    })
    expect(records.at(-1)).toMatchObject({ msg: 'stopped' })
    expect(output.stdout()).not.toContain('hello from the test')
  })
})
