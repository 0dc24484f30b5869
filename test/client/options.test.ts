import { describe, expect, it } from 'vitest'
import { KiroClient, type KiroClientOptions, type RequestOptions } from '../../src/client/kiro-client.js'
import { APIConnectionTimeoutError, InternalServerError } from '../../src/errors/api-error.js'
import { ConfigurationError } from '../../src/errors/configuration-error.js'
import { collect, params, rejectionOf, setup } from './helpers.js'

const credentials = { apiKey: 'ksk_test' }

/** The ConfigurationError `run` throws; fails the test when it throws nothing or something else. */
function configurationError(run: () => unknown): ConfigurationError {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError)
    return error as ConfigurationError
  }
  throw new Error('expected a ConfigurationError')
}

/** Options as plain JavaScript may pass them: no type checking. */
function untyped<T = KiroClientOptions>(options: Record<string, unknown>): T {
  return options as T
}

describe('client options: each bad value names its field', () => {
  const cases: Array<[string, Record<string, unknown>]> = [
    ['credentials', { credentials: 'ksk_x' }],
    ['apiKey', { apiKey: 42 }],
    ['region', { region: 'evil.com/x' }],
    ['baseURL', { baseURL: 'ftp://example.com' }],
    ['profileArn', { profileArn: '' }],
    ['fetch', { fetch: 'https://example.com' }],
    ['timeout', { timeout: '30s' }],
    ['timeout', { timeout: -1 }],
    ['timeout.idle', { timeout: { idle: 0 } }],
    ['timeout.total', { timeout: { total: Number.NaN } }],
    ['timeout.response', { timeout: { response: 2 ** 31 } }],
    ['maxRetries', { maxRetries: 1.5 }],
    ['maxRetryAfterMs', { maxRetryAfterMs: -1 }],
    ['hooks', { hooks: () => {} }],
    ['hooks.onEnd', { hooks: { onEnd: 'log' } }],
    ['defaultHeaders', { defaultHeaders: [] }],
    ['defaultHeaders["x-n"]', { defaultHeaders: { 'x-n': 1 } }],
    ['modelMap["a"]', { modelMap: { a: 5 } }],
    ['trimHistory', { trimHistory: 'yes' }],
    ['maxBodyBytes', { maxBodyBytes: 10.5 }],
    ['machineId', { machineId: 7 }],
    ['refreshEndpoints.social', { refreshEndpoints: { social: '' } }],
  ]
  for (const [field, options] of cases) {
    it(`${field}: ${JSON.stringify(options)}`, () => {
      const error = configurationError(() => new KiroClient(untyped({ credentials, ...options })))
      expect(error.field).toBe(field)
      expect(error.message.startsWith(`${field}: `)).toBe(true)
    })
  }

  it('accepts every option at a valid value', () => {
    const client = new KiroClient({
      apiKey: 'ksk_x',
      region: 'eu-central-1',
      baseURL: 'https://example.com',
      profileArn: 'arn:aws:codewhisperer:eu-central-1:123456789012:profile/ABC',
      fetch: globalThis.fetch,
      timeout: { response: 1_000, idle: 2_000, total: 3_000 },
      maxRetries: 0,
      maxRetryAfterMs: 0,
      hooks: { onEnd: () => {}, onRequest: undefined },
      defaultHeaders: { 'x-team': 'a' },
      modelMap: { 'my-model': 'claude-sonnet-4.5' },
      trimHistory: true,
      maxBodyBytes: 100_000,
      machineId: 'seed',
      refreshEndpoints: { social: 'https://example.com/refresh' },
    })
    client.close()
  })

  it('refuses options that are not an object', () => {
    expect(configurationError(() => new KiroClient(untyped(null as never))).field).toBe('options')
    expect(configurationError(() => new KiroClient('ksk_x' as never)).field).toBe('options')
  })
})

describe('unknown client options are refused, never ignored', () => {
  it('suggests the option a misspelling meant', () => {
    for (const key of ['maxRetires', 'max_retries', 'MaxRetries']) {
      const error = configurationError(() => new KiroClient(untyped({ credentials, [key]: 1 })))
      expect(error.field).toBe(key)
      expect(error.message).toMatch(/unknown option \(did you mean maxRetries\?\)/)
    }
  })

  it('lists the known options otherwise, even when the value is undefined', () => {
    const error = configurationError(() => new KiroClient(untyped({ credentials, colour: undefined })))
    expect(error.field).toBe('colour')
    expect(error.message).toMatch(/the options are credentials, apiKey, region/)
  })

  it('says what to do instead for Anthropic SDK options', () => {
    const error = configurationError(() => new KiroClient(untyped({ authToken: 'sk-ant-oat-secret' })))
    expect(error.field).toBe('authToken')
    expect(error.message).toMatch(/credentials/)
    expect(error.message).not.toContain('secret')
  })

  it('refuses unknown fields inside timeout and hooks', () => {
    expect(
      configurationError(() => new KiroClient({ credentials, timeout: untyped({ headers: 5 }) })).field,
    ).toBe('timeout.headers')
    expect(
      configurationError(() => new KiroClient({ credentials, hooks: untyped({ onBeforeSend: () => {} }) }))
        .field,
    ).toBe('hooks.onBeforeSend')
  })
})

describe('apiKey at the top level is a Kiro API key', () => {
  it('is sent as credentials: { apiKey } would be', async () => {
    const { sim, client } = await setup({ credentials: undefined, apiKey: 'ksk_top_level' })
    sim.enqueue([{ text: 'ok' }])
    await client.messages.create(params)
    expect(client.credentials.describe()).toMatchObject({ source: 'api-key', authMethod: 'api_key' })
    expect(sim.generateRequests[0]?.headers).toMatchObject({
      authorization: 'Bearer ksk_top_level',
      tokentype: 'API_KEY',
    })
  })

  it('refuses an Anthropic key without quoting it, and apiKey next to credentials', () => {
    const anthropic = configurationError(() => new KiroClient({ apiKey: 'sk-ant-api03-SECRETVALUE' }))
    expect(anthropic.field).toBe('apiKey')
    expect(anthropic.message).toMatch(/Anthropic API key/)
    expect(anthropic.message).not.toContain('SECRETVALUE')
    expect(configurationError(() => new KiroClient({ apiKey: 'not-a-key' })).field).toBe('apiKey')
    const both = configurationError(
      () => new KiroClient({ apiKey: 'ksk_a', credentials: { apiKey: 'ksk_b' } }),
    )
    expect(both.field).toBe('apiKey')
    expect(both.message).toMatch(/not both/)
  })
})

describe('a numeric timeout is the time allowed until the response headers', () => {
  it('on the client: fires as the response timeout when no headers come', async () => {
    const { sim, client } = await setup({ timeout: 150, maxRetries: 0 })
    sim.enqueue([{ stall: true }])
    const error = await rejectionOf(client.messages.create(params))
    expect(error).toBeInstanceOf(APIConnectionTimeoutError)
    expect(error).toMatchObject({ timeout: 'response', timeoutMs: 150 })
  })

  it('per request: overrides the client, and does not limit a slow body once the headers are in', async () => {
    const { sim, client } = await setup({ timeout: { response: 30_000 }, maxRetries: 0 })
    sim.enqueue([{ stall: true }])
    const error = await rejectionOf(client.messages.create(params, { timeout: 150 }))
    expect(error).toMatchObject({ timeout: 'response', timeoutMs: 150 })
    // Headers at once, then a pause longer than the number: the response limit is done by then.
    sim.enqueue([{ flushHeaders: true }, { text: 'slow' }, { delayMs: 400 }, { text: ' answer' }])
    const message = await client.messages.create(params, { timeout: 150 })
    expect(message.content).toMatchObject([{ type: 'text', text: 'slow answer' }])
  })
})

describe('request options are checked like the client options', () => {
  it('stream() throws, the promises reject, and nothing is sent', async () => {
    const { sim, client } = await setup()
    const unknown = untyped<RequestOptions>({ retries: 2 })
    const thrown = configurationError(() => client.messages.stream(params, unknown))
    expect(thrown.field).toBe('retries')
    expect(thrown.message).toMatch(/the request options are signal, timeout, maxRetries, retryScope, headers/)
    expect(await rejectionOf(client.messages.create(params, unknown))).toBeInstanceOf(ConfigurationError)
    expect(await rejectionOf(client.messages.countTokens(params, unknown))).toBeInstanceOf(ConfigurationError)
    expect(await rejectionOf(client.models.list(unknown))).toBeInstanceOf(ConfigurationError)
    expect(configurationError(() => client.messages.stream(params, { maxRetries: -1 })).field).toBe(
      'maxRetries',
    )
    expect(configurationError(() => client.messages.stream(params, untyped({ signal: {} }))).field).toBe(
      'signal',
    )
    expect(configurationError(() => client.messages.stream(params, { timeout: { idle: -5 } })).field).toBe(
      'timeout.idle',
    )
    expect(sim.generateRequests).toHaveLength(0)
  })

  it('a valid override applies to that request only', async () => {
    const { sim, client } = await setup({ maxRetries: 3 })
    sim.enqueue([{ error: { status: 500 } }])
    const error = await rejectionOf(client.messages.create(params, { maxRetries: 0 }))
    expect(error).toBeInstanceOf(InternalServerError)
    expect(sim.generateRequests).toHaveLength(1)
    sim.enqueue([{ text: 'ok' }])
    expect(
      await collect(client.messages.stream(params, { signal: new AbortController().signal })),
    ).not.toEqual([])
  })
})
