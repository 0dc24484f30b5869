import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { ConfigurationError } from '../../src/errors/configuration-error.js'
import { CredentialsError } from '../../src/errors/credentials-error.js'
import { checkHeaders } from '../../src/transport/check-headers.js'
import { sendKiroRequest } from '../../src/transport/fetch-transport.js'

const SECRET = 'tok-SECRET-77aa'

function thrown(run: () => unknown): unknown {
  try {
    run()
  } catch (error) {
    return error
  }
  throw new Error('expected a throw')
}

describe('checkHeaders', () => {
  it('accepts what fetch accepts: token names, Latin-1 values, tabs and outer spaces', () => {
    expect(() =>
      checkHeaders({
        authorization: `Bearer ${SECRET}`,
        'x-note': ' naïve\tvalue ',
        'amz-sdk-request': 'a=1; b=2',
      }),
    ).not.toThrow()
  })

  it('refuses a token fetch cannot send, as a CredentialsError that never quotes it', () => {
    for (const token of [`${SECRET}\n`, `${SECRET}\r\nx-evil: 1`, `${SECRET}€`, `${SECRET}\0`]) {
      const error = thrown(() => checkHeaders({ authorization: `Bearer ${token}` }))
      expect(error).toBeInstanceOf(CredentialsError)
      expect(error).toMatchObject({ code: 'invalid_credentials' })
      expect(inspect(error, { depth: 5 })).not.toContain(SECRET)
    }
  })

  it('names any other bad header, never its value', () => {
    const value = thrown(() => checkHeaders({ 'x-team': `café ${SECRET} €` }))
    expect(value).toBeInstanceOf(ConfigurationError)
    expect((value as ConfigurationError).field).toBe('headers["x-team"]')
    expect(inspect(value, { depth: 5 })).not.toContain(SECRET)
    const name = thrown(() => checkHeaders({ 'x team': 'v' }))
    expect((name as ConfigurationError).field).toBe('headers["x team"]')
  })

  it('agrees with fetch on every header it lets through', () => {
    const samples = ['plain', 'ÿ', 'a\u0001b', 'a\u0100', 'x\ny', '', '\t']
    for (const value of samples) {
      let fetchAccepts = true
      try {
        new Headers({ 'x-h': value })
      } catch {
        fetchAccepts = false
      }
      let ours = true
      try {
        checkHeaders({ 'x-h': value })
      } catch {
        ours = false
      }
      expect([value, ours]).toEqual([value, fetchAccepts])
    }
  })
})

describe('sendKiroRequest with a header fetch cannot send', () => {
  it('fails before fetch is called, typed, with no token in sight', async () => {
    let called = false
    const fetch = (async () => {
      called = true
      return new Response('')
    }) as typeof globalThis.fetch
    const error = await sendKiroRequest({
      url: 'http://127.0.0.1:9/generateAssistantResponse',
      headers: { authorization: `Bearer ${SECRET}\n` },
      fetch,
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CredentialsError)
    expect(called).toBe(false)
  })
})
