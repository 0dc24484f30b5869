import { readFileSync } from 'node:fs'
import { afterEach } from 'vitest'
import type { AccountOptions } from '../../src/accounts/account-options.js'
import { KiroClient, type KiroClientOptions } from '../../src/client/kiro-client.js'
import {
  createKiroSimulator,
  type KiroSimulator,
  type KiroSimulatorOptions,
  type RecordedRequest,
  type ScriptedTurn,
} from '../../src/testing/index.js'

const open: Array<{ sim: KiroSimulator; client: KiroClient }> = []

afterEach(async () => {
  for (const { sim, client } of open.splice(0)) {
    client.close()
    await sim.close()
  }
})

/** The access token of a fake account: the simulator tells accounts apart by it. */
export const tokenOf = (id: string) => `secret-access-${id}`

/** Which fake account a request to the simulator came from. */
export function accountOf(request: RecordedRequest): string | undefined {
  const { authorization } = request.headers as { authorization?: string }
  return /^Bearer secret-access-(.+)$/.exec(authorization ?? '')?.[1]
}

export const HELLO: ScriptedTurn = [{ text: 'Hello from Kiro' }, { contextUsage: 1 }]

export type Behaviour = (request: RecordedRequest) => ScriptedTurn

/**
 * A loopback fake Kiro serving several fake accounts: each request is answered by the behaviour of
 * the account whose token it carries (a plain answer when it has none), and a client pooling them.
 */
export async function setupPool(
  ids: readonly (string | (Partial<AccountOptions> & { id: string }))[],
  behaviours: Record<string, Behaviour> = {},
  clientOptions: Partial<KiroClientOptions> | ((sim: KiroSimulator) => Partial<KiroClientOptions>) = {},
  simOptions: KiroSimulatorOptions = {},
): Promise<{ sim: KiroSimulator; client: KiroClient; served: () => string[] }> {
  const sim = await createKiroSimulator({
    script: (request) => behaviours[accountOf(request) ?? '']?.(request) ?? HELLO,
    ...simOptions,
  })
  const accounts = ids.map((entry) => {
    const account = typeof entry === 'string' ? { id: entry } : entry
    return { credentials: { accessToken: tokenOf(account.id) }, ...account }
  })
  const client = new KiroClient({
    baseURL: sim.url,
    maxRetries: 0,
    accounts,
    ...(typeof clientOptions === 'function' ? clientOptions(sim) : clientOptions),
  })
  open.push({ sim, client })
  const served = () => sim.generateRequests.map((request) => accountOf(request) ?? '?')
  return { sim, client, served }
}

export const params = {
  model: 'claude-sonnet-4-5',
  max_tokens: 256,
  messages: [{ role: 'user' as const, content: 'Hello' }],
}

/** A conversation's request: the same system prompt and first message on every turn. */
export function conversation(name: string, turns = 1) {
  const messages: { role: 'user' | 'assistant'; content: string }[] = [
    { role: 'user', content: `Start of ${name}` },
  ]
  for (let i = 1; i < turns; i++) {
    messages.push({ role: 'assistant', content: `answer ${i}` }, { role: 'user', content: `question ${i}` })
  }
  return { ...params, system: `You help with ${name}.`, messages }
}

export const httpError = (
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): ScriptedTurn => [{ error: { status, body, headers } }]

export const usageFixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../fixtures/usage-limits/${name}.json`, import.meta.url), 'utf8'))

/** A usage fixture whose reset is at `resetMs` (ms since the epoch; sent as epoch seconds, like Kiro). */
export function usageResettingAt(name: string, resetMs: number): unknown {
  const body = usageFixture(name) as {
    nextDateReset?: number
    usageBreakdownList?: { nextDateReset?: number }[]
  }
  body.nextDateReset = resetMs / 1000
  for (const entry of body.usageBreakdownList ?? []) entry.nextDateReset = resetMs / 1000
  return body
}
