import { describe, expect, it } from 'vitest'
import { createKeyCheck, presentedApiKey } from '../../src/server/api-key.js'

describe('presentedApiKey', () => {
  it('reads x-api-key (SDK 0.x, Claude Code with ANTHROPIC_API_KEY)', () => {
    expect(presentedApiKey(new Headers({ 'x-api-key': 'sk-one' }))).toBe('sk-one')
  })

  it('reads Authorization: Bearer (SDK 1.x, ANTHROPIC_AUTH_TOKEN), any case', () => {
    expect(presentedApiKey(new Headers({ authorization: 'Bearer sk-two' }))).toBe('sk-two')
    expect(presentedApiKey(new Headers({ authorization: 'bearer   sk-three' }))).toBe('sk-three')
  })

  it('prefers x-api-key when both are sent, and finds nothing in other schemes', () => {
    expect(presentedApiKey(new Headers({ 'x-api-key': 'a', authorization: 'Bearer b' }))).toBe('a')
    expect(presentedApiKey(new Headers({ authorization: 'Basic dXNlcjpwYXNz' }))).toBeUndefined()
    expect(presentedApiKey(new Headers())).toBeUndefined()
  })
})

describe('createKeyCheck', () => {
  const check = createKeyCheck('secret-key')

  it('accepts exactly the expected key', async () => {
    expect(await check('secret-key')).toBe(true)
  })

  it('refuses a wrong, shorter, longer, empty or missing key', async () => {
    for (const candidate of ['secret-kez', 'secret', 'secret-key2', '', undefined]) {
      expect(await check(candidate)).toBe(false)
    }
  })

  it('treats an empty expected key as a key like any other', async () => {
    const empty = createKeyCheck('')
    expect(await empty('')).toBe(true)
    expect(await empty(undefined)).toBe(false)
  })
})
