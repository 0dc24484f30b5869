import { describe, expect, it } from 'vitest'
import { createKeyCheck, presentedApiKeys } from '../../src/server/api-key.js'

describe('presentedApiKeys', () => {
  it('reads x-api-key (SDK 0.x, Claude Code with ANTHROPIC_API_KEY)', () => {
    expect(presentedApiKeys(new Headers({ 'x-api-key': 'sk-one' }))).toEqual(['sk-one'])
  })

  it('reads Authorization: Bearer (SDK 1.x, ANTHROPIC_AUTH_TOKEN), any case', () => {
    expect(presentedApiKeys(new Headers({ authorization: 'Bearer sk-two' }))).toEqual(['sk-two'])
    expect(presentedApiKeys(new Headers({ authorization: 'bearer   sk-three' }))).toEqual(['sk-three'])
  })

  it('returns both when both are sent (Claude Code with both variables set)', () => {
    expect(presentedApiKeys(new Headers({ 'x-api-key': 'a', authorization: 'Bearer b' }))).toEqual(['a', 'b'])
  })

  it('finds nothing in other schemes or empty headers', () => {
    expect(presentedApiKeys(new Headers({ authorization: 'Basic dXNlcjpwYXNz' }))).toEqual([])
    expect(presentedApiKeys(new Headers({ 'x-api-key': '' }))).toEqual([])
    expect(presentedApiKeys(new Headers())).toEqual([])
  })
})

describe('createKeyCheck', () => {
  const check = createKeyCheck('secret-key')

  it('accepts exactly the expected key', async () => {
    expect(await check(['secret-key'])).toBe(true)
  })

  it('refuses a wrong, shorter, longer, empty or missing key', async () => {
    for (const candidate of [['secret-kez'], ['secret'], ['secret-key2'], [''], []]) {
      expect(await check(candidate)).toBe(false)
    }
  })

  it('accepts when any presented key matches, wherever it comes', async () => {
    expect(await check(['sk-ant-everyday-key', 'secret-key'])).toBe(true)
    expect(await check(['secret-key', 'other'])).toBe(true)
    expect(await check(['other', 'another'])).toBe(false)
  })

  it('treats an empty expected key as a key like any other', async () => {
    const empty = createKeyCheck('')
    expect(await empty([''])).toBe(true)
    expect(await empty([])).toBe(false)
  })
})
