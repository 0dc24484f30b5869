import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import type { CredentialsProvider } from '../../src/auth/types.js'
import type { EndHookEvent, RetryHookEvent } from '../../src/client/hooks.js'
import { KiroClient } from '../../src/client/kiro-client.js'
import { ConfigurationError } from '../../src/errors/configuration-error.js'
import { CredentialsError } from '../../src/errors/credentials-error.js'
import { params, rejectionOf, setup } from './helpers.js'

const SECRET = 'at-SECRET-1e2d3c'

/** A provider whose token picked up a line break (read from a file without trimming, say). */
const brokenToken: CredentialsProvider = {
  getToken: async () => ({ accessToken: `${SECRET}\n`, kind: 'bearer' }),
  invalidate: async () => {
    throw new Error('not reached')
  },
  describe: () => ({ source: 'test' }),
  close: () => {},
}

describe('a header fetch cannot send', () => {
  it('a token with a line break: CredentialsError at once, no retry, no token in the error or hooks', async () => {
    const retries: RetryHookEvent[] = []
    const ends: EndHookEvent[] = []
    const { sim, client } = await setup({
      credentials: brokenToken,
      hooks: { onRetry: (event) => retries.push(event), onEnd: (event) => ends.push(event) },
    })
    const error = await rejectionOf(client.messages.create(params))
    expect(error).toBeInstanceOf(CredentialsError)
    expect(error).toMatchObject({ code: 'invalid_credentials' })
    expect(retries).toEqual([])
    expect(sim.generateRequests).toHaveLength(0)
    expect(inspect(error, { depth: 10 })).not.toContain(SECRET)
    expect(JSON.stringify(ends)).not.toContain(SECRET)
  })

  it('a header with a character beyond Latin-1: ConfigurationError naming it, before anything is sent', async () => {
    const retries: RetryHookEvent[] = []
    const { sim, client } = await setup({ hooks: { onRetry: (event) => retries.push(event) } })
    const construct = () =>
      new KiroClient({ credentials: { apiKey: 'ksk_x' }, defaultHeaders: { 'x-team': 'Café €' } })
    expect(construct).toThrow(ConfigurationError)
    expect(fieldOf(construct)).toBe('defaultHeaders["x-team"]')
    const error = await rejectionOf(client.messages.create(params, { headers: { 'x-team': 'Café €' } }))
    expect(error).toBeInstanceOf(ConfigurationError)
    expect((error as ConfigurationError).field).toBe('headers["x-team"]')
    expect(retries).toEqual([])
    expect(sim.generateRequests).toHaveLength(0)
  })
})

function fieldOf(run: () => unknown): string | undefined {
  try {
    run()
  } catch (error) {
    return (error as ConfigurationError).field
  }
  return undefined
}
