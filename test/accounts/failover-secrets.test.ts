import { describe, expect, it } from 'vitest'
import type { AccountStatusEvent } from '../../src/accounts/account-status.js'
import type { EndHookEvent, RetryHookEvent } from '../../src/client/hooks.js'
import { type Behaviour, httpError, params, setupPool, tokenOf } from './helpers.js'

// Fake upstreams that echo the bearer token they were sent back in every field of their error,
// as a misbehaving gateway or a verbose debug build might.
// `reason: 'echo'` puts the token in the reason field as well.
const echo = (status: number, reason: string, headers: Record<string, string> = {}): Behaviour => {
  return (request) => {
    const authorization = (request.headers as { authorization?: string }).authorization ?? ''
    const token = authorization.replace(/^Bearer /, '')
    return httpError(
      status,
      {
        __type: 'ThrottlingException',
        message: `Request with ${authorization} refused; token=${token} (${JSON.stringify({ token })})`,
        reason: reason === 'echo' ? `RATE_${token}` : reason,
      },
      { ...headers, 'x-debug-authorization': authorization },
    )
  }
}

const cases = [
  { name: 'a throttle', behaviour: echo(429, 'SERVICE_REQUEST_RATE_EXCEEDED', { 'retry-after': '30' }) },
  { name: 'a suspension', behaviour: echo(403, 'TEMPORARILY_SUSPENDED') },
  { name: 'a quota', behaviour: echo(402, 'OVERAGE_REQUEST_LIMIT_EXCEEDED') },
  { name: 'a throttle whose reason is the token', behaviour: echo(429, 'echo', { 'retry-after': '30' }) },
]

describe('failover hook data', () => {
  it.each(cases)('never carries a token echoed back in $name', async ({ behaviour }) => {
    const seen: unknown[] = []
    const retries: RetryHookEvent[] = []
    const statuses: AccountStatusEvent[] = []
    const ends: EndHookEvent[] = []
    const { client, served } = await setupPool(
      ['alice', 'bob'],
      { alice: behaviour },
      {
        accountSelection: 'round-robin',
        hooks: {
          onRetry: (event) => retries.push(event),
          onAccountStatus: (event) => statuses.push(event),
          onEnd: (event) => ends.push(event),
          onStart: (event) => seen.push(event),
          onRequest: (event) => seen.push(event),
          onResponse: (event) => seen.push(event),
          onFirstEvent: (event) => seen.push(event),
        },
      },
    )
    const message = await client.messages.create(params)
    expect(message.content).toMatchObject([{ type: 'text', text: 'Hello from Kiro' }])
    expect(served()).toEqual(['alice', 'bob'])

    // The failure reached the hooks (so the test sees the data it checks) ...
    expect(retries).toMatchObject([{ reason: 'account_failover', account: 'alice' }])
    expect(retries[0]?.message).toMatch(/refused/)
    expect(statuses).toMatchObject([{ account: 'alice', cause: 'failure' }])
    // ... and nowhere in it is alice's token, nor a bearer header.
    const list = await client.accounts.list()
    const everything = JSON.stringify([retries, statuses, ends, seen, list])
    expect(everything).toContain('alice')
    expect(everything).not.toContain(tokenOf('alice'))
    expect(everything).not.toContain('access-alice')
    expect(everything).not.toMatch(/Bearer\s+(?!\[redacted\])\S/)
  })
})

describe('failover hook data after a dead login', () => {
  it('never carries the refresh token that the token endpoint echoed back', async () => {
    const refreshToken = 'dead-refresh-token-0123456789abcdef'
    const events: unknown[] = []
    const { client, sim, served } = await setupPool(
      [{ id: 'alice', credentials: { refreshToken, authMethod: 'social' } }, 'bob'],
      {},
      (simulator) => ({
        accountSelection: 'round-robin',
        refreshEndpoints: { social: simulator.refreshUrls.social },
        hooks: {
          onRetry: (event) => events.push(event),
          onAccountStatus: (event) => events.push(event),
          onTokenRefresh: (event) => events.push(event),
          onEnd: (event) => events.push(event),
        },
      }),
    )
    sim.failNextRefresh({
      status: 400,
      body: { error: 'invalid_grant', error_description: `Refresh token ${refreshToken} is not valid` },
    })
    await client.messages.create(params)
    expect(served()).toEqual(['bob'])
    expect(events).toContainEqual(expect.objectContaining({ account: 'alice', state: 'invalid' }))
    const everything = JSON.stringify([events, await client.accounts.list()])
    expect(everything).not.toContain(refreshToken)
    expect(everything).not.toContain('0123456789abcdef')
  })
})
