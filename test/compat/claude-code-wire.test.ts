import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { RequestHookEvent } from '../../src/client/hooks.js'
import { estimateInputTokens } from '../../src/translate/token-estimate.js'
import { parseSSE } from '../server/fake-backend.js'
import { serveStack } from './serve-stack.js'

// Each wire behaviour Claude Code depends on, checked against the stack `kiro-client serve` runs
// (docs/claude-code.md has the manual recipe with Claude Code itself). Claude Code's requests are
// replayed from a capture of 2.1.197 (test/fixtures/claude-code/requests.json), with the headers
// and body fields of 2.1.332 added where the behaviour needs them.

interface CapturedRequest {
  path: string
  headers: Record<string, string>
  body: Record<string, unknown> & { messages: Array<{ role: string; content: unknown }> }
}

const captured = JSON.parse(
  readFileSync(new URL('../fixtures/claude-code/requests.json', import.meta.url), 'utf8'),
) as { firstTurn: CapturedRequest }

const AUTH = { authorization: 'Bearer proxy-key' }

function send(url: string, request: CapturedRequest, headers: Record<string, string> = AUTH) {
  return fetch(`${url}${request.path}`, {
    method: 'POST',
    headers: { ...request.headers, ...headers },
    body: JSON.stringify(request.body),
  })
}

/** Claude Code's pattern for the two numbers of a size refusal (reactive compaction reads them). */
const PROMPT_TOO_LONG = /prompt is too long[^0-9]*(\d+)\s*tokens?\s*>\s*(\d+)/i

describe('what Claude Code depends on, over the wire', () => {
  it('compaction: a request over the size limit is a 400 whose message Claude Code compacts on', async () => {
    const { sim, url } = await serveStack({ apiKey: 'proxy-key' })
    const long = structuredClone(captured.firstTurn)
    long.body.messages.push(
      { role: 'assistant', content: 'Noted.' },
      { role: 'user', content: `Here is the log:\n${'line of a very long log\n'.repeat(40_000)}` },
    )
    const response = await send(url, long)
    expect(response.status).toBe(400)
    expect(response.headers.get('x-should-retry')).toBe('false')
    const body = (await response.json()) as { error: { type: string; message: string } }
    expect(body.error.type).toBe('invalid_request_error')
    expect(body.error.message.toLowerCase()).toContain('prompt is too long')
    const [, n, m] = PROMPT_TOO_LONG.exec(body.error.message) ?? []
    expect(Number(n)).toBe(estimateInputTokens(long.body as never))
    expect(Number(n)).toBeGreaterThan(Number(m))
    expect(sim.generateRequests).toHaveLength(0)
  })

  it("compaction: Kiro's own refusal is restated the same way", async () => {
    const { sim, url } = await serveStack({ apiKey: 'proxy-key' })
    sim.enqueue([
      {
        error: {
          status: 400,
          body: { message: 'Input is too long.', reason: 'CONTENT_LENGTH_EXCEEDS_THRESHOLD' },
        },
      },
    ])
    const response = await send(url, captured.firstTurn)
    expect(response.status).toBe(400)
    const { error } = (await response.json()) as { error: { message: string } }
    const [, n, m] = PROMPT_TOO_LONG.exec(error.message) ?? []
    expect(Number(n)).toBeGreaterThan(Number(m))
  })

  it('long sessions: old screenshots give way before the request is refused', async () => {
    const { sim, url } = await serveStack({ apiKey: 'proxy-key' })
    const session = structuredClone(captured.firstTurn)
    const data = 'iVBORw0KGgo'.padEnd(100 * 1024, 'A')
    for (let i = 0; i < 8; i++) {
      session.body.messages.push(
        { role: 'assistant', content: `Step ${i}.` },
        {
          role: 'user',
          content: [
            { type: 'text', text: `Screenshot ${i}` },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data } },
          ],
        },
      )
    }
    const response = await send(url, session)
    expect(response.status).toBe(200)
    await response.text()
    expect(sim.generateRequests[0]?.bodyBytes).toBeLessThanOrEqual(600_000)
    expect(sim.generateRequests[0]?.body).toContain('removed to fit Kiro')
  })

  it('retries: a throttled Kiro is answered at once with 429, retry-after and rate_limit_error', async () => {
    const { sim, url } = await serveStack({ apiKey: 'proxy-key' })
    sim.enqueue([
      { error: { status: 429, body: { message: 'Rate exceeded.' }, headers: { 'retry-after': '12' } } },
    ])
    const response = await send(url, captured.firstTurn)
    expect(response.status).toBe(429)
    expect(response.headers.get('retry-after')).toBe('12')
    expect(response.headers.get('retry-after-ms')).toBe('12000')
    // Retryable: Claude Code's own retries (10 of them) are the only ones.
    expect(response.headers.get('x-should-retry')).toBeNull()
    const body = (await response.json()) as { error: { type: string; message: string } }
    expect(body.error).toEqual({
      type: 'rate_limit_error',
      message:
        'Kiro is throttling requests: Rate exceeded. Wait and try again. Kiro asks to wait 12 s before retrying.',
    })
    expect(sim.generateRequests).toHaveLength(1)
  })

  it('retries: a quota is a 402 and a suspended account a 403, both with x-should-retry: false', async () => {
    const { sim, url } = await serveStack({ apiKey: 'proxy-key' })
    sim.enqueue(
      [
        {
          error: {
            status: 402,
            body: { message: 'Monthly limit reached.', reason: 'MONTHLY_REQUEST_COUNT' },
          },
        },
      ],
      [{ error: { status: 403, body: { message: 'Account suspended.', reason: 'TEMPORARILY_SUSPENDED' } } }],
    )
    const quota = await send(url, captured.firstTurn)
    expect([quota.status, quota.headers.get('x-should-retry')]).toEqual([402, 'false'])
    expect(((await quota.json()) as { error: { type: string } }).error.type).toBe('billing_error')
    const suspended = await send(url, captured.firstTurn)
    expect([suspended.status, suspended.headers.get('x-should-retry')]).toEqual([403, 'false'])
    expect(((await suspended.json()) as { error: { type: string } }).error.type).toBe('permission_error')
    expect(sim.generateRequests).toHaveLength(2)
  })

  it.each([
    ['x-api-key (ANTHROPIC_API_KEY)', { 'x-api-key': 'wrong' }, 'invalid x-api-key'],
    ['Bearer (ANTHROPIC_AUTH_TOKEN)', { authorization: 'Bearer wrong' }, 'Invalid bearer token'],
    ['both, x-api-key first', { 'x-api-key': 'wrong', authorization: 'Bearer wrong' }, 'invalid x-api-key'],
    ['no key at all', {}, 'x-api-key header is required'],
  ])('401: a wrong key by %s gets the real API body, no www-authenticate', async (_how, headers, message) => {
    const { sim, url } = await serveStack({ apiKey: 'proxy-key' })
    const response = await send(url, captured.firstTurn, headers)
    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toBeNull()
    expect(response.headers.get('x-should-retry')).toBe('false')
    expect(response.headers.get('content-type')).toBe('application/json')
    const body = (await response.json()) as Record<string, unknown>
    expect(body).toEqual({
      type: 'error',
      error: { type: 'authentication_error', message },
      request_id: response.headers.get('request-id'),
    })
    expect(sim.generateRequests).toHaveLength(0)
  })

  it('betas: auto mode (dangerous-tool-use-2026-09-03 and a safeguards field) is accepted; no verdict is invented', async () => {
    const requests: RequestHookEvent[] = []
    const { sim, url } = await serveStack(
      { apiKey: 'proxy-key' },
      { hooks: { onRequest: (event) => requests.push(event) } },
    )
    const auto = structuredClone(captured.firstTurn)
    auto.headers['anthropic-beta'] = [
      'claude-code-20250219',
      'interleaved-thinking-2025-05-14',
      'context-management-2025-06-27',
      'per-turn-control-2026-07-01',
      'dangerous-tool-use-2026-09-03',
      'a-beta-from-the-future-2099-01-01',
    ].join(',')
    auto.body['safeguards'] = [{ type: 'dangerous_tool_use', classifier_context: { mode: 'auto' } }]
    auto.body.messages.push(
      { role: 'assistant', content: 'Looking.' },
      { role: 'user', content: 'call Bash {"command":"ls"}' },
    )
    const streamed = await send(url, auto)
    expect(streamed.status).toBe(200)
    const frames = parseSSE(await streamed.text()) as Array<{ event: string; data: Record<string, unknown> }>
    const delta = frames.find((frame) => frame.event === 'message_delta')?.data as {
      delta: Record<string, unknown>
    }
    expect(delta.delta['stop_reason']).toBe('tool_use')
    // Kiro runs no safety classifier: no `safeguard_results`, so Claude Code runs its own (docs/claude-code.md).
    expect(Object.keys(delta.delta)).not.toContain('safeguard_results')
    expect(requests[0]?.ignored).toContain('safeguards')

    const plain = await send(url, { ...auto, body: { ...auto.body, stream: false } })
    expect(plain.status).toBe(200)
    expect(Object.keys((await plain.json()) as object)).not.toContain('safeguard_results')
    expect(sim.generateRequests).toHaveLength(2)
  })
})
