import { KiroClient } from './src/client/kiro-client.ts'
import { createKiroFetchSimulator } from './src/testing/fetch-simulator.ts'
const sim = createKiroFetchSimulator()
const turn = [{ text: Array.from({ length: 20 }, (_, i) => `chunk ${i} of a typical answer. `) }, { metadata: { uncachedInputTokens: 120, outputTokens: 80 } }]
const params = { model: 'claude-sonnet-4-5', max_tokens: 1024, messages: [{ role: 'user' as const, content: 'hi' }] }
const inst = { record() {}, add() {} }
const mode = process.argv[2]
const span = { setAttribute() {}, setAttributes() {}, addEvent() {}, setStatus() {}, end() {} }
const opts: any = { fetch: sim.fetch, credentials: { accessToken: 'bench-token-123456' } }
if (mode === 'off') opts.instrumentation = false
if (mode === 'hooks') { opts.instrumentation = false; opts.hooks = { onStart() {}, onRequest() {}, onResponse() {}, onFirstEvent() {}, onEnd() {} } }
if (mode === 'stubs') { opts.tracerProvider = { getTracer: () => ({ startSpan: () => span }) }; opts.meterProvider = { getMeter: () => ({ createHistogram: () => inst, createCounter: () => inst }) } }
if (mode === 'log') { opts.instrumentation = false; opts.logLevel = 'debug'; opts.logger = { error() {}, warn() {}, info() {}, debug() {} } }
const c = new KiroClient(opts)
async function batch(n: number) { const s = process.cpuUsage(); for (let i = 0; i < n; i++) { sim.enqueue(turn); await c.messages.create(params) } const u = process.cpuUsage(s); return (u.user + u.system) / n }
await batch(500)
const v: number[] = []; for (let r = 0; r < 10; r++) v.push(await batch(200))
v.sort((a, b) => a - b); console.log(mode, v[5]!.toFixed(1), 'µs')
