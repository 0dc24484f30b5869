import type { RefreshEvent } from '../../auth/types.js'
import type { AccountState } from '../../state/types.js'
import { LabelBudget } from './label-budget.js'
import type { RequestRecord } from './request-record.js'

type PromClient = typeof import('prom-client')

/** One account as the metrics and `/ready` see it. */
export interface AccountObservation {
  id: string
  state: AccountState
  /** Requests it is serving now. */
  inFlight: number
}

const ACCOUNT_STATES: readonly AccountState[] = [
  'ready',
  'cooling',
  'exhausted',
  'suspended',
  'invalid',
  'disabled',
]

/** Seconds; from a quick count_tokens to a long streamed answer. */
const DURATION_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600]
const TTFB_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60]
/** Distinct model names that get a label of their own; later ones are counted as `other`. */
export const MAX_MODEL_LABELS = 64

/**
 * The Prometheus metrics of `serve` (docs/observability.md, "Prometheus metrics"), in a registry of
 * their own. prom-client is loaded by {@link createServeMetrics}, so nothing else pays for it.
 */
export class ServeMetrics {
  readonly #registry
  readonly #requests
  readonly #duration
  readonly #ttfb
  readonly #inFlight
  readonly #tokens
  readonly #attempts
  readonly #responses
  readonly #retries
  readonly #refreshes
  readonly #accountState
  readonly #accountInFlight
  readonly #memberRequests
  readonly #memberTokens
  readonly #models = new LabelBudget(MAX_MODEL_LABELS)

  constructor(prom: PromClient) {
    const registry = new prom.Registry()
    this.#registry = registry
    const registers = [registry]
    prom.collectDefaultMetrics({ register: registry })
    this.#requests = new prom.Counter({
      name: 'kiro_http_requests_total',
      help: 'HTTP requests answered, by route, model and status.',
      labelNames: ['route', 'model', 'status'],
      registers,
    })
    this.#duration = new prom.Histogram({
      name: 'kiro_http_request_duration_seconds',
      help: 'From the request to the end of the response (the last SSE frame of a stream).',
      labelNames: ['route', 'model', 'status'],
      buckets: DURATION_BUCKETS,
      registers,
    })
    this.#ttfb = new prom.Histogram({
      name: 'kiro_http_time_to_first_byte_seconds',
      help: 'From the request to the response headers; a stream answers once its first event is ready.',
      labelNames: ['route', 'model'],
      buckets: TTFB_BUCKETS,
      registers,
    })
    this.#inFlight = new prom.Gauge({
      name: 'kiro_http_requests_in_flight',
      help: 'HTTP requests being answered now.',
      labelNames: ['route'],
      registers,
    })
    this.#tokens = new prom.Counter({
      name: 'kiro_tokens_total',
      help: 'Tokens of finished messages, by model and type (input, output, cache_read, cache_creation).',
      labelNames: ['model', 'type'],
      registers,
    })
    this.#attempts = new prom.Counter({
      name: 'kiro_upstream_attempts_total',
      help: 'Requests sent to Kiro, retries included.',
      labelNames: ['model'],
      registers,
    })
    this.#responses = new prom.Counter({
      name: 'kiro_upstream_responses_total',
      help: "Kiro's answers to those attempts, by HTTP status.",
      labelNames: ['model', 'status'],
      registers,
    })
    this.#retries = new prom.Counter({
      name: 'kiro_upstream_retries_total',
      help: 'Failed attempts that were retried, by reason.',
      labelNames: ['reason'],
      registers,
    })
    this.#refreshes = new prom.Counter({
      name: 'kiro_token_refreshes_total',
      help: 'Access-token refreshes, by outcome and whether they ran in the background.',
      labelNames: ['outcome', 'background'],
      registers,
    })
    // Per team member (a client key's name, never the key): a handful of names, set by the operator.
    this.#memberRequests = new prom.Counter({
      name: 'kiro_client_key_requests_total',
      help: 'HTTP requests answered, by the team member of the client key and status.',
      labelNames: ['client_key', 'status'],
      registers,
    })
    this.#memberTokens = new prom.Counter({
      name: 'kiro_client_key_tokens_total',
      help: 'Tokens reported to callers, by the team member of the client key and type.',
      labelNames: ['client_key', 'type'],
      registers,
    })
    this.#accountState = new prom.Gauge({
      name: 'kiro_account_state',
      help: '1 for the state each account is in, 0 for the others.',
      labelNames: ['account', 'state'],
      registers,
    })
    this.#accountInFlight = new prom.Gauge({
      name: 'kiro_account_in_flight',
      help: 'Requests each account is serving now.',
      labelNames: ['account'],
      registers,
    })
  }

  requestStarted(record: RequestRecord): void {
    this.#inFlight.inc({ route: record.route })
  }

  requestFinished(record: RequestRecord): void {
    const { route } = record
    const model = this.#models.label(record.model ?? '')
    const status = String(record.status ?? 0)
    this.#inFlight.dec({ route })
    this.#requests.inc({ route, model, status })
    if (record.durationMs !== undefined)
      this.#duration.observe({ route, model, status }, record.durationMs / 1000)
    if (record.ttfbMs !== undefined) this.#ttfb.observe({ route, model }, record.ttfbMs / 1000)
    const tokens: Array<[string, number | undefined]> = [
      ['input', record.inputTokens],
      ['output', record.outputTokens],
      ['cache_read', record.cacheReadTokens],
      ['cache_creation', record.cacheCreationTokens],
    ]
    for (const [type, count] of tokens) if (count) this.#tokens.inc({ model, type }, count)
    const member = record.clientKey
    if (member === undefined) return
    this.#memberRequests.inc({ client_key: member, status })
    for (const [type, count] of tokens) if (count) this.#memberTokens.inc({ client_key: member, type }, count)
  }

  upstreamAttempt(model: string): void {
    this.#attempts.inc({ model: this.#models.label(model) })
  }

  upstreamResponse(model: string, status: number): void {
    this.#responses.inc({ model: this.#models.label(model), status: String(status) })
  }

  upstreamRetry(reason: string): void {
    this.#retries.inc({ reason })
  }

  tokenRefresh(event: RefreshEvent): void {
    this.#refreshes.inc({ outcome: event.ok ? 'success' : 'failure', background: String(event.background) })
  }

  /** Replaces the per-account gauges with this list (accounts gone from it disappear). */
  observeAccounts(accounts: readonly AccountObservation[]): void {
    this.#accountState.reset()
    this.#accountInFlight.reset()
    for (const account of accounts) {
      for (const state of ACCOUNT_STATES) {
        this.#accountState.set({ account: account.id, state }, account.state === state ? 1 : 0)
      }
      this.#accountInFlight.set({ account: account.id }, account.inFlight)
    }
  }

  /** The Prometheus text exposition. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.#registry.contentType, body: await this.#registry.metrics() }
  }
}

/** Loads prom-client (only `serve --metrics` does) and builds the metrics. */
export async function createServeMetrics(): Promise<ServeMetrics> {
  const prom = (await import('prom-client')) as PromClient & { default?: PromClient }
  return new ServeMetrics(typeof prom.Registry === 'function' ? prom : (prom.default as PromClient))
}
