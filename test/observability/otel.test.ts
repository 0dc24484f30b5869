import { context, metrics, trace } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { afterEach, describe, expect, it } from 'vitest'
import { RateLimitError } from '../../src/errors/api-error.js'
import { setOtelApiLoader } from '../../src/observability/otel-api.js'
import { ACCESS_TOKEN, collect, params, REFRESH_TOKEN, rejectionOf, setup } from '../client/helpers.js'
import { counterPoints, histogramPoints, otelHarness } from './otel-harness.js'

const harnesses: Array<ReturnType<typeof otelHarness>> = []
function harness() {
  const created = otelHarness()
  harnesses.push(created)
  return created
}

afterEach(async () => {
  trace.disable()
  metrics.disable()
  context.disable()
  setOtelApiLoader(undefined)
  for (const created of harnesses.splice(0)) await created.close()
})

describe('OpenTelemetry spans and GenAI metrics', () => {
  it('a streamed request: a chat span with the GenAI attributes, and the three client metrics', async () => {
    const otel = harness()
    const { sim, client } = await setup({
      tracerProvider: otel.tracerProvider,
      meterProvider: otel.meterProvider,
    })
    sim.enqueue([
      { text: ['Hel', 'lo'] },
      {
        metadata: {
          uncachedInputTokens: 12,
          outputTokens: 3,
          cacheReadInputTokens: 40,
          cacheWriteInputTokens: 5,
        },
      },
    ])
    const stream = client.messages.stream({ ...params, temperature: 0.5, stop_sequences: ['END'] })
    await collect(stream)
    const message = await stream.finalMessage()

    const [span, ...others] = otel.spans()
    expect(others).toHaveLength(0)
    expect(span?.name).toBe('chat claude-sonnet-4-5')
    expect(span?.kind).toBe(2) // CLIENT
    expect(span?.status.code).toBe(0) // UNSET: no error
    const port = Number(new URL(sim.url).port)
    expect(span?.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'aws.kiro',
      'gen_ai.request.model': 'claude-sonnet-4-5',
      'gen_ai.request.max_tokens': 1024,
      'gen_ai.request.stream': true,
      'gen_ai.request.temperature': 0.5,
      'gen_ai.request.stop_sequences': ['END'],
      'gen_ai.response.model': 'claude-sonnet-4.5',
      'gen_ai.response.id': message.id,
      'gen_ai.response.finish_reasons': ['end_turn'],
      // Anthropic's input_tokens leaves cached input out; the conventions' count adds it back.
      'gen_ai.usage.input_tokens': 57,
      'gen_ai.usage.output_tokens': 3,
      'gen_ai.usage.cache_read.input_tokens': 40,
      'gen_ai.usage.cache_creation.input_tokens': 5,
      'server.address': '127.0.0.1',
      'server.port': port,
      'kiro.attempts': 1,
      'kiro.request_id': stream.request_id,
    })
    expect(span?.attributes['gen_ai.response.time_to_first_chunk']).toBeGreaterThan(0)
    expect(span?.attributes['error.type']).toBeUndefined()
    expect(span?.attributes['gen_ai.input.messages']).toBeUndefined()

    const recorded = await otel.metrics()
    const [duration] = histogramPoints(recorded.get('gen_ai.client.operation.duration'))
    expect(duration?.value.count).toBe(1)
    expect(duration?.attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'aws.kiro',
      'gen_ai.request.model': 'claude-sonnet-4-5',
      'gen_ai.response.model': 'claude-sonnet-4.5',
      'server.address': '127.0.0.1',
      'server.port': port,
    })
    expect(recorded.get('gen_ai.client.operation.duration')?.descriptor.unit).toBe('s')
    const tokens = histogramPoints(recorded.get('gen_ai.client.token.usage'))
    expect(tokens.map((point) => [point.attributes['gen_ai.token.type'], point.value.sum]).sort()).toEqual([
      ['input', 57],
      ['output', 3],
    ])
    const [firstChunk] = histogramPoints(recorded.get('gen_ai.client.operation.time_to_first_chunk'))
    expect(firstChunk?.value.count).toBe(1)
    expect(firstChunk?.value.sum).toBeCloseTo(
      span?.attributes['gen_ai.response.time_to_first_chunk'] as number,
    )
  })

  it('create() without stream: no stream attribute and no time-to-first-chunk', async () => {
    const otel = harness()
    const { sim, client } = await setup({
      tracerProvider: otel.tracerProvider,
      meterProvider: otel.meterProvider,
    })
    sim.enqueue([{ text: 'ok' }])
    await client.messages.create(params)
    const [span] = otel.spans()
    expect(span?.attributes['gen_ai.request.stream']).toBeUndefined()
    expect(span?.attributes['gen_ai.response.time_to_first_chunk']).toBeUndefined()
    const recorded = await otel.metrics()
    expect(histogramPoints(recorded.get('gen_ai.client.operation.duration'))).toHaveLength(1)
    expect(histogramPoints(recorded.get('gen_ai.client.operation.time_to_first_chunk'))).toHaveLength(0)
  })

  it('a retried request: a kiro.retry event per failed attempt and the retry counter', async () => {
    const otel = harness()
    const { sim, client } = await setup({
      tracerProvider: otel.tracerProvider,
      meterProvider: otel.meterProvider,
    })
    sim.enqueue(
      [{ error: { status: 429, headers: { 'retry-after-ms': '5' } } }],
      [{ error: { status: 503, headers: { 'retry-after-ms': '5' } } }],
      [{ text: 'third time' }],
    )
    await collect(client.messages.stream(params))
    const [span] = otel.spans()
    expect(span?.status.code).toBe(0)
    expect(span?.attributes['kiro.attempts']).toBe(3)
    expect(span?.events.map((event) => [event.name, event.attributes])).toEqual([
      [
        'kiro.retry',
        {
          'kiro.retry.attempt': 1,
          'kiro.retry.reason': 'rate_limited',
          'kiro.retry.delay_ms': 5,
          'http.response.status_code': 429,
        },
      ],
      [
        'kiro.retry',
        {
          'kiro.retry.attempt': 2,
          'kiro.retry.reason': expect.any(String),
          'kiro.retry.delay_ms': 5,
          'http.response.status_code': 503,
        },
      ],
    ])
    const retries = counterPoints((await otel.metrics()).get('kiro.client.retries'))
    expect(retries.reduce((sum, point) => sum + point.value, 0)).toBe(2)
    expect(retries.find((point) => point.attributes['kiro.retry.reason'] === 'rate_limited')?.value).toBe(1)
  })

  it('a failed request: error status, error.type on the span and on the duration, no token usage', async () => {
    const otel = harness()
    const { sim, client } = await setup({
      tracerProvider: otel.tracerProvider,
      meterProvider: otel.meterProvider,
      maxRetries: 0,
    })
    sim.enqueue([{ error: { status: 429, body: { message: 'Too many requests' } } }])
    const error = await rejectionOf(client.messages.create(params))
    expect(error).toBeInstanceOf(RateLimitError)
    const [span] = otel.spans()
    expect(span?.status).toMatchObject({ code: 2, message: error.message })
    expect(span?.attributes['error.type']).toBe('RateLimitError')
    expect(span?.attributes['gen_ai.usage.input_tokens']).toBeUndefined()
    const recorded = await otel.metrics()
    const [duration] = histogramPoints(recorded.get('gen_ai.client.operation.duration'))
    expect(duration?.attributes['error.type']).toBe('RateLimitError')
    expect(histogramPoints(recorded.get('gen_ai.client.token.usage'))).toHaveLength(0)
  })

  it('invalid params: a failed span without a server, since nothing was sent', async () => {
    const otel = harness()
    const { client } = await setup({ tracerProvider: otel.tracerProvider })
    await rejectionOf(client.messages.create({ ...params, messages: [] }))
    const [span] = otel.spans()
    expect(span?.attributes).toMatchObject({ 'error.type': 'BadRequestError', 'kiro.attempts': 0 })
    expect(span?.attributes['server.address']).toBeUndefined()
  })

  it('instrumentation: false records nothing, even with providers given', async () => {
    const otel = harness()
    let loads = 0
    setOtelApiLoader(async () => {
      loads++
      return undefined
    })
    const { sim, client } = await setup({
      tracerProvider: otel.tracerProvider,
      meterProvider: otel.meterProvider,
      instrumentation: false,
    })
    sim.enqueue([{ error: { status: 503, headers: { 'retry-after-ms': '1' } } }], [{ text: 'ok' }])
    await collect(client.messages.stream(params))
    expect(otel.spans()).toHaveLength(0)
    expect((await otel.metrics()).size).toBe(0)
    expect(loads).toBe(0)
  })

  it('uses the global providers, parents the span on the active one, and stops when they go', async () => {
    const otel = harness()
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())
    trace.setGlobalTracerProvider(otel.tracerProvider)
    metrics.setGlobalMeterProvider(otel.meterProvider)
    const { sim, client } = await setup()
    sim.enqueue([{ text: 'one' }], [{ text: 'two' }])

    const tracer = trace.getTracer('test')
    await tracer.startActiveSpan('handler', async (parent) => {
      await collect(client.messages.stream(params))
      parent.end()
    })
    const chat = otel.spans().find((span) => span.name.startsWith('chat '))
    const parent = otel.spans().find((span) => span.name === 'handler')
    expect(chat?.parentSpanContext?.spanId).toBe(parent?.spanContext().spanId)
    expect(chat?.spanContext().traceId).toBe(parent?.spanContext().traceId)
    expect(histogramPoints((await otel.metrics()).get('gen_ai.client.operation.duration'))).toHaveLength(1)

    trace.disable()
    metrics.disable()
    await collect(client.messages.stream(params))
    expect(otel.spans().filter((span) => span.name.startsWith('chat '))).toHaveLength(1)
    expect(
      histogramPoints((await otel.metrics()).get('gen_ai.client.operation.duration'))[0]?.value.count,
    ).toBe(1)
  })

  it('works, and records nothing, when @opentelemetry/api is not installed', async () => {
    const otel = harness()
    trace.setGlobalTracerProvider(otel.tracerProvider)
    metrics.setGlobalMeterProvider(otel.meterProvider)
    let loads = 0
    setOtelApiLoader(async () => {
      loads++
      return undefined
    })
    const { sim, client } = await setup()
    const second = await setup()
    sim.enqueue([{ text: 'ok' }])
    second.sim.enqueue([{ text: 'ok' }])
    const message = await client.messages.create(params)
    await second.client.messages.create(params)
    expect(message.content[0]).toMatchObject({ text: 'ok' })
    expect(otel.spans()).toHaveLength(0)
    // Looked for once per process, not per client or request.
    expect(loads).toBe(1)
  })

  it('where the API can only be imported asynchronously, requests are traced once it has arrived', async () => {
    const otel = harness()
    trace.setGlobalTracerProvider(otel.tracerProvider)
    const api = await import('@opentelemetry/api')
    let arrive: () => void = () => {}
    const arrived = new Promise<void>((resolve) => {
      arrive = resolve
    })
    setOtelApiLoader(async () => {
      await arrived
      return api
    })
    const { sim, client } = await setup()
    sim.enqueue([{ text: 'before' }], [{ text: 'after' }])
    await client.messages.create(params)
    expect(otel.spans()).toHaveLength(0)
    arrive()
    await arrived
    await new Promise((resolve) => setTimeout(resolve, 0))
    await client.messages.create(params)
    expect(otel.spans().map((span) => span.name)).toEqual(['chat claude-sonnet-4-5'])
  })

  it('records prompt and answer only when asked to', async () => {
    const otel = harness()
    const { sim, client } = await setup({
      tracerProvider: otel.tracerProvider,
      instrumentation: { captureContent: true },
    })
    sim.enqueue([{ text: ['The answer', ' is 42'] }])
    await client.messages.create({ ...params, system: 'Be brief.' })
    const [span] = otel.spans()
    expect(JSON.parse(span?.attributes['gen_ai.input.messages'] as string)).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'Hello' }] },
    ])
    expect(JSON.parse(span?.attributes['gen_ai.system_instructions'] as string)).toEqual([
      { type: 'text', content: 'Be brief.' },
    ])
    expect(JSON.parse(span?.attributes['gen_ai.output.messages'] as string)).toEqual([
      {
        role: 'assistant',
        parts: [{ type: 'text', content: 'The answer is 42' }],
        finish_reason: 'end_turn',
      },
    ])
  })

  it('notes a blocking token refresh on the waiting span, counts it, and never records a secret', async () => {
    const otel = harness()
    const { sim, client } = await setup(
      (simulator) => ({
        credentials: {
          accessToken: ACCESS_TOKEN,
          refreshToken: REFRESH_TOKEN,
          authMethod: 'social',
          expiresAt: Date.now() - 1_000,
        },
        refreshEndpoints: { social: simulator.refreshUrls.social },
        tracerProvider: otel.tracerProvider,
        meterProvider: otel.meterProvider,
        instrumentation: { captureContent: true },
      }),
      { tokens: { accessToken: ACCESS_TOKEN, refreshToken: REFRESH_TOKEN } },
    )
    sim.enqueue([{ text: 'fresh' }])
    await client.messages.create(params)
    const [span] = otel.spans()
    expect(span?.events.map((event) => event.name)).toEqual(['kiro.token_refresh'])
    expect(span?.events[0]?.attributes).toMatchObject({ 'kiro.token_refresh.ok': true })
    const recorded = await otel.metrics()
    expect(counterPoints(recorded.get('kiro.client.token_refreshes'))[0]).toMatchObject({
      value: 1,
      attributes: { 'kiro.token_refresh.outcome': 'success', 'kiro.token_refresh.background': false },
    })
    const everything = JSON.stringify([otel.spans().map((s) => [s.attributes, s.events]), [...recorded]])
    for (const secret of [ACCESS_TOKEN, REFRESH_TOKEN, sim.tokens?.accessToken, sim.tokens?.refreshToken]) {
      expect(everything).not.toContain(secret)
    }
  })
})
