import Anthropic from '@anthropic-ai/sdk'
import { afterEach, describe, expect, it } from 'vitest'
import { MAX_MODEL_LABELS } from '../../src/observability/serve/serve-metrics.js'
import { createClientKeys, hashClientKey, parseClientKeys } from '../../src/server/client-keys.js'
import { parsePrometheus, sampleValue, sumOf } from './prometheus-text.js'
import { eventually, startObservedServer } from './serve-harness.js'

const params = {
  model: 'claude-sonnet-4-5',
  max_tokens: 64,
  messages: [{ role: 'user' as const, content: 'a prompt that must never be logged' }],
}

const servers: Array<{ close(): Promise<void> }> = []
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close()
})

async function start(...args: Parameters<typeof startObservedServer>) {
  const started = await startObservedServer(...args)
  servers.push(started)
  return started
}

async function scrape(url: string, key?: string) {
  const response = await fetch(`${url}/metrics`, key === undefined ? {} : { headers: { 'x-api-key': key } })
  return { response, samples: response.ok ? parsePrometheus(await response.text()) : [] }
}

const ACCESS_FIELDS = [
  'request_id',
  'method',
  'path',
  'route',
  'status',
  'duration_ms',
  'ttfb_ms',
  'model',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_creation_tokens',
  'account_id',
  'client_key',
  'attempts',
  'retries',
  'error_type',
]

describe('serve: /metrics', () => {
  it('counts requests by route, model and status, with durations, time to first byte, tokens and attempts', async () => {
    const served = await start()
    served.sim.enqueue(
      [{ text: 'streamed' }, { metadata: { uncachedInputTokens: 11, outputTokens: 4 } }],
      [{ error: { status: 503, headers: { 'retry-after-ms': '5' } } }],
      [
        { text: 'created' },
        { metadata: { uncachedInputTokens: 7, outputTokens: 2, cacheReadInputTokens: 30 } },
      ],
    )
    const sdk = new Anthropic({ baseURL: served.url, apiKey: 'unused', maxRetries: 0 })
    await sdk.messages.stream(params).finalMessage()
    await sdk.messages.create(params)
    await sdk.messages.countTokens(params)
    await eventually(() => served.records().length === 3, 'three access-log lines')

    const { response, samples } = await scrape(served.url)
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
    const messages = { route: '/v1/messages', model: 'claude-sonnet-4-5', status: '200' }
    expect(sampleValue(samples, 'kiro_http_requests_total', messages)).toBe(2)
    expect(
      sampleValue(samples, 'kiro_http_requests_total', { route: '/v1/messages/count_tokens', status: '200' }),
    ).toBe(1)
    expect(sampleValue(samples, 'kiro_http_request_duration_seconds_count', messages)).toBe(2)
    expect(
      sampleValue(samples, 'kiro_http_time_to_first_byte_seconds_count', { route: '/v1/messages' }),
    ).toBe(2)
    expect(sampleValue(samples, 'kiro_tokens_total', { model: 'claude-sonnet-4-5', type: 'input' })).toBe(18)
    expect(sampleValue(samples, 'kiro_tokens_total', { model: 'claude-sonnet-4-5', type: 'output' })).toBe(6)
    expect(sampleValue(samples, 'kiro_tokens_total', { type: 'cache_read' })).toBe(30)
    expect(sampleValue(samples, 'kiro_upstream_attempts_total', { model: 'claude-sonnet-4-5' })).toBe(3)
    expect(sampleValue(samples, 'kiro_upstream_responses_total', { status: '503' })).toBe(1)
    expect(sampleValue(samples, 'kiro_upstream_responses_total', { status: '200' })).toBe(2)
    expect(sumOf(samples, 'kiro_upstream_retries_total')).toBe(1)
    expect(sampleValue(samples, 'kiro_http_requests_in_flight', { route: '/v1/messages' })).toBe(0)
    expect(sampleValue(samples, 'kiro_account_state', { account: 'default', state: 'ready' })).toBe(1)
    expect(sampleValue(samples, 'kiro_account_state', { account: 'default', state: 'invalid' })).toBe(0)
    expect(samples.some((sample) => sample.name === 'process_cpu_seconds_total')).toBe(true)
    // Scrapes are not requests of the API: they stay out of the counts.
    expect(sumOf(samples, 'kiro_http_requests_total', { route: '/metrics' })).toBe(0)
    // Nothing secret or private in the exposition.
    const text = JSON.stringify(samples)
    expect(text).not.toContain('serve-secret-token-1234')
    expect(text).not.toContain('never be logged')
  })

  it('shows a stream in flight, on the route and on the account', async () => {
    const served = await start()
    served.sim.enqueue([{ text: 'first' }, { stall: true }])
    const controller = new AbortController()
    const response = await fetch(`${served.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...params, stream: true }),
      signal: controller.signal,
    })
    expect(response.status).toBe(200)
    const { samples } = await scrape(served.url)
    expect(sampleValue(samples, 'kiro_http_requests_in_flight', { route: '/v1/messages' })).toBe(1)
    expect(sampleValue(samples, 'kiro_account_in_flight', { account: 'default' })).toBe(1)
    controller.abort()
    await eventually(() => served.records().length === 1, 'the access-log line of the abandoned stream')
    expect(served.records()[0]).toMatchObject({ status: 200, error_type: 'client_closed' })
  })

  it('counts token refreshes', async () => {
    const served = await start(
      {},
      (sim) => ({
        credentials: {
          accessToken: 'old-1234',
          refreshToken: 'rt-5678',
          authMethod: 'social',
          expiresAt: Date.now() - 1,
        },
        refreshEndpoints: { social: sim.refreshUrls.social },
      }),
      { tokens: { accessToken: 'old-1234', refreshToken: 'rt-5678' } },
    )
    served.sim.enqueue([{ text: 'fresh' }])
    await new Anthropic({ baseURL: served.url, apiKey: 'unused', maxRetries: 0 }).messages.create(params)
    const { samples } = await scrape(served.url)
    expect(
      sampleValue(samples, 'kiro_token_refreshes_total', { outcome: 'success', background: 'false' }),
    ).toBe(1)
  })

  it('keeps the model label bounded however many made-up models clients send', async () => {
    const served = await start()
    const post = (model: string) =>
      fetch(`${served.url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...params, model }),
      }).then((response) => response.text())
    const sent = MAX_MODEL_LABELS + 30
    for (let i = 0; i < sent; i++) await post(`made-up-model-${i}`)
    await post('bad\nmodel {name="x"}')
    await post('m'.repeat(500))
    const { samples } = await scrape(served.url)
    const requests = samples.filter((sample) => sample.name === 'kiro_http_requests_total')
    const models = new Set(requests.map((sample) => sample.labels['model']))
    expect(models.size).toBe(MAX_MODEL_LABELS + 1)
    expect(models.has('made-up-model-0')).toBe(true)
    expect(sumOf(samples, 'kiro_http_requests_total', { model: 'other' })).toBe(sent - MAX_MODEL_LABELS + 2)
    expect(sumOf(samples, 'kiro_http_requests_total')).toBe(sent + 2)
    const attempts = samples.filter((sample) => sample.name === 'kiro_upstream_attempts_total')
    expect(new Set(attempts.map((sample) => sample.labels['model'])).size).toBe(MAX_MODEL_LABELS + 1)
  })

  it('needs the admin key when one is set', async () => {
    const served = await start({ adminKey: 'admin-key-42', apiKey: 'client-key-7' })
    expect((await scrape(served.url)).response.status).toBe(401)
    expect((await scrape(served.url, 'client-key-7')).response.status).toBe(401)
    const authorised = await fetch(`${served.url}/metrics`, {
      headers: { authorization: 'Bearer admin-key-42' },
    })
    expect(authorised.status).toBe(200)
    expect(parsePrometheus(await authorised.text()).length).toBeGreaterThan(0)
  })

  it('is not served unless asked for', async () => {
    const served = await start({ metrics: false })
    expect((await fetch(`${served.url}/metrics`)).status).toBe(404)
    expect(served.observability.metrics).toBeUndefined()
  })

  it('--metrics-port: /metrics on its own port, not on the API port', async () => {
    const served = await start({ metrics: false, metricsPort: 0 })
    expect(served.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect((await fetch(`${served.url}/metrics`)).status).toBe(404)
    const { response, samples } = await scrape(served.metricsUrl!)
    expect(response.status).toBe(200)
    expect(
      samples.some(
        (sample) => sample.name === 'kiro_http_requests_total' || sample.name.startsWith('process_'),
      ),
    ).toBe(true)
    expect((await fetch(`${served.metricsUrl}/health`)).status).toBe(200)
    expect((await fetch(`${served.metricsUrl}/v1/messages`, { method: 'POST' })).status).toBe(404)
  })
})

describe('serve with an account pool', () => {
  it('per-account state and in-flight, the account in the access log, a parked account logged', async () => {
    const served = await start({}, () => ({
      credentials: undefined,
      accountSelection: 'round-robin',
      accounts: [
        { id: 'alpha', credentials: { accessToken: 'alpha-secret-token-1' } },
        { id: 'beta', credentials: { accessToken: 'beta-secret-token-22' } },
      ],
    }))
    served.sim.enqueue(
      [{ error: { status: 429, body: { message: 'Too many requests', reason: 'MONTHLY_REQUEST_COUNT' } } }],
      [{ text: 'served by the other account' }],
    )
    const message = await new Anthropic({
      baseURL: served.url,
      apiKey: 'unused',
      maxRetries: 0,
    }).messages.create(params)
    expect(message.content[0]).toMatchObject({ text: 'served by the other account' })
    await eventually(() => served.records().some((record) => record.msg === 'request'), 'the access line')
    const records = served.records()
    const access = records.find((record) => record.msg === 'request')
    const parked = records.find((record) => String(record.msg).endsWith(': exhausted'))
    expect(parked).toMatchObject({ level: 'warn', reason: 'MONTHLY_REQUEST_COUNT', cause: 'failure' })
    const servedBy = parked?.account === 'alpha' ? 'beta' : 'alpha'
    expect(access).toMatchObject({ status: 200, attempts: 2, retries: 1, account_id: servedBy })

    const { samples } = await scrape(served.url)
    expect(
      sampleValue(samples, 'kiro_account_state', { account: String(parked?.account), state: 'exhausted' }),
    ).toBe(1)
    expect(sampleValue(samples, 'kiro_account_state', { account: servedBy, state: 'ready' })).toBe(1)
    expect(sampleValue(samples, 'kiro_account_in_flight', { account: servedBy })).toBe(0)
    expect(sampleValue(samples, 'kiro_upstream_retries_total', { reason: 'account_failover' })).toBe(1)
    expect(await (await fetch(`${served.url}/ready`)).json()).toEqual({
      status: 'ready',
      accounts: { ready: 1, total: 2 },
    })
  })
})

describe('serve: /health and /ready', () => {
  it('answer without a key, and say nothing but counts', async () => {
    const served = await start({ apiKey: 'client-key-7', adminKey: 'admin-key-42' })
    const health = await fetch(`${served.url}/health`)
    expect(health.status).toBe(200)
    expect(await health.json()).toEqual({ status: 'ok' })
    const ready = await fetch(`${served.url}/ready`)
    expect(ready.status).toBe(200)
    expect(await ready.json()).toEqual({ status: 'ready', accounts: { ready: 1, total: 1 } })
    expect((await fetch(`${served.url}/health`, { method: 'POST' })).status).toBe(405)
  })

  it('/ready is 503 once the login is known to be invalid, and ready again after a good refresh', async () => {
    const served = await start(
      {},
      (sim) => ({
        credentials: {
          accessToken: 'old-1234',
          refreshToken: 'rt-5678',
          authMethod: 'social',
          expiresAt: Date.now() - 1,
        },
        refreshEndpoints: { social: sim.refreshUrls.social },
      }),
      { tokens: { accessToken: 'other', refreshToken: 'a-different-refresh-token' } },
    )
    const failed = await new Anthropic({ baseURL: served.url, apiKey: 'unused', maxRetries: 0 }).messages
      .create(params)
      .catch((error: unknown) => error)
    expect(failed).toBeInstanceOf(Anthropic.APIError)
    const ready = await fetch(`${served.url}/ready`)
    expect(ready.status).toBe(503)
    expect(await ready.json()).toEqual({ status: 'not_ready', accounts: { ready: 0, total: 1 } })
    served.observability.useAccounts(() => [
      { id: 'a', state: 'cooling', inFlight: 0 },
      { id: 'b', state: 'ready', inFlight: 2 },
    ])
    expect((await fetch(`${served.url}/ready`)).status).toBe(200)
    const { samples } = await scrape(served.url)
    expect(sampleValue(samples, 'kiro_account_state', { account: 'a', state: 'cooling' })).toBe(1)
    expect(sampleValue(samples, 'kiro_account_in_flight', { account: 'b' })).toBe(2)
    expect(
      sampleValue(samples, 'kiro_account_state', { account: 'default', state: 'invalid' }),
    ).toBeUndefined()
  })
})

describe('serve: the access log', () => {
  it('one JSON line per request with the fields, no prompt, no key, no token', async () => {
    const served = await start({ apiKey: 'client-key-7' })
    served.sim.enqueue(
      [{ error: { status: 429, headers: { 'retry-after-ms': '5' } } }],
      [{ text: 'ok' }, { metadata: { uncachedInputTokens: 9, outputTokens: 1 } }],
      [{ error: { status: 400, body: { message: 'Improperly formed request.' } } }],
    )
    const sdk = new Anthropic({ baseURL: served.url, apiKey: 'client-key-7', maxRetries: 0 })
    await sdk.messages.create(params)
    const error = await sdk.messages.create(params).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(Anthropic.BadRequestError)
    await new Anthropic({ baseURL: served.url, apiKey: 'wrong', maxRetries: 0 }).models.list().catch(() => {})
    await fetch(`${served.url}/health`)
    await eventually(() => served.records().length === 3, 'three access-log lines')

    const lines = served.out.join('').split('\n').filter(Boolean)
    const records = served.records()
    expect(records).toHaveLength(lines.length)
    for (const record of records) {
      expect(Object.keys(record)).toEqual(['time', 'level', 'msg', ...ACCESS_FIELDS])
      expect(record).toMatchObject({ level: 'info', msg: 'request' })
      expect(Number.isNaN(Date.parse(record.time))).toBe(false)
    }
    const [retried, failed, refused] = records
    expect(retried).toMatchObject({
      method: 'POST',
      path: '/v1/messages',
      route: '/v1/messages',
      status: 200,
      model: 'claude-sonnet-4-5',
      input_tokens: 9,
      output_tokens: 1,
      attempts: 2,
      retries: 1,
      error_type: null,
      account_id: null,
      client_key: null,
    })
    expect(retried?.request_id).toMatch(/^req_/)
    expect(retried?.duration_ms as number).toBeGreaterThanOrEqual(retried?.ttfb_ms as number)
    expect(failed).toMatchObject({
      status: 400,
      error_type: 'invalid_request_error',
      attempts: 1,
      retries: 0,
    })
    expect(refused).toMatchObject({
      route: '/v1/models',
      status: 401,
      error_type: 'authentication_error',
      attempts: 0,
    })
    const everything = lines.join('\n')
    for (const secret of ['never be logged', 'client-key-7', 'wrong', 'serve-secret-token-1234']) {
      expect(everything).not.toContain(secret)
    }
  })

  it('names the team member of a named client key, never the key', async () => {
    const clientKeys = createClientKeys(
      parseClientKeys({ 'ada@example.com': `sha256:${await hashClientKey('ada-personal-key-123')}` }),
    )
    const served = await start({ clientKeys })
    served.sim.enqueue([{ text: 'hi Ada' }])
    await new Anthropic({
      baseURL: served.url,
      apiKey: 'ada-personal-key-123',
      maxRetries: 0,
    }).messages.create(params)
    await eventually(() => served.records().length === 1, 'the access line')
    expect(served.records()[0]).toMatchObject({ client_key: 'ada@example.com', status: 200 })
    expect(served.out.join('')).not.toContain('ada-personal-key-123')
    // Usage is attributed to her in the metrics too.
    const metrics = await fetch(`${served.url}/metrics`, { headers: { 'x-api-key': 'ada-personal-key-123' } })
    const text = await metrics.text()
    const samples = parsePrometheus(text)
    expect(
      sampleValue(samples, 'kiro_client_key_requests_total', {
        client_key: 'ada@example.com',
        status: '200',
      }),
    ).toBe(1)
    expect(
      sampleValue(samples, 'kiro_client_key_tokens_total', { client_key: 'ada@example.com', type: 'output' }),
    ).toBeGreaterThan(0)
    expect(text).not.toContain('ada-personal-key-123')
  })

  it('pretty format: readable lines on stderr, nothing on stdout', async () => {
    const served = await start({ logFormat: 'pretty' })
    served.sim.enqueue([{ text: 'ok' }, { metadata: { uncachedInputTokens: 3, outputTokens: 1 } }])
    await new Anthropic({ baseURL: served.url, apiKey: 'unused', maxRetries: 0 }).messages.create(params)
    await eventually(() => served.err.length === 1, 'one access line')
    expect(served.out).toEqual([])
    expect(served.err[0]).toMatch(
      /^POST \/v1\/messages 200 \d+ ms claude-sonnet-4-5 3 in \/ 1 out tokens req_\S+\n$/,
    )
  })

  it('pretty format: a line break in a model name cannot forge a log line', async () => {
    const served = await start({ logFormat: 'pretty' })
    const forged = 'claude-x\nPOST /v1/messages 200 1 ms forged-line'
    await fetch(`${served.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...params, model: forged }),
    }).then((response) => response.text())
    await eventually(() => served.err.length === 1, 'one access line')
    expect(served.err[0]!.split('\n')).toEqual([expect.stringContaining('claude-x\\nPOST'), ''])
  })

  it('--log-level debug adds the attempts as records; error keeps only failures', async () => {
    const debug = await start({ logLevel: 'debug' })
    debug.sim.enqueue([{ text: 'ok' }])
    await new Anthropic({ baseURL: debug.url, apiKey: 'unused', maxRetries: 0 }).messages.create(params)
    await eventually(() => debug.records().some((record) => record.msg === 'request'), 'the access line')
    const messages = debug.records().map((record) => record.msg)
    expect(
      messages.some((message) =>
        /attempt 1: POST http:\/\/127\.0\.0\.1:\d+\/generateAssistantResponse$/.test(message),
      ),
    ).toBe(true)
    expect(debug.records().every((record) => typeof record.level === 'string')).toBe(true)

    const quiet = await start({ logLevel: 'error' })
    quiet.sim.enqueue([{ text: 'ok' }])
    await new Anthropic({ baseURL: quiet.url, apiKey: 'unused', maxRetries: 0 }).messages.create(params)
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(quiet.out).toEqual([])
  })
})
