import { checkKiroRequest } from '../translate/shape-checker.js'
import { type CompiledTurn, compileTurn } from './compile-turn.js'
import { defaultAssistant } from './default-assistant.js'
import { SIMULATED_MODELS, type SimulatedModel } from './models.js'
import {
  type IncomingRequest,
  jsonReply as json,
  type RecordedRequest,
  type SimulatorReply,
  stringAt,
} from './records.js'
import type { ScriptedTurn } from './script.js'
import { SimulatedAuth, type SimulatorTokens } from './simulated-auth.js'
import { answerMcp, defaultWebSearch, type WebSearchFunction } from './simulated-mcp.js'
import { answerProfiles, type SimulatedProfile } from './simulated-profiles.js'

/** Picks the turn for a request once the queue is empty. */
export type ScriptFunction = (request: RecordedRequest) => ScriptedTurn | Promise<ScriptedTurn>

export interface SimulatorCoreOptions {
  /** Turns served in order (then the default assistant), or a function choosing each turn. */
  script?: readonly ScriptedTurn[] | ScriptFunction | undefined
  /** Enables the bearer check and the refresh endpoints' checks. Without it any token is accepted. */
  tokens?: SimulatorTokens | undefined
  /** Answer 400 "Improperly formed request." where Kiro would. @defaultValue true */
  checkShape?: boolean | undefined
  /** The shape checker's body limit. @defaultValue the checker's own default (600,000 bytes) */
  maxBodyBytes?: number | undefined
  /** `ListAvailableModels` answer, or a function of the request (one list per login). @defaultValue {@link SIMULATED_MODELS} */
  models?: readonly SimulatedModel[] | ((request: RecordedRequest) => readonly SimulatedModel[]) | undefined
  /**
   * `GetUsageLimits` answer (a JSON body, as Kiro sends it), or a function of the request. Without
   * it the operation answers 404 as an unknown operation.
   */
  usageLimits?: unknown | ((request: RecordedRequest) => unknown)
  /** Returned by the social refresh endpoint. */
  profileArn?: string | undefined
  /** `ListAvailableProfiles` answer. @defaultValue none (an empty list) */
  profiles?: readonly SimulatedProfile[] | undefined
  /**
   * `generateAssistantResponse` answers 400 "profileArn is required for this request." unless the
   * body's `profileArn` is this one, and `getUsageLimits` unless its `profileArn` query parameter
   * is (an enterprise login; docs/protocol.md §9.1).
   */
  requireProfileArn?: string | undefined
  /** What the `/mcp` web search answers for a query. @defaultValue {@link defaultWebSearch} */
  webSearch?: WebSearchFunction | undefined
  /**
   * A rule of Kiro's the shape checker does not know: when it returns a reason, the body is
   * answered with 400 "Improperly formed request." (the reason goes to `shapeIssues`).
   */
  rejectBody?: ((body: unknown) => string | undefined) | undefined
  /**
   * How many requests the log keeps (`requests`): the oldest are dropped past it, so a long-running
   * simulator (`serve --simulate`) stays flat in memory. `Infinity` keeps them all.
   * @defaultValue 100
   */
  maxRecordedRequests?: number | undefined
}

const DEFAULT_MAX_RECORDED_REQUESTS = 100

const STREAM_TYPE = 'application/vnd.amazon.eventstream'

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

/**
 * The simulator's brain, independent of any HTTP server: routing, the bearer check, the refresh
 * endpoints, the shape check, the turn queue and the request log. The node:http server and the
 * fetch handler are thin adapters around it.
 */
export class SimulatorCore {
  readonly requests: RecordedRequest[] = []
  readonly #queue: CompiledTurn[] = []
  readonly #compiled = new WeakMap<ScriptedTurn, CompiledTurn>()
  readonly #options: SimulatorCoreOptions
  readonly #auth: SimulatedAuth
  readonly #maxRecorded: number
  #script: ScriptFunction | undefined
  #received = 0

  constructor(options: SimulatorCoreOptions = {}) {
    this.#options = options
    const max = options.maxRecordedRequests ?? DEFAULT_MAX_RECORDED_REQUESTS
    if (
      typeof max !== 'number' ||
      !(max >= 1) ||
      (!Number.isInteger(max) && max !== Number.POSITIVE_INFINITY)
    ) {
      throw new TypeError(`maxRecordedRequests: must be a whole number >= 1 or Infinity, got ${String(max)}`)
    }
    this.#maxRecorded = max
    this.#auth = new SimulatedAuth(options.tokens, options.profileArn)
    if (typeof options.script === 'function') this.#script = options.script
    else if (options.script) this.enqueue(...options.script)
  }

  /** Queues turns, served first-in first-out before the script function. Checked now. */
  enqueue(...turns: ScriptedTurn[]): void {
    for (const turn of turns) this.#queue.push(this.#compile(turn))
  }

  /** Sets (or clears) the function that picks a turn once the queue is empty. */
  setScript(script: ScriptFunction | undefined): void {
    this.#script = script
  }

  /** The tokens valid right now. */
  get tokens(): Readonly<SimulatorTokens> | undefined {
    return this.#auth.tokens
  }

  /** Makes the current access token invalid (403) until the next refresh, as after an expiry. */
  revokeAccessToken(): void {
    this.#auth.revoke()
  }

  /** The next refresh call (either endpoint) fails with this answer. */
  failNextRefresh(answer: { status: number; body: unknown }): void {
    this.#auth.failNextRefresh(answer)
  }

  /** Forgets recorded requests and queued turns. */
  clear(): void {
    this.requests.length = 0
    this.#received = 0
    this.#queue.length = 0
  }

  async handle(
    incoming: IncomingRequest,
    receivedAt: number,
  ): Promise<{ record: RecordedRequest; reply: SimulatorReply }> {
    const record: RecordedRequest = {
      seq: ++this.#received,
      kind: 'unknown',
      method: incoming.method,
      path: incoming.path,
      headers: incoming.headers,
      body: incoming.body,
      bodyBytes: incoming.bodyBytes,
      json: parse(incoming.body),
      receivedAt,
      requestId: crypto.randomUUID(),
      shapeIssues: [],
      response: {
        status: undefined,
        headersAt: undefined,
        frameTimes: [],
        endedAt: undefined,
        outcome: 'pending',
      },
    }
    this.requests.push(record)
    // A ring of the latest requests: what a test looks at, without a log that grows forever.
    if (this.requests.length > this.#maxRecorded)
      this.requests.splice(0, this.requests.length - this.#maxRecorded)
    const reply = await this.#route(record)
    reply.headers['x-amzn-requestid'] = record.requestId
    return { record, reply }
  }

  async #route(record: RecordedRequest): Promise<SimulatorReply> {
    const pathname = record.path.split('?')[0]
    const target = (record.headers as { 'x-amz-target'?: string })['x-amz-target'] ?? ''
    if (
      record.method === 'POST' &&
      (pathname === '/generateAssistantResponse' ||
        (pathname === '/' && target.endsWith('.GenerateAssistantResponse')))
    ) {
      record.kind = 'generate'
      return this.#generate(record)
    }
    if (
      pathname === '/ListAvailableModels' ||
      (pathname === '/' && target.endsWith('.ListAvailableModels'))
    ) {
      record.kind = 'models'
      const denied = this.#auth.check(record)
      if (denied) return denied
      const option = this.#options.models
      const models = (typeof option === 'function' ? option(record) : option) ?? SIMULATED_MODELS
      return json(200, { models, defaultModel: models[0] })
    }
    if (record.method === 'POST' && pathname === '/' && target.endsWith('.ListAvailableProfiles')) {
      record.kind = 'profiles'
      return this.#auth.check(record) ?? answerProfiles(record, this.#options.profiles ?? [])
    }
    if (record.method === 'POST' && pathname === '/mcp') {
      record.kind = 'mcp'
      return this.#auth.check(record) ?? answerMcp(record, this.#options.webSearch ?? defaultWebSearch)
    }
    if (record.method === 'POST' && pathname === '/oauth2/token') {
      record.kind = 'refresh-external-idp'
      return this.#auth.refreshExternal(record)
    }
    const usage = this.#options.usageLimits
    if (
      usage !== undefined &&
      (pathname === '/getUsageLimits' || (pathname === '/' && target.endsWith('.GetUsageLimits')))
    ) {
      record.kind = 'usage'
      const denied = this.#auth.check(record)
      if (denied) return denied
      const required = this.#options.requireProfileArn
      const query = new URLSearchParams(record.path.split('?')[1] ?? '')
      if (required !== undefined && query.get('profileArn') !== required) return profileRequired()
      return json(
        200,
        typeof usage === 'function' ? (usage as (request: RecordedRequest) => unknown)(record) : usage,
      )
    }
    if (record.method === 'POST' && pathname === '/refreshToken') {
      record.kind = 'refresh-social'
      return this.#auth.refresh(record)
    }
    if (record.method === 'POST' && pathname === '/token') {
      record.kind = 'refresh-idc'
      return this.#auth.refresh(record)
    }
    return json(
      404,
      { message: `No such operation: ${record.method} ${pathname}` },
      {
        'x-amzn-errortype': 'UnknownOperationException',
      },
    )
  }

  async #generate(record: RecordedRequest): Promise<SimulatorReply> {
    const denied = this.#auth.check(record)
    if (denied) return denied
    const required = this.#options.requireProfileArn
    if (required !== undefined && stringAt(record.json, 'profileArn') !== required) return profileRequired()
    if (this.#options.checkShape !== false) {
      const extra = record.json === undefined ? undefined : this.#options.rejectBody?.(record.json)
      const issues =
        record.json === undefined
          ? [{ path: '', message: 'body is not JSON' }]
          : extra !== undefined
            ? [{ path: '', message: extra }]
            : checkKiroRequest(record.json, {
                maxBodyBytes: this.#options.maxBodyBytes,
                bodyBytes: record.bodyBytes,
              })
      if (issues.length > 0) {
        record.shapeIssues = issues
        // Kiro's catch-all answer names no field (docs/protocol.md §4.6); the issues are on the record.
        return json(
          400,
          { message: 'Improperly formed request.', reason: null },
          {
            'x-amzn-errortype': 'ValidationException',
          },
        )
      }
    }
    let turn = this.#queue.shift()
    if (!turn) {
      try {
        turn = this.#compile(
          this.#script ? await this.#script(record) : defaultAssistant(record.json, record.bodyBytes),
        )
      } catch (error) {
        return json(500, { message: `Simulator script failed: ${(error as Error).message}` })
      }
    }
    const headers: Record<string, string> = { 'content-type': STREAM_TYPE }
    const state =
      typeof record.json === 'object' && record.json !== null
        ? (record.json as { conversationState?: unknown }).conversationState
        : undefined
    const conversationId = stringAt(state, 'conversationId')
    if (conversationId) headers['x-amzn-codewhisperer-conversation-id'] = conversationId
    return { kind: 'turn', turn, headers }
  }

  #compile(turn: ScriptedTurn): CompiledTurn {
    let compiled = this.#compiled.get(turn)
    if (!compiled) {
      compiled = compileTurn(turn)
      this.#compiled.set(turn, compiled)
    }
    return compiled
  }
}

/** Kiro's answer to an enterprise login's request without its profile ARN. */
function profileRequired(): SimulatorReply {
  return json(
    400,
    { message: 'profileArn is required for this request.', reason: null },
    { 'x-amzn-errortype': 'ValidationException' },
  )
}
