/**
 * The two ways the concurrency case reads a response: through kiro-client, and through a plain
 * `fetch` that only drains the bytes (the floor no client can go below). Each can run a response to
 * its end or hold one open for the heap pass.
 */
import { KiroClient } from '../../src/client/kiro-client.js'
import { toKiroRequest } from '../../src/translate/to-kiro-request.js'
import { chunksOf } from '../lib/body.js'
import type { HeldStream } from './held-streams.js'
import { benchParams, SCENARIO_HEADER, type ScenarioName } from './scenarios.js'

export interface ReadPath {
  /** Reads one response of the simulator's default scenario to its end; throws if it is incomplete. */
  complete(): Promise<void>
  /** Opens one response of `scenario`, to be held and then aborted. */
  hold(scenario: ScenarioName): HeldStream
  close(): void
}

export function clientPath(url: string): ReadPath {
  const client = new KiroClient({
    baseURL: url,
    credentials: { accessToken: 'bench-token', expiresAt: Date.now() + 3_600_000 },
  })
  return {
    async complete() {
      let stopped = false
      for await (const event of client.messages.stream(benchParams)) {
        if (event.type === 'message_stop') stopped = true
      }
      if (!stopped) throw new Error('stream ended without message_stop')
    },
    hold(scenario) {
      const stream = client.messages.stream(benchParams, { headers: { [SCENARIO_HEADER]: scenario } })
      let reached!: () => void
      const first = new Promise<void>((resolve) => {
        reached = resolve
      })
      const done = (async () => {
        try {
          for await (const _event of stream) reached()
        } catch {
          // The abort ends the held stream with APIUserAbortError: expected.
        }
      })()
      return { first, done, abort: () => stream.abort() }
    },
    close: () => client.close(),
  }
}

export function fetchPath(url: string): ReadPath {
  const body = toKiroRequest(benchParams).serialized
  const send = (headers: Record<string, string>, signal?: AbortSignal) =>
    fetch(`${url}/generateAssistantResponse`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer bench-token', ...headers },
      body,
      ...(signal ? { signal } : {}),
    })
  return {
    async complete() {
      const response = await send({})
      if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`)
      for await (const _chunk of chunksOf(response.body));
    },
    hold(scenario) {
      const controller = new AbortController()
      let reached!: () => void
      const first = new Promise<void>((resolve) => {
        reached = resolve
      })
      const done = (async () => {
        try {
          const response = await send({ [SCENARIO_HEADER]: scenario }, controller.signal)
          for await (const _chunk of chunksOf(response.body)) reached()
        } catch {
          // The abort ends the held response: expected.
        }
      })()
      return { first, done, abort: () => controller.abort() }
    },
    close() {},
  }
}
