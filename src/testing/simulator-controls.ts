import type { RecordedRequest } from './records.js'
import type { ScriptedTurn } from './script.js'
import type { SimulatedAuth } from './simulated-auth.js'
import type { ScriptFunction, SimulatorCore } from './simulator-core.js'

/** What a test can do to a simulator, whichever adapter serves it (node:http, fetch, msw). */
export class SimulatorControls {
  readonly #core: SimulatorCore

  constructor(core: SimulatorCore) {
    this.#core = core
  }

  /** The latest requests received (100 unless `maxRecordedRequests` says otherwise), oldest first (live array). */
  get requests(): RecordedRequest[] {
    return this.#core.requests
  }

  /** The `generateAssistantResponse` requests only. */
  get generateRequests(): RecordedRequest[] {
    return this.#core.requests.filter((request) => request.kind === 'generate')
  }

  /** The refresh calls (social, IdC and external identity provider). */
  get refreshRequests(): RecordedRequest[] {
    return this.#core.requests.filter((request) => request.kind.startsWith('refresh-'))
  }

  /** The `/mcp` calls (web search). */
  get mcpRequests(): RecordedRequest[] {
    return this.#core.requests.filter((request) => request.kind === 'mcp')
  }

  /** The tokens valid now (they change on every refresh); undefined when auth is not simulated. */
  get tokens(): SimulatedAuth['tokens'] | undefined {
    return this.#core.tokens
  }

  /**
   * Queues turns, served in order to the next `generateAssistantResponse` calls that pass the
   * bearer and shape checks. Each turn is checked now.
   * @throws TypeError naming the malformed step.
   */
  enqueue(...turns: ScriptedTurn[]): void {
    this.#core.enqueue(...turns)
  }

  /** Sets (or clears, with undefined) the function that picks a turn once the queue is empty. */
  setScript(script: ScriptFunction | undefined): void {
    this.#core.setScript(script)
  }

  /** The current access token is refused (403 "bearer token ... invalid") until the next refresh. */
  revokeAccessToken(): void {
    this.#core.revokeAccessToken()
  }

  /** The next refresh call fails with this answer. */
  failNextRefresh(answer: { status: number; body: unknown }): void {
    this.#core.failNextRefresh(answer)
  }

  /** Forgets recorded requests and queued turns. */
  clear(): void {
    this.#core.clear()
  }
}
